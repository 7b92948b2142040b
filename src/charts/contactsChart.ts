// The contacts chart as a PNG (issue 14): stacked bars of contacts per month by level, the digest's window
// shaded and its contacts counted above their bars, drawn in the process by chart.js on @napi-rs/canvas (Skia
// shipped as an npm binary: no system library, no network) with DejaVu Sans from an npm package, so the text
// looks the same on every machine, fonts installed or not.
//
// API:
//   contactsChart(series, options?) -> Promise<ChartImage>: { png?, alt, error? }; never throws. The caller
//     attaches `png` when present, always has `alt` (the text alternative), and logs `error` when rendering
//     failed: a chart never holds a digest back.
//   renderContactsChart(series, options?) -> Promise<Buffer>: the PNG, or throws (for callers that want to).
//   CHART_WIDTH, CHART_HEIGHT: the default size, 2:1, which Slack and Discord preview without cropping.
// The series comes from contactsByMonth (src/core/queries/contactsByMonth.ts); the words from
// src/core/contactsChartText.ts.
//
// chart.js and the canvas are loaded on the first render (dynamic import), so a command that draws no chart
// never loads them (the canvas binary alone is ~30 MB).

import { createRequire } from 'node:module';
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { chartTitle, countedNoun, describeContactSeries, seriesSpan } from '../core/contactsChartText.js';
import { dayRange, MONTH_NAMES } from '../core/dates.js';
import type { PostFile } from '../core/poster.js';
import { levelHeading } from '../core/present.js';
import type { ContactSeries } from '../core/queries/contactsByMonth.js';
import type { Reply } from '../core/reply.js';
import type { Level } from '../core/vocabulary.js';

/** Default width in pixels. */
export const CHART_WIDTH = 1200;
/** Default height in pixels. */
export const CHART_HEIGHT = 600;

/** Sizes outside this range are refused: smaller is unreadable, larger is a mistake that costs memory. */
const MIN_SIDE = 200;
const MAX_SIDE = 4000;

/** The family name the bundled font is registered under; no system font has it, so none stands in. */
export const CHART_FONT_FAMILY = 'Hotline DejaVu Sans';

/** A rendered chart, or why there is none; the text alternative always. */
export interface ChartImage {
  png?: Buffer;
  /** What the chart shows in plain English (describeContactSeries). */
  alt: string;
  /** Why rendering failed, for the log; absent when `png` is there. */
  error?: string;
}

/** Size of the image in pixels. */
export interface ChartSize {
  width?: number;
  height?: number;
}

/** The chart and its text alternative. Never throws: a failure comes back as `error`, with no `png`. */
export async function contactsChart(series: ContactSeries, size: ChartSize = {}): Promise<ChartImage> {
  let alt: string;
  try {
    alt = describeContactSeries(series);
  } catch {
    alt = 'Chart of contacts per month by level.';
  }
  try {
    return { png: await renderContactsChart(series, size), alt };
  } catch (error) {
    return { alt, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The chart as a PNG. Throws when the libraries cannot be loaded or the size is out of range. */
export async function renderContactsChart(series: ContactSeries, size: ChartSize = {}): Promise<Buffer> {
  const width = size.width ?? CHART_WIDTH;
  const height = size.height ?? CHART_HEIGHT;
  for (const side of [width, height]) {
    if (!Number.isInteger(side) || side < MIN_SIDE || side > MAX_SIDE) {
      throw new RangeError(`chart size must be whole pixels from ${MIN_SIDE} to ${MAX_SIDE}, not ${width}×${height}`);
    }
  }
  const { ChartClass, createCanvas } = await libraries();
  const canvas = createCanvas(width, height);
  // chart.js accepts any object with getContext('2d'); the DOM types it names do not exist in Node.
  const chart = new ChartClass(canvas as never, configuration(series));
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/** The bundled font file, found through Node's resolution from this module (never a system path). */
export function chartFontFile(weight: 400 | 700 = 400): string {
  return createRequire(import.meta.url).resolve(
    `@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff2`,
  );
}

interface Libraries {
  ChartClass: typeof Chart;
  createCanvas: typeof import('@napi-rs/canvas').createCanvas;
}

let loaded: Promise<Libraries> | undefined;

/** Loads chart.js and the canvas once, registers the font and sets chart.js's defaults. */
function libraries(): Promise<Libraries> {
  loaded ??= (async () => {
    const [chartjs, canvas] = await Promise.all([import('chart.js'), import('@napi-rs/canvas')]);
    for (const weight of [400, 700] as const) {
      if (!canvas.GlobalFonts.registerFromPath(chartFontFile(weight), CHART_FONT_FAMILY)) {
        throw new Error(`could not register the chart font ${chartFontFile(weight)}`);
      }
    }
    chartjs.Chart.register(...chartjs.registerables);
    chartjs.Chart.defaults.font.family = CHART_FONT_FAMILY;
    chartjs.Chart.defaults.font.size = 14;
    chartjs.Chart.defaults.color = TEXT;
    return { ChartClass: chartjs.Chart, createCanvas: canvas.createCanvas };
  })();
  // A failed load (a missing binary) is retried by the next render rather than remembered for ever.
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

const TEXT = '#222222';
const BACKGROUND = '#ffffff';
const WINDOW_FILL = 'rgba(240, 228, 66, 0.35)';

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies, and on white. */
const LEVEL_COLOURS: Record<Level, string> = {
  leaders: '#D55E00',
  minister: '#0072B2',
  'chief-of-defense': '#009E73',
  'theater-commander': '#E69F00',
  'senior-official': '#CC79A7',
  'working-level': '#56B4E9',
};

/** "Dec 2025" under the first month and each January, "Feb" under the others: the year once per year. */
function monthLabel(month: string, index: number): string | string[] {
  const name = (MONTH_NAMES[Number(month.slice(5)) - 1] as string).slice(0, 3);
  return index === 0 || month.endsWith('-01') ? [name, month.slice(0, 4)] : name;
}

function configuration(series: ContactSeries): ChartConfiguration<'bar', number[], string | string[]> {
  const noun = countedNoun(series).many;
  const highest = Math.max(0, ...series.months.map((m) => m.total));
  return {
    type: 'bar',
    data: {
      labels: series.months.map((m, i) => monthLabel(m.month, i)),
      // Highest level at the bottom of each stack, where bars are easiest to compare.
      datasets: series.levels.map((level) => ({
        label: levelHeading(level),
        data: series.months.map((m) => m.byLevel[level]),
        backgroundColor: LEVEL_COLOURS[level],
        stack: 'contacts',
      })),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 16 } },
      plugins: {
        title: { display: true, text: chartTitle(series), font: { size: 22, weight: 'bold' } },
        subtitle: { display: true, text: subtitle(series), font: { size: 15 }, padding: { bottom: 8 } },
        legend: { position: 'bottom' },
        tooltip: { enabled: false },
      },
      scales: {
        x: { stacked: true, grid: { display: false }, title: { display: true, text: 'Month' } },
        y: {
          stacked: true,
          beginAtZero: true,
          // Room above the tallest bar for its "in window" count.
          suggestedMax: Math.max(1, Math.ceil(highest * 1.15)),
          ticks: { precision: 0 },
          title: { display: true, text: `${noun[0]?.toUpperCase() ?? ''}${noun.slice(1)}` },
        },
      },
    },
    plugins: [background, windowMarks(series)],
  };
}

function subtitle(series: ContactSeries): string {
  const span = seriesSpan(series);
  if (series.total === 0) return `${span} · none on record`;
  return series.window ? `${span} · shaded: this digest's window` : span;
}

/** A white background: chart.js leaves the canvas transparent, which is unreadable in a dark chat theme. */
const background: Plugin<'bar'> = {
  id: 'hotlineBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Shades the window behind the bars, to the day (a window of two weeks covers half a month's slot), and
 * writes "N in window" above each bar holding some of the window's contacts.
 */
function windowMarks(series: ContactSeries): Plugin<'bar'> {
  const slot = (chart: Chart<'bar'>) => chart.scales.x?.width ?? 0;
  const monthCount = series.months.length;
  // The x position of a day: its month's slot, then the fraction of that month gone before it.
  const dayX = (chart: Chart<'bar'>, day: string, endOfDay: boolean) => {
    const index = series.months.findIndex((m) => m.month === day.slice(0, 7));
    const days = Number(dayRange(day.slice(0, 7)).end.slice(8));
    const fraction = (Number(day.slice(8)) - (endOfDay ? 0 : 1)) / days;
    return (chart.scales.x?.left ?? 0) + ((index + fraction) * slot(chart)) / monthCount;
  };
  return {
    id: 'hotlineWindow',
    beforeDatasetsDraw(chart) {
      const window = series.window;
      const area = chart.chartArea;
      if (!window) return;
      const left = dayX(chart, window.from, false);
      const right = dayX(chart, window.to, true);
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = WINDOW_FILL;
      ctx.fillRect(left, area.top, Math.max(2, right - left), area.bottom - area.top);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const y = chart.scales.y;
      const x = chart.scales.x;
      if (!y || !x) return;
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = TEXT;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.font = `bold 13px "${CHART_FONT_FAMILY}"`;
      series.months.forEach((m, i) => {
        if (m.marked === 0) return;
        ctx.fillText(`${m.marked} in window`, x.getPixelForValue(i), y.getPixelForValue(m.total) - 4);
      });
      if (series.total === 0) {
        const area = chart.chartArea;
        ctx.font = `16px "${CHART_FONT_FAMILY}"`;
        ctx.textBaseline = 'middle';
        ctx.fillText(
          `No ${countedNoun(series).many} on record in these months`,
          (area.left + area.right) / 2,
          (area.top + area.bottom) / 2,
        );
      }
      ctx.restore();
    },
  };
}

/** A reply's chart as a file to post ("contacts-2026-11-30.png"), or why there is none. Never throws. */
export async function chartFile(reply: Reply): Promise<{ file?: PostFile; error?: string }> {
  if (!reply.chart) return {};
  const image = await contactsChart(reply.chart);
  if (!image.png) return { error: image.error ?? 'no image' };
  return { file: { name: `contacts-${reply.chart.to}.png`, data: image.png, alt: image.alt } };
}
