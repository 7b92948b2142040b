// The web view in a real browser (Debian's chromium, driven by playwright-core, which downloads nothing): each page
// loads with no script and no blocked style, links lead to pages that exist, forms work, hostile text is text.
// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes; innerText is the rendered text a reader sees, which is what the test checks.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { webListener } from '../../src/web/router.js';
import { type RunningWeb, startWebServer } from '../../src/web/server.js';
import { HOSTILE, HOSTILE_EVENT, HOSTILE_PATHS, hostileCatalog, SCRIPT } from './hostile.js';

/** Where a browser may be: CHROMIUM_PATH, else Debian's and other usual places. */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
].filter((path): path is string => Boolean(path));
const executablePath = CANDIDATES.find((path) => existsSync(path));

if (!executablePath) {
  const reason = `no chromium found (looked at ${CANDIDATES.join(', ')}); install it with apt-get install -y chromium, or set CHROMIUM_PATH`;
  // In CI (.ci/run installs chromium) a missing browser is a failure, never a silent skip.
  if (process.env.CI) throw new Error(`browser test: ${reason}`);
  console.warn(`browser test skipped: ${reason}`);
}

describe.skipIf(!executablePath)('the web view in chromium', () => {
  const catalog = hostileCatalog();
  let web: RunningWeb;
  let browser: Browser;
  let page: Page;
  /** What the browser reported that a page should never cause: console errors (a CSP refusal), dialogs, page errors. */
  const problems: string[] = [];

  beforeAll(async () => {
    web = await startWebServer(
      webListener({ catalog: () => catalog, commands: COMMANDS, today: () => '2024-06-30' }),
      0,
      '127.0.0.1',
    );
    // One browser for the file. No sandbox: CI runs as root in a container, where chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'], timeout: 60_000 });
    // A phone's viewport: pages must read without sideways scrolling.
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  /** Loads a path and returns the response status. */
  async function open(path: string): Promise<number> {
    const response = await page.goto(`${web.url}${path}`);
    return response?.status() ?? 0;
  }

  it.each(HOSTILE_PATHS)(
    'GIVEN %s THEN it loads, styled, with no script run and hostile text shown as text',
    async (path) => {
      problems.length = 0;
      expect(await open(path)).toBe(200);
      // Nothing from the data became an element: the page has no <script>, <b> or <i> at all.
      expect(await page.locator('script, b, i').count()).toBe(0);
      // The style sheet applied (the CSP allows it by hash): the header is laid out as flex.
      // (Expressions as strings: they run in the page, and this project's types have no DOM.)
      expect(await page.evaluate("getComputedStyle(document.querySelector('header')).display")).toBe('flex');
      const text = await page.locator('main').innerText();
      if (path !== '/channels?date=2024-03-05') expect(text).toContain(HOSTILE);
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
      expect(problems, problems.join('\n')).toEqual([]);
    },
  );

  it('GIVEN the board THEN following links reaches an event, a person, a channel and the next filters', async () => {
    expect(await open('/')).toBe(200);
    await page.locator(`main a[href="/events/${HOSTILE_EVENT}"]`).first().click();
    await page.waitForURL(`**/events/${HOSTILE_EVENT}`);
    expect(await page.locator('h1').innerText()).toContain('Meeting:');
    // Both readouts side by side: two columns next to each other when there is room.
    const sides = page.locator('.columns section h3');
    expect(await sides.allInnerTexts()).toEqual(['US side', 'PRC side']);
    await page.locator('a[href="/people/dong-jun"]').first().click();
    await page.waitForURL('**/people/dong-jun');
    expect(await page.locator('h1').innerText()).toBe('Dong Jun 董军');
    await page.goBack();
    await page.locator('a[href^="/channels?mechanism="]').first().click();
    expect(await page.locator('main h3', { hasText: 'History' }).count()).toBe(1);
    // Every link on the event page that stays on the site answers 200.
    expect(await open(`/events/${HOSTILE_EVENT}`)).toBe(200);
    const hrefs = await page
      .locator('main a[href^="/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of new Set(hrefs)) {
      const response = await page.request.get(`${web.url}${href}`);
      expect([href, response.status()]).toEqual([href, 200]);
    }
  });

  it('GIVEN the timeline form THEN it asks for the filters as query parameters, without a script', async () => {
    expect(await open('/timeline')).toBe(200);
    await page.locator('select[name="level"]').selectOption('minister');
    await page.locator('input[name="person"]').fill('Dong Jun');
    await page.locator('form.filters button').click();
    await page.waitForURL(/\/timeline\?/);
    expect(page.url()).toContain('level=minister');
    expect(await page.locator('h1').innerText()).toBe('Timeline · minister level · Dong Jun');
  });

  it('GIVEN a bad filter THEN a 400 page says what was wrong, and its example link answers', async () => {
    expect(await open('/timeline?level=ministre')).toBe(400);
    expect(await page.locator('main').innerText()).toContain('Did you mean minister?');
    await page.locator('main a', { hasText: '/timeline?level=minister' }).click();
    await page.waitForURL('**/timeline?level=minister');
    expect(await page.locator('h1').innerText()).toBe('Timeline · minister level');
  });

  it('GIVEN an unknown event THEN a 404 page suggests the nearest id, and following it shows the event', async () => {
    expect(await open('/events/2024-03-01-hostil')).toBe(404);
    await page.locator('main a[href^="/events/"]').first().click();
    await page.waitForURL(`**/events/${HOSTILE_EVENT}`);
    expect(await page.locator('main').innerText()).toContain(SCRIPT);
  });
});
