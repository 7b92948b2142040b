// The text index behind /search, on documents made for it: words in thousands of documents (where only
// the best candidates are scored), words that rarely meet, and prefixes of many words.
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/queries/search.js';
import { TextIndex, type TextQuery } from '../../src/core/queries/textIndex.js';

/** Title, names, body, cited, boosted as /search boosts them. */
const index = (docs: (readonly string[])[]) => new TextIndex(docs, [3, 2, 1, 0.5], tokenize);
const query = (words: string[], combine: 'and' | 'or' = 'and'): TextQuery => ({
  words,
  combine,
  prefix: (word) => word.length >= 3,
  fuzzy: () => false,
  maxFuzzy: 0,
});
const docsOf = (hits: { doc: number }[]) => hits.map((h) => h.doc);
/** `n` filler words, so bodies differ in length (and a word counts less in a longer one). */
const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i}`).join(' ');

describe('text index', () => {
  it('ranks first the documents where a word in thousands of documents counts most', () => {
    const titled = [10, 2000, 4000, 6000, 9999];
    const docs = Array.from({ length: 10_000 }, (_, i) => [
      titled.includes(i) ? 'alpha' : 'other',
      '',
      `alpha ${filler(i % 20)}`,
    ]);
    // The titled ones, those with the shortest bodies (where the word weighs more) first.
    expect(docsOf(index(docs).top(query(['alpha']), 5))).toEqual([2000, 4000, 6000, 10, 9999]);
  });

  it('finds every document with two common words that rarely meet, however low they rank on each', () => {
    const both = [42, 7777];
    const docs = Array.from({ length: 10_000 }, (_, i) => {
      const words = both.includes(i) ? 'alpha beta' : i < 5000 ? 'alpha' : 'beta';
      return ['', '', `${words} ${filler(both.includes(i) ? 40 : i % 20)}`];
    });
    const text = index(docs);
    expect(docsOf(text.top(query(['alpha', 'beta']), 10))).toEqual(both);
    expect(docsOf(text.top(query(['beta', 'alpha']), 1))).toEqual([42]);
  });

  it('lets a prefix stand for at most 50 words, the closest first', () => {
    // prefix0 … prefix9 are one letter longer than "prefix", prefix10 … prefix59 two.
    const docs = Array.from({ length: 60 }, (_, i) => ['', '', `prefix${i}`]);
    const hits = docsOf(index(docs).top(query(['prefix']), 100));
    expect(hits).toHaveLength(50);
    expect(hits.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('finds the best documents of a prefix that stands for many common words', () => {
    // gamma0 … gamma19, each in 600 bodies; one document has gamma13 in its title as well.
    const docs = Array.from({ length: 12_000 }, (_, i) => [
      i === 7777 ? 'gamma13' : '',
      '',
      `gamma${i % 20} ${filler(i % 7)}`,
    ]);
    expect(docsOf(index(docs).top(query(['gamma']), 1))).toEqual([7777]);
  });

  it('asks `accept` in rank order and skips what it turns down', () => {
    const docs = Array.from({ length: 10_000 }, (_, i) => ['', '', `alpha ${filler(i % 20)}`]);
    const text = index(docs);
    // The shortest bodies (i % 20 === 0, all even) come first; the odd ones after them.
    const best = docsOf(text.top(query(['alpha']), 1000));
    const odd = docsOf(text.top(query(['alpha']), 10, ({ doc }) => doc % 2 === 1));
    expect(odd).toEqual(best.filter((doc) => doc % 2 === 1).slice(0, 10));
  });
});
