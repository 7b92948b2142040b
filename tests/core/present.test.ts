// House style for sources in chat answers: at most three, official readouts first (one per side), the rest one command away.
import { describe, expect, it } from 'vitest';
import type { CatalogEvent } from '../../src/core/catalog.js';
import { CHAT_SOURCES, capSources, citeEvent, citeEvents } from '../../src/core/present.js';
import { formatCount, plural } from '../../src/core/text.js';
import { fixture } from '../helpers.js';

const catalog = fixture();
const base = catalog.events[0] as CatalogEvent;
const source = (url: string, readout?: 'US' | 'PRC') => ({
  title: url,
  publisher: 'P',
  date: '2024-01-01',
  url,
  ...(readout ? { readout } : {}),
});

describe('citing sources in a chat answer', () => {
  it('cites one readout of each side first, then the best of the rest, and says where the others are', () => {
    const event: CatalogEvent = {
      ...base,
      sources: [
        source('https://blog.example-mirror.net/copy'),
        source('https://www.reuters.com/story'),
        source('https://www.defense.gov/one', 'US'),
        source('https://www.defense.gov/two', 'US'),
        source('http://eng.mod.gov.cn/prc', 'PRC'),
        source('https://www.state.gov/page'),
      ],
    };
    const cited = citeEvent(event);
    expect(cited.sources.map((s) => s.url)).toEqual([
      'https://www.defense.gov/one',
      'http://eng.mod.gov.cn/prc',
      'https://www.defense.gov/two',
    ]);
    expect(cited.moreSources).toBe(`3 more sources: /event ${base.id}`);
  });

  it('says nothing more when every source is shown', () => {
    const event: CatalogEvent = { ...base, sources: [source('https://www.reuters.com/a')] };
    expect(citeEvent(event)).toEqual({ sources: [expect.objectContaining({ url: 'https://www.reuters.com/a' })] });
  });

  it('cites the best source of each of the first three events of a list', () => {
    const events = catalog.events.slice(0, 5);
    const cited = citeEvents(events);
    expect(cited.sources).toHaveLength(CHAT_SOURCES);
    cited.sources.forEach((s, i) => {
      expect(events[i]?.sources.map((x) => x.url)).toContain(s.url);
    });
    expect(cited.moreSources).toMatch(/^\d+ more sources?: each event's are in its full record, \/event <id>$/);
  });

  it('caps any list of sources at three with a pointer', () => {
    const list = ['a', 'b', 'c', 'd'].map((x) => source(`https://example.org/${x}`));
    expect(capSources(list, '/channels <name>')).toEqual({
      sources: list.slice(0, 3),
      moreSources: '1 more source: /channels <name>',
    });
  });
});

describe('naming a mechanism', () => {
  it('gives the full name with an abbreviation in brackets, and a short name in words not at all', async () => {
    const { mechanismName } = await import('../../src/core/present.js');
    expect(mechanismName({ name: 'Military Maritime Consultative Agreement', shortName: 'MMCA' })).toBe(
      'Military Maritime Consultative Agreement (MMCA)',
    );
    expect(mechanismName({ name: 'Diplomatic and Security Dialogue', shortName: 'D&SD' })).toBe(
      'Diplomatic and Security Dialogue (D&SD)',
    );
    expect(mechanismName({ name: 'Defense minister channel', shortName: 'Minister channel' })).toBe(
      'Defense minister channel',
    );
    expect(mechanismName({ name: 'Hotline' })).toBe('Hotline');
  });
});

describe('counts in answers', () => {
  it('formatCount writes whole numbers as en-US does, without Intl', () => {
    const numbers = [
      0, 1, 9, 10, 999, 1_000, 1_001, 12_345, 100_000, 999_999, 1_000_000, 3_652, -1, -1_234, -1_234_567,
    ];
    for (const n of [...numbers, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    expect(formatCount(12_345)).toBe('12,345');
    // Anything else is Intl's: fractions, infinities, NaN.
    for (const n of [1.5, 1234.5678, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 60])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    expect(plural(3_652, 'day')).toBe('3,652 days');
    expect(plural(1, 'event')).toBe('1 event');
  });
});
