// Hostile text in every export: node bin/run-ts.js bench/attack/export-probe.ts
// Prints CSV cells that a spreadsheet would run as formulas, ICS lines that are not properties of the event,
// and whether the Atom parses as XML with the text intact.
import Papa from 'papaparse';
import { indexCatalog } from '../../src/core/catalog.js';
import type { EventRecord } from '../../src/core/schema.js';
import { exportEvents } from '../../src/export/index.js';
import { withoutRevisions } from '../../src/export/revisions.js';
import { fixture } from '../../tests/helpers.js';

const base = fixture();
const payloads = [
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  ' =1+1',
  '\u200B=1+1',
  '\u202E=1+1',
  '"=1+1',
  'x\nBEGIN:VEVENT\nSUMMARY:injected\nEND:VEVENT',
  'y\r\nATTENDEE:mailto:evil@example.org',
  'z;X-INJ=1:2,3\\n',
  ']]></content><script>alert(1)</script><content><![CDATA[',
  '</title><entry><id>evil</id></entry>',
  '\u0000\u0001\u0008\u000B\u001F\uFFFE',
];
const events: EventRecord[] = payloads.map((p, i) => ({
  id: `2024-04-${String(i + 1).padStart(2, '0')}-attack`,
  date: `2024-04-${String(i + 1).padStart(2, '0')}`,
  kind: 'meeting',
  status: 'held',
  format: 'in-person',
  location: p,
  level: 'minister',
  mechanisms: [],
  participants: [
    { name: p, side: 'PRC' },
    { person: 'dong-jun', side: 'PRC' },
  ],
  topics: [],
  summary: p,
  sources: [{ title: p, publisher: p, url: 'https://example.org/x' }],
  notes: p,
  recordedAt: '2024-04-30',
}));
const catalog = indexCatalog(
  [...events.map((e) => ({ ...e, file: 'attack.yaml' }))],
  base.people,
  base.mechanisms,
  base.topics,
  base.coverage,
);
const selected = withoutRevisions(catalog.events);
const input = { catalog, events: selected, filter: '', scope: [], generated: '2024-05-01T00:00:00Z' };

const csv = await exportEvents('csv', input);
const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { newline: '\r\n', skipEmptyLines: true }).data;
let bad = 0;
for (const row of rows.slice(1)) {
  for (const cell of row) {
    if (/^[=+\-@\t\r＝＋－＠]/.test(cell)) {
      bad++;
      console.log('CSV formula cell:', JSON.stringify(cell).slice(0, 80));
    }
  }
}
console.log(`CSV: ${rows.length - 1} rows, ${bad} cells a spreadsheet may run`);

const ics = await exportEvents('ics', input);
const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const stray = lines.filter((l) => l !== '' && !/^[A-Z-]+[;:]/.test(l));
const props = lines.filter((l) => /^(BEGIN:VEVENT|ATTENDEE|X-INJ|SUMMARY:injected)/.test(l));
console.log(
  `ICS: ${lines.length} lines, stray ${stray.length}, VEVENTs ${props.filter((l) => l === 'BEGIN:VEVENT').length} (expected ${events.length}), injected ${props.filter((l) => l !== 'BEGIN:VEVENT').length}`,
);
for (const l of stray.slice(0, 5)) console.log('  stray:', JSON.stringify(l).slice(0, 100));
console.log('ICS bare LF or CR:', /[^\r]\n|\r(?!\n)/.test(ics));

const atom = await exportEvents('atom', input);
const { XMLParser, XMLValidator } = await import('fast-xml-parser');
const valid = XMLValidator.validate(atom);
console.log('Atom valid XML:', valid === true ? 'yes' : JSON.stringify(valid));
const parsed = new XMLParser().parse(atom);
const entries = [parsed.feed.entry].flat();
console.log(
  `Atom entries: ${entries.length} (expected ${events.length}); ids: ${entries.filter((e) => String(e.id).includes('evil')).length} forged`,
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the probe looks for exactly these characters
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/g;
console.log('Atom control chars:', FORBIDDEN.test(atom));
const json = await exportEvents('json', input);
JSON.parse(json);
console.log('JSON parses; </script> raw:', json.includes('</script>'));
const found = [...atom.matchAll(FORBIDDEN)].map(
  (m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}@${m.index}`,
);
console.log('Atom control chars found:', found.slice(0, 10).join(' '), found.length);
const at = found[0] ? Number(found[0].split('@')[1]) : 0;
console.log(JSON.stringify(atom.slice(Math.max(0, at - 120), at + 40)));
