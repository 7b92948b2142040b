// The contacts chart: a real PNG of the right size, with bars, text and the window drawn; failures come back
// as an error beside the text alternative; the same PNG with the system fonts hidden; chart.js and the canvas
// load only when a chart is drawn.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import {
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_WIDTH,
  chartFontFile,
  contactsChart,
  renderContactsChart,
} from '../../src/charts/contactsChart.js';
import { describeContactSeries } from '../../src/core/contactsChartText.js';
import { resolveFilter } from '../../src/core/filter.js';
import { contactsByMonth } from '../../src/core/queries/contactsByMonth.js';
import { fixture, runProcess } from '../helpers.js';

const TO = '2024-06-30';
const WINDOW = { from: '2024-05-01', to: TO };
/** The fixture's series ending on TO; `null` for no window. */
const series = (window: typeof WINDOW | null = WINDOW, input = {}) =>
  contactsByMonth(fixture(), resolveFilter(fixture(), input), { to: TO, ...(window ? { window } : {}) });

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The decoded pixels, RGBA. */
async function pixels(png: Buffer): Promise<{ data: Uint8ClampedArray; width: number }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { data: ctx.getImageData(0, 0, image.width, image.height).data, width: image.width };
}

/** Pixels in the rectangle for which `test(r, g, b)` holds. */
function count(
  { data, width }: { data: Uint8ClampedArray; width: number },
  box: { x: number; y: number; w: number; h: number },
  test: (r: number, g: number, b: number) => boolean,
): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * width + x) * 4;
      if (test(data[i] as number, data[i + 1] as number, data[i + 2] as number)) n++;
    }
  }
  return n;
}

const WHOLE = { x: 0, y: 0, w: CHART_WIDTH, h: CHART_HEIGHT };
/** The title's band: the top 45 pixels. */
const TITLE = { x: 0, y: 0, w: CHART_WIDTH, h: 45 };
const dark = (r: number, g: number, b: number) => r + g + b < 200;
const near = (hex: string) => {
  const [R, G, B] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  return (r: number, g: number, b: number) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) < 12;
};
/** The window's pale yellow, rgba(240, 228, 66, 0.35) on white. */
const WINDOW_SHADE = near('#faf6b2');

describe('renderContactsChart', () => {
  it('draws a PNG of 1200×600 with the levels’ bars on white', async () => {
    const png = await renderContactsChart(series());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: 1200, height: 600 });
    expect(png.length).toBeGreaterThan(10_000);
    const image = await pixels(png);
    // Mostly white (not transparent, unreadable in a dark theme), with the minister level's and the working level's bars.
    expect(image.data[3]).toBe(255);
    expect(count(image, WHOLE, near('#ffffff'))).toBeGreaterThan(CHART_WIDTH * CHART_HEIGHT * 0.5);
    expect(count(image, WHOLE, near('#0072b2'))).toBeGreaterThan(1000);
    expect(count(image, WHOLE, near('#56b4e9'))).toBeGreaterThan(1000);
  });

  it('writes text: the title band holds glyphs, and a different title draws different ones', async () => {
    const plain = await pixels(await renderContactsChart(series()));
    const taiwan = await pixels(await renderContactsChart(series(WINDOW, { topic: 'taiwan' })));
    expect(count(plain, TITLE, dark)).toBeGreaterThan(500);
    let differing = 0;
    for (let i = 0; i < TITLE.h * CHART_WIDTH * 4; i++) if (plain.data[i] !== taiwan.data[i]) differing++;
    expect(differing).toBeGreaterThan(500);
  });

  it('shades the window only when there is one', async () => {
    const withWindow = await pixels(await renderContactsChart(series()));
    const without = await pixels(await renderContactsChart(series(null)));
    // May and June are the last two of twelve slots: shaded there, in the plot's middle height, and nowhere left of them.
    expect(count(withWindow, { x: 1030, y: 250, w: 140, h: 100 }, WINDOW_SHADE)).toBeGreaterThan(5_000);
    expect(count(withWindow, { x: 0, y: 0, w: 950, h: CHART_HEIGHT }, WINDOW_SHADE)).toBe(0);
    expect(count(without, WHOLE, WINDOW_SHADE)).toBe(0);
  });

  it('takes another size', async () => {
    expect(pngSize(await renderContactsChart(series(), { width: 800, height: 400 }))).toEqual({
      width: 800,
      height: 400,
    });
  });

  it('renders a series with nothing on record', async () => {
    const empty = contactsByMonth(fixture(), {}, { to: '2019-12-31' });
    const image = await pixels(await renderContactsChart(empty));
    expect(count(image, TITLE, dark)).toBeGreaterThan(500);
  });

  it('uses the font from the npm package, found from the module, under its own family name', async () => {
    await renderContactsChart(series());
    expect(GlobalFonts.has(CHART_FONT_FAMILY)).toBe(true);
    const file = chartFontFile();
    expect(file).toContain(`${sep}node_modules${sep}@fontsource${sep}dejavu-sans${sep}`);
    expect(existsSync(file)).toBe(true);
  });
});

describe('contactsChart', () => {
  it('gives the PNG and the text alternative', async () => {
    const image = await contactsChart(series());
    expect(image.error).toBeUndefined();
    expect(image.png?.length).toBeGreaterThan(10_000);
    expect(image.alt).toBe(describeContactSeries(series()));
  });

  it('never throws: a failed render comes back as an error beside the text alternative', async () => {
    const image = await contactsChart(series(), { width: 0 });
    expect(image).toEqual({
      alt: describeContactSeries(series()),
      error: 'chart size must be whole pixels from 200 to 4000, not 0×600',
    });
  });
});

/** Whether this machine lets a test hide the system's fonts in a private mount namespace (root, util-linux). */
const canHideFonts =
  existsSync('/usr/share/fonts') && spawnSync('unshare', ['-m', 'true'], { stdio: 'ignore' }).status === 0;

describe('on a machine with no fonts', () => {
  it.skipIf(!canHideFonts)('draws the same PNG with the system fonts hidden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-nofonts-'));
    try {
      const out = join(dir, 'chart.png');
      // The child renders the same series as below with /usr/share/fonts replaced by an empty folder.
      const script = `
        import { writeFileSync } from 'node:fs';
        import { GlobalFonts } from '@napi-rs/canvas';
        const { renderContactsChart } = await import('./src/charts/contactsChart.ts');
        const { contactsByMonth } = await import('./src/core/queries/contactsByMonth.ts');
        const { fixture } = await import('./tests/helpers.ts');
        console.log(GlobalFonts.families.length);
        const series = contactsByMonth(fixture(), {}, ${JSON.stringify({ to: TO, window: WINDOW })});
        writeFileSync(${JSON.stringify(out)}, await renderContactsChart(series));
      `;
      const node = `'${process.execPath}' --import tsx --input-type=module -e "$SCRIPT"`;
      const run = await runProcess('unshare', ['-m', 'sh', '-c', `mount --bind '${dir}' /usr/share/fonts && ${node}`], {
        env: { SCRIPT: script },
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('0\n'); // no system font family left
      expect(readFileSync(out).equals(await renderContactsChart(series()))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loading', () => {
  it('loads the canvas on the first render, not on import', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).some((f) => f.includes('/node_modules/@napi-rs/canvas/'));
      const chart = await import('./src/charts/contactsChart.ts');
      const before = loaded();
      await chart.renderContactsChart({ from: '2024-01-01', to: '2024-01-31', months: [], levels: [], total: 0, filter: {}, marked: [] });
      console.log(before, loaded());
    `;
    const run = await runProcess(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('false true\n');
  });
});
