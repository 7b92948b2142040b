// ICS line folding (src/export/fold.ts): every line at most 75 octets, never inside a character, the same bytes as
// ical-generator's own folder, and any text (Chinese, emoji, escapes) read back whole by ical.js.
import fc from 'fast-check';
import ICAL from 'ical.js';
import { foldLines as libraryFold } from 'ical-generator';
import { describe, expect, it } from 'vitest';
import { type Catalog, indexCatalog } from '../src/core/catalog.js';
import { EventSchema } from '../src/core/schema.js';
import { foldLine, foldLines } from '../src/export/fold.js';
import { exportEvents } from '../src/export/index.js';
import { withoutRevisions } from '../src/export/revisions.js';
import { fixture } from './helpers.js';

const octets = (line: string) => Buffer.byteLength(line, 'utf8');

/** RFC 5545 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

/** Text as exports carry it: Chinese, emoji (surrogate pairs, flags), accents, and what ICS escapes. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('董', '军', '国防部', '😀', '🚢', '🇺🇸', 'é', 'Đ', ',', ';', '\\', '\n', ' ', ':', '"'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }),
  ),
  maxLength: 400,
});

describe('foldLine', () => {
  it('GIVEN 80 ASCII characters THEN a line of 74, then a space and the other 6', () => {
    const line = 'x'.repeat(80);
    expect(foldLine(line)).toBe(`${'x'.repeat(74)}\r\n ${'x'.repeat(6)}`);
  });

  it('GIVEN Chinese (3 octets) and emoji (4 octets) across the limit THEN no character is split', () => {
    // 72 ASCII octets, then 董 (3): 75 > 74, so 董 starts the next line; then 😀 fits after it.
    expect(foldLine(`${'a'.repeat(72)}董😀`)).toBe(`${'a'.repeat(72)}\r\n 董😀`);
    // 71 + 😀 (4) = 75: the emoji, both halves of its surrogate pair, moves to the next line.
    expect(foldLine(`${'a'.repeat(71)}😀b`)).toBe(`${'a'.repeat(71)}\r\n 😀b`);
  });

  it('GIVEN a line of exactly 74 octets THEN it is left alone', () => {
    expect(foldLine(`${'a'.repeat(71)}董`)).toBe(`${'a'.repeat(71)}董`);
  });
});

describe('foldLines, for any text', () => {
  it('GIVEN lines of any text THEN every line is ≤ 75 octets and unfolding gives the text back', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (lines) => {
        // Content lines start with a property name, never with the space that marks a fold.
        const input = lines.map((l) => `X-TEXT:${l.replace(/\r?\n/g, '\\n')}`).join('\r\n');
        const folded = foldLines(input);
        for (const line of folded.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
        expect(unfold(folded)).toBe(input);
      }),
    );
  });

  it('GIVEN any well-formed text THEN the same bytes as ical-generator’s own foldLines', () => {
    fc.assert(
      fc.property(text, (value) => {
        const line = `DESCRIPTION:${value.replace(/\n/g, '\\n')}`;
        expect(foldLines(line)).toBe(libraryFold(line));
      }),
    );
  });
});

/** A catalog of the fixture's people and topics plus one event whose summary and location are `summary`. */
function catalogWith(summary: string): Catalog {
  const base = fixture();
  const record = EventSchema.parse({
    id: '2024-03-01-folded',
    date: '2024-03-01',
    kind: 'meeting',
    status: 'held',
    level: 'minister',
    location: summary,
    participants: [{ person: 'dong-jun', side: 'PRC' }],
    summary,
    sources: [{ title: `Readout ${summary}`, publisher: '新华社', url: 'https://example.org/a' }],
    recordedAt: '2024-03-02',
  });
  return indexCatalog(
    [{ ...record, mechanisms: [], topics: [], file: 'folded.yaml' }],
    base.people,
    base.mechanisms,
    base.topics,
    base.coverage,
  );
}

describe('the ICS export, for any text', () => {
  // Text a record may hold: no leading or trailing blanks, no blank-only text (the schema trims and refuses them).
  const summary = text.map((t) => t.trim()).filter((t) => t.length > 0);

  it('GIVEN a summary of any text THEN every line is ≤ 75 octets and ical.js reads the summary and location back whole', async () => {
    await fc.assert(
      fc.asyncProperty(summary, async (value) => {
        const catalog = catalogWith(value);
        const ics = await exportEvents('ics', {
          catalog,
          events: withoutRevisions(catalog.events),
          filter: '',
          scope: [],
          generated: '2026-12-01T00:00:00.000Z',
        });
        expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
        for (const line of ics.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
        const calendar = new ICAL.Component(ICAL.parse(ics));
        const [vevent] = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
        expect(vevent?.uid).toBe('2024-03-01-folded@hotline');
        expect(vevent?.location).toBe(value);
        expect(vevent?.description.startsWith(`${value}\n\n`)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
