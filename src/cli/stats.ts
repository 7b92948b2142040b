// `hotline data stats`: counts of events by year, level, kind and mechanism, as text tables.
import type { Catalog } from '../core/catalog.js';

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
    table(
      'year',
      count((e) => [e.start.slice(0, 4)]),
      true,
    ),
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
