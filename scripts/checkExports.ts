// The acceptance of issue 16's exports, by hand: reads files `hotline export` wrote back with libraries that did not
// write them (ical.js, Papa Parse, fast-xml-parser) and prints what they found (docs/EXPORTS.md).
//   npx hotline export --format ics level:minister > m.ics
//   npx hotline export --format csv level:minister > m.csv
//   npx hotline export --format atom topic:taiwan > t.atom
//   node bin/run-ts.js scripts/checkExports.ts m.ics m.csv t.atom
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import Papa from 'papaparse';

const [icsPath, csvPath, atomPath] = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
if (!icsPath || !csvPath || !atomPath) {
  console.error('usage: node bin/run-ts.js scripts/checkExports.ts FILE.ics FILE.csv FILE.atom');
  process.exit(2);
}

const ics = readFileSync(icsPath, 'utf8');
const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
const octets = Math.max(...ics.split('\r\n').map((line) => Buffer.byteLength(line)));
console.log(
  `ICS: ${vevents.length} VEVENTs, ${new Set(vevents.map((e) => e.uid)).size} distinct UIDs, longest line ${octets} octets, all-day: ${vevents.every((e) => e.startDate.isDate)}`,
);

const csv = readFileSync(csvPath, 'utf8');
const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { newline: '\r\n', skipEmptyLines: true });
const dong = rows.data.filter((row) => row.some((cell) => cell.includes('董军')));
console.log(
  `CSV: byte-order mark ${csv.startsWith('\uFEFF')}, ${rows.data.length - 1} rows, ${rows.errors.length} parse errors, ${dong.length} rows with 董军`,
);

const atom = readFileSync(atomPath, 'utf8');
const valid = XMLValidator.validate(atom);
const feed = new XMLParser({ ignoreAttributes: false }).parse(atom).feed as { title: string; entry?: unknown };
const entries = ([] as unknown[]).concat(feed.entry ?? []);
console.log(`Atom: well-formed ${valid === true}, title "${feed.title}", ${entries.length} entries`);
