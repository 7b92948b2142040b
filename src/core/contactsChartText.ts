// Words for the contacts chart: its title and the text alternative that says in plain English what it shows,
// for screen readers, previews that show no image, and the console. Wording only; the counts are the query's.
import { formatDate, formatSpan } from './dates.js';
import { single } from './filter.js';
import { countKind, describeFilter, levelHeading } from './present.js';
import { type ContactSeries, endsWithWholeMonth, type MonthCounts } from './queries/contactsByMonth.js';
import { formatCount, plural } from './text.js';

/** "contact"/"contacts", "call"/"calls" with kind:call, "event"/"events" with several kinds: what the bars count. */
export function countedNoun(series: Pick<ContactSeries, 'filter'>): { one: string; many: string } {
  const kinds = series.filter.kinds;
  if (!kinds) return { one: 'contact', many: 'contacts' };
  const kind = single(kinds);
  if (!kind) return { one: 'event', many: 'events' };
  return { one: countKind(1, kind).slice(2), many: countKind(2, kind).slice(2) };
}

/**
 * "December 2025 – November 2026", "December 2025 – 15 November 2026" when the last month is partial,
 * "November 2026" for one whole month.
 */
export function seriesSpan(series: Pick<ContactSeries, 'from' | 'to'>): string {
  const first = series.from.slice(0, 7);
  const last = endsWithWholeMonth(series) ? series.to.slice(0, 7) : series.to;
  return first === last ? formatDate(first) : `${formatDate(first)} – ${formatDate(last)}`;
}

/** "Contacts per month by level · Taiwan": the chart's title, naming the filter as the digest's title does. */
export function chartTitle(series: Pick<ContactSeries, 'filter'>): string {
  const scope = describeFilter(series.filter);
  const head = `${capitalized(countedNoun(series).many)} per month by level`;
  return scope.length > 0 ? `${head} · ${scope.join(' · ')}` : head;
}

/**
 * The text alternative: what is counted, over which months, the total, the busiest month, the split by level,
 * every month's count, and the window's marked events. For example: "Contacts per month by level, December
 * 2025 – November 2026: 14 in all; most in April 2026 (4). By level: minister level 5, working level 9. By
 * month: December 2025 none, January 2026 2, … This digest's window, 1–30 November 2026, is shaded; 2
 * contacts in it are marked."
 */
export function describeContactSeries(series: ContactSeries): string {
  const noun = countedNoun(series);
  const scope = describeFilter(series.filter);
  const head = `${capitalized(noun.many)} per month by level${
    scope.length > 0 ? ` (${scope.join(', ')})` : ''
  }, ${seriesSpan(series)}`;
  const sentences: string[] = [];
  if (series.total === 0) {
    sentences.push(`${head}: none on record.`);
  } else {
    sentences.push(`${head}: ${formatCount(series.total)} in all; ${busiest(series.months)}.`);
    const levels = series.levels.map((level) => {
      const n = series.months.reduce((sum, m) => sum + m.byLevel[level], 0);
      return `${levelHeading(level).toLowerCase()} ${formatCount(n)}`;
    });
    sentences.push(`By level: ${levels.join(', ')}.`);
    const months = series.months.map((m) => `${formatDate(m.month)} ${m.total === 0 ? 'none' : formatCount(m.total)}`);
    sentences.push(`By month: ${months.join(', ')}.`);
  }
  if (series.window) {
    const span = formatSpan(series.window.from, series.window.to);
    const n = series.marked.length;
    const inIt =
      n === 0
        ? `no ${noun.many} fall in it`
        : `${plural(n, noun.one, noun.many)} in it ${n === 1 ? 'is' : 'are'} marked`;
    sentences.push(`This digest's window, ${span}, is shaded; ${inIt}.`);
  }
  return sentences.join(' ');
}

/** "most in April 2026 (4)", "most in April 2026 and June 2026 (4 each)". */
function busiest(months: readonly MonthCounts[]): string {
  const top = Math.max(...months.map((m) => m.total));
  const names = months.filter((m) => m.total === top).map((m) => formatDate(m.month));
  const each = names.length > 1 ? ' each' : '';
  return `most in ${joinAnd(names)} (${formatCount(top)}${each})`;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "a, b and c". */
function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
