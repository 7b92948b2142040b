// Synthetic data sets of any size, in the real file format, for benchmarks (seeded, so runs compare).
import { dump } from 'js-yaml';
import type { DataFile } from '../src/core/catalog.js';
import { FORMATS, KINDS, LEVELS, STATUSES } from '../src/core/vocabulary.js';

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'li',
  'wang',
  'zhang',
  'liu',
  'chen',
  'yang',
  'zhao',
  'huang',
  'zhou',
  'wu',
  'xu',
  'sun',
  'ma',
  'hu',
  'guo',
  'he',
  'gao',
  'lin',
  'luo',
  'zheng',
];
const WORDS = [
  'talks',
  'maritime',
  'safety',
  'hotline',
  'crisis',
  'communication',
  'Taiwan',
  'strait',
  'exercise',
  'readout',
  'minister',
  'delegation',
  'dialogue',
  'channel',
  'incident',
  'aircraft',
  'navy',
  'intercept',
  'agreement',
  'resume',
];

/** A 5,000-word vocabulary: the 20 WORDS first (the most common), then made-up rarer words. */
export function vocabularyWords(): string[] {
  const rand = random(7);
  const words = [...WORDS];
  while (words.length < 5000) {
    words.push(`${SYLLABLES[Math.floor(rand() * 20)]}${SYLLABLES[Math.floor(rand() * 20)]}${words.length}`);
  }
  return words;
}

/** Draws words with Zipf's law (s = 1), as in real prose: a few words are everywhere, most are rare. */
function vocabulary(rand: () => number): () => string {
  const words = vocabularyWords();
  const weights = words.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w / total;
    cumulative.push(sum);
  }
  return () => {
    const r = rand();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return words[lo] as string;
  };
}

/** Han characters for made-up Chinese names and source titles (with `chinese`; they draw no random numbers, so the rest of the data stays the same). */
const HAN_CHARS = [...'国防部海上军事安全磋商中美对话热线危机沟通演习台湾海峡舰机相遇部长会晤'];

/**
 * Data files for `count` events (plus people, mechanisms and topics), spread over 1990–2026. With
 * `chinese`, PRC people get Chinese names and every third event a source with a Chinese title.
 */
export function syntheticData(count: number, seed = 1, { chinese = false } = {}): DataFile[] {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const word = vocabulary(rand);
  const people = Array.from({ length: 400 }, (_, i) => {
    const name = `${pick(SYLLABLES)} ${pick(SYLLABLES)}${i}`;
    return {
      id: `person-${i}`,
      name,
      aliases: [`General ${name}`],
      ...(chinese && i % 2 === 1 ? { chineseName: hanText(i, 3) } : {}),
      side: i % 2 === 0 ? 'US' : 'PRC',
      positions: [
        {
          title: `Office ${i % 40}`,
          aliases: [`office alias ${i % 40}`],
          start: `${1990 + (i % 30)}`,
          end: `${1995 + (i % 30)}`,
        },
      ],
    };
  });
  const topics = Array.from({ length: 30 }, (_, i) => ({
    id: `topic-${i}`,
    label: `Topic ${i}`,
    keywords: [pick(WORDS)],
  }));
  const mechanisms = Array.from({ length: 12 }, (_, i) => ({
    id: `mechanism-${i}`,
    name: `Mechanism ${i}`,
    description: 'Synthetic mechanism.',
    levels: [LEVELS[i % LEVELS.length]],
    history: [
      {
        date: '1990-01-01',
        status: 'established',
        note: 'Set up.',
        sources: [{ title: 'Synthetic', publisher: 'Bench', url: 'https://example.org/m' }],
      },
      {
        date: '2022-08-05',
        status: 'cancelled',
        note: 'Cancelled.',
        sources: [{ title: 'Synthetic', publisher: 'Bench', url: 'https://example.org/m2' }],
      },
    ],
  }));
  const byYear = new Map<number, object[]>();
  const start = Date.UTC(1990, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  for (let i = 0; i < count; i++) {
    const date = new Date(start + Math.floor(rand() * span)).toISOString().slice(0, 10);
    const a = people[Math.floor(rand() * people.length)];
    const b = people[Math.floor(rand() * people.length)];
    const event = {
      id: `${date}-synthetic-${i}`,
      date,
      kind: rand() < 0.8 ? pick(KINDS.slice(0, 8)) : pick(KINDS),
      status: rand() < 0.85 ? 'held' : pick(STATUSES),
      format: pick(FORMATS),
      location: 'Somewhere',
      level: pick(LEVELS),
      mechanisms: rand() < 0.5 ? [pick(mechanisms).id] : [],
      participants: [
        { person: a?.id, side: a?.side },
        { person: b?.id, side: b?.side },
      ],
      topics: [pick(topics).id, pick(topics).id].filter((t, j, all) => all.indexOf(t) === j),
      summary: Array.from({ length: 30 }, word).join(' '),
      sources: [
        {
          title: 'Synthetic report',
          publisher: 'Bench News',
          date,
          url: `https://example.org/e/${i}`,
          ...(rand() < 0.3 ? { readout: pick(['US', 'PRC']) } : {}),
        },
        ...(chinese && i % 3 === 0
          ? [{ title: hanText(i, 8), publisher: '新华社', date, url: `https://example.org/zh/${i}` }]
          : []),
      ],
      recordedAt: '2026-11-24',
    };
    const year = Number(date.slice(0, 4));
    const list = byYear.get(year) ?? [];
    list.push(event);
    byYear.set(year, list);
  }
  return [
    { path: 'people.yaml', text: dump(people) },
    { path: 'topics.yaml', text: dump(topics) },
    { path: 'mechanisms.yaml', text: dump(mechanisms) },
    {
      path: 'coverage.yaml',
      text: dump({
        complete: { from: '1990-01-01', levels: ['leaders', 'minister', 'senior-official'] },
        reviewedTo: '2026-11-01',
      }),
    },
    ...[...byYear.entries()].map(([year, events]) => ({ path: `events/${year}.yaml`, text: dump(events) })),
  ];
}

/** `length` Han characters from the list, starting where `n` says (so phrases such as 国防部 recur). */
function hanText(n: number, length: number): string {
  const at = (n * 7) % HAN_CHARS.length;
  return [...HAN_CHARS, ...HAN_CHARS].slice(at, at + length).join('');
}
