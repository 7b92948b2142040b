// What a review of the record still has to do, per year file: undated sources, events cited only from copies,
// month-only dates, and high-level contacts without the PRC side's readout. Usage: node bin/run-ts.js scripts/recordGaps.ts [dir] [year...]
import { readdirSync, readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { sourceClass } from '../src/core/sourceQuality.js';

// Arguments follow this file's own path, however it was started (run-ts.js or tsx).
type Src = { date?: string; url: string; publisher?: string; readout?: string };
type Ev = { id: string; date: string; level: string; status: string; sources?: Src[] };

const args = process.argv.slice(process.argv.findIndex((arg) => arg.endsWith('recordGaps.ts')) + 1);
const dir = args[0] ?? 'data/events';
const only = args.slice(1);
for (const f of readdirSync(dir).sort()) {
  const year = f.replace('.yaml', '');
  if (only.length && !only.includes(year)) continue;
  const events = (load(readFileSync(`${dir}/${f}`, 'utf8'), { schema: CORE_SCHEMA }) as Ev[] | null) ?? [];
  const lines: string[] = [];
  for (const e of events) {
    const srcs = e.sources ?? [];
    srcs.forEach((s, i) => {
      if (!s.date) lines.push(`  UNDATED sources.${i} ${e.id}: ${s.publisher} ${s.url}`);
    });
    if (year >= '2009' && srcs.every((s) => sourceClass(s) === 'copy')) lines.push(`  COPY-ONLY ${e.id}`);
    if (/^\d{4}-\d{2}$/.test(String(e.date)) || String(e.id).includes('-00-'))
      lines.push(`  MONTH-ONLY ${e.id} (${e.date})`);
    const high = ['leaders', 'minister', 'chief-of-defense', 'theater-commander'].includes(e.level);
    if (year >= '2009' && high && e.status === 'held' && !srcs.some((s) => s.readout === 'PRC'))
      lines.push(
        `  NO-PRC-READOUT ${e.id} (${e.level})${srcs.some((s) => s.readout === 'US') ? '' : ' [no US readout either]'}`,
      );
  }
  if (lines.length) console.log(`${f}\n${lines.join('\n')}`);
}
