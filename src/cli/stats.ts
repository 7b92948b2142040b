// `hotline data stats`: counts of events by year (with how citable their sources are), level, kind and mechanism.
import type { Catalog } from '../core/catalog.js';
import { hasCitableSource } from '../core/sourceQuality.js';

/** The statistics of a catalog as plain-text tables. */
export function dataStats(catalog: Catalog): string {
  const count = (key: (e: Catalog['events'][number]) => string[]) => {
    const counts = new Map<string, number>();
    for (const event of catalog.events) for (const k of key(event)) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
  };
  const table = (title: string, counts: Map<string, number>, sortByKey = false) => {
    const rows = [...counts.entries()].sort(
      sortByKey ? (a, b) => a[0].localeCompare(b[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    const width = Math.max(title.length, ...rows.map(([k]) => k.length));
    return [
      `${title.padEnd(width)}  events`,
      ...rows.map(([k, n]) => `${k.padEnd(width)}  ${String(n).padStart(6)}`),
    ].join('\n');
  };
  return [
    `${catalog.events.length} events, ${catalog.people.size} people, ${catalog.mechanisms.size} mechanisms, ${catalog.topics.size} topics`,
    sourceTable(catalog),
    table(
      'level',
      count((e) => [e.level]),
    ),
    table(
      'kind',
      count((e) => [e.kind]),
    ),
    table(
      'mechanism',
      count((e) => (e.mechanisms.length > 0 ? e.mechanisms : ['(none)'])),
    ),
  ].join('\n\n');
}

/**
 * Per year: events, how many have an official or major source (and the share), and how many carry each
 * side's official readout; then the totals from the start of the complete period.
 */
function sourceTable(catalog: Catalog): string {
  type Row = { events: number; citable: number; us: number; prc: number };
  const rows = new Map<string, Row>();
  const from = catalog.coverage.complete.from;
  const total: Row = { events: 0, citable: 0, us: 0, prc: 0 };
  for (const event of catalog.events) {
    const year = event.start.slice(0, 4);
    const row = rows.get(year) ?? { events: 0, citable: 0, us: 0, prc: 0 };
    const add = (r: Row) => {
      r.events += 1;
      if (hasCitableSource(event)) r.citable += 1;
      if (event.sources.some((s) => s.readout === 'US')) r.us += 1;
      if (event.sources.some((s) => s.readout === 'PRC')) r.prc += 1;
    };
    add(row);
    if (event.start >= from) add(total);
    rows.set(year, row);
  }
  const share = (r: Row) => (r.events === 0 ? '' : `${Math.round((100 * r.citable) / r.events)}%`);
  const line = (label: string, r: Row) =>
    [
      label.padEnd(10),
      String(r.events).padStart(6),
      String(r.citable).padStart(17),
      share(r).padStart(5),
      String(r.us).padStart(10),
      String(r.prc).padStart(11),
    ].join('  ');
  return [
    ['year'.padEnd(10), 'events', 'official or major', 'share', 'US readout', 'PRC readout'].join('  '),
    ...[...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([year, r]) => line(year, r)),
    line(`${from.slice(0, 4)}–`, total),
  ].join('\n');
}
