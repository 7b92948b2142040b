// A compact full-text index: postings in flat typed arrays, BM25 over weighted fields as minisearch
// scores it, and only the best few documents ranked. minisearch's own index puts every match of every
// word in a Map with an object per document and sorts them all, which takes half a second for common
// words at 100,000 events; here a query touches each posting once, in arrays reused from query to
// query, and keeps a small heap. The words' prefixes and close spellings still come from minisearch's
// radix tree (SearchableMap).
import SearchableMap from 'minisearch/SearchableMap';

/** How the words of a query are looked up and combined. */
export interface TextQuery {
  /** Distinct lowercase words, at most 16 (each gets one bit of a 16-bit mask). */
  words: readonly string[];
  /** 'and': a document must match every word; 'or': any word, more words scoring higher. */
  combine: 'and' | 'or';
  /** Whether a word also matches longer words it starts. */
  prefix: (word: string) => boolean;
  /** The share of a word's length that may be mistyped (0.2 of 10 letters: 2 edits), or false. */
  fuzzy: (word: string) => number | false;
  /** The most edits a close spelling may have, whatever the word's length. */
  maxFuzzy: number;
}

/** A ranked document: its position in the documents indexed, and its score. */
export interface TextHit {
  doc: number;
  score: number;
}

/** A query word as the index holds it: a term's number, and what a match in each field counts. */
interface Variant {
  term: number;
  /** Per field: the field's boost × the variant's weight × the term's rarity there (BM25's idf). */
  fieldWeights: number[];
}

// minisearch's defaults, so scores (and ranks) are what they were with its index.
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** A posting packs its document and field as doc * FIELD_SLOTS + field. */
const FIELD_SLOTS = 4;
/**
 * Queries whose terms have more postings than this are not scored in full: each term found in more
 * documents than CHAMPIONS offers only its CHAMPIONS best (by its own score) as candidates, and the
 * candidates are then scored exactly. A common word's other documents mention it no more than those,
 * so what is left out ranks below them on that word.
 */
const FULL_SCAN = 8192;
const CHAMPIONS = 1024;
/** A prefix or a close spelling stands for at most this many words (as Elasticsearch's max_expansions). */
const MAX_EXPANSIONS = 50;

/** A growable Int32Array (plain arrays of millions of numbers cost eight bytes each and more GC). */
class IntList {
  values = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * What a built index is made of, as it can be stored and read back (the catalog cache keeps it): the terms
 * by number, and the typed arrays.
 */
export interface TextIndexParts {
  terms: readonly string[];
  start: Int32Array;
  postings: Int32Array;
  frequency: Uint16Array;
  docsWith: Int32Array;
  lengths: Uint16Array;
  meanLength: Float64Array;
  boosts: readonly number[];
  docCount: number;
}

/** The documents to index, each given as its fields' texts (missing fields as undefined or ''). */
export type TextDocs = readonly (readonly (string | undefined)[])[];

export class TextIndex {
  /** Term → its number, for exact look-ups. */
  private readonly terms: Map<string, number>;
  /** The same terms in a radix tree, for prefixes and close spellings. */
  private readonly tree: SearchableMap<number>;
  /** Term t's postings are postings[start[t]] … postings[start[t + 1] - 1], in document order. */
  private readonly start: Int32Array;
  private readonly postings: Int32Array;
  private readonly frequency: Uint16Array;
  /** How many documents have term t in field f: docsWith[t * FIELD_SLOTS + f]. */
  private readonly docsWith: Int32Array;
  /** Distinct terms of a document's field, and the mean over documents of each field. */
  private readonly lengths: Uint16Array;
  private readonly meanLength: Float64Array;
  private readonly boosts: readonly number[];
  private readonly docCount: number;
  // Per-document scratch reused by every query: a generation stamp says which entries are this query's.
  private readonly score: Float64Array;
  private readonly matched: Uint16Array;
  private readonly stamp: Uint32Array;
  private readonly touched: Int32Array;
  private generation = 0;
  /** Per term found in more than CHAMPIONS documents, once asked for: its best documents. */
  private readonly champion = new Map<number, Int32Array>();

  /**
   * Indexes `docs` with `boosts` per field (at most four fields); terms are `tokenize`'s, lowercased. Or
   * takes an index's parts as `toParts` gave them (then `boosts` and `tokenize` are not used).
   */
  constructor(docs: TextDocs | TextIndexParts, boosts: readonly number[] = [], tokenize?: (text: string) => string[]) {
    if (!('postings' in docs) && !tokenize) throw new Error('indexing documents needs a tokenize function');
    const parts = 'postings' in docs ? docs : buildParts(docs, boosts, tokenize as (text: string) => string[]);
    this.boosts = parts.boosts;
    this.docCount = parts.docCount;
    this.terms = new Map(parts.terms.map((term, i) => [term, i]));
    this.tree = SearchableMap.from(this.terms);
    this.start = parts.start;
    this.postings = parts.postings;
    this.frequency = parts.frequency;
    this.docsWith = parts.docsWith;
    this.lengths = parts.lengths;
    this.meanLength = parts.meanLength;
    this.score = new Float64Array(this.docCount);
    this.matched = new Uint16Array(this.docCount);
    this.stamp = new Uint32Array(this.docCount);
    this.touched = new Int32Array(this.docCount);
  }

  /** The index's parts, to store (the catalog cache) and give back to the constructor. */
  toParts(): TextIndexParts {
    return {
      terms: [...this.terms.keys()],
      start: this.start,
      postings: this.postings,
      frequency: this.frequency,
      docsWith: this.docsWith,
      lengths: this.lengths,
      meanLength: this.meanLength,
      boosts: this.boosts,
      docCount: this.docCount,
    };
  }

  /**
   * The best documents for `query`, best first: at most `limit` that `accept` takes, asked in rank
   * order. Ties go to the document indexed first.
   */
  top(query: TextQuery, limit: number, accept: (hit: TextHit) => boolean = () => true): TextHit[] {
    const words = query.words.map((word) => this.variants(word, query));
    const every = query.combine === 'and';
    if (every && words.some((variants) => variants.length === 0)) return [];
    // Fewest postings first: with 'and', later words only add to documents the first one found.
    const order = words.map((_, i) => i).sort((a, b) => this.size(words[a] ?? []) - this.size(words[b] ?? []));
    const all = (1 << words.length) - 1;
    const rank = (doc: number): number => {
      const mask = this.matched[doc] as number;
      if (every) return mask === all ? (this.score[doc] as number) * words.length : 0;
      // As minisearch: a document matching more of the words scores that many times higher.
      return (this.score[doc] as number) * bitCount(mask);
    };
    // Rank a few; if `accept` turns too many down, rank more.
    const hits: TextHit[] = [];
    for (let wanted = limit, seen = 0; limit > 0; wanted *= 4) {
      const ranked = this.ranked(words, order, every, wanted, rank);
      for (const hit of ranked.slice(seen)) {
        if (accept(hit)) hits.push(hit);
        if (hits.length === limit) return hits;
      }
      if (ranked.length < wanted) break;
      seen = ranked.length;
    }
    return hits;
  }

  /** The `wanted` best documents by `rank`, best first (fewer when fewer match). */
  private ranked(
    words: readonly Variant[][],
    order: readonly number[],
    every: boolean,
    wanted: number,
    rank: (doc: number) => number,
  ): TextHit[] {
    const postings = words.reduce((total, variants) => total + this.size(variants), 0);
    if (postings > FULL_SCAN && wanted <= CHAMPIONS / 4) {
      const count = this.scoreEach(this.candidates(words, order, every, wanted), words, order, every);
      const ranked = this.best(count, wanted, rank);
      // Too few among the candidates (many common words that rarely meet): score everything.
      if (ranked.length === wanted) return ranked;
    }
    return this.best(this.accumulate(words, order, every), wanted, rank);
  }

  /** A word's terms: itself, the longer words it starts, its close spellings, each with its weight. */
  private variants(word: string, query: TextQuery): Variant[] {
    const found: { term: number; weight: number }[] = [];
    const exact = this.terms.get(word);
    if (exact !== undefined) found.push({ term: exact, weight: 1 });
    const fuzzy = query.fuzzy(word);
    const maxDistance =
      fuzzy === false ? 0 : fuzzy < 1 ? Math.min(query.maxFuzzy, Math.round(word.length * fuzzy)) : fuzzy;
    const close = maxDistance > 0 ? this.tree.fuzzyGet(word, maxDistance) : undefined;
    if (query.prefix(word)) {
      for (const [term, id] of this.tree.atPrefix(word)) {
        const distance = term.length - word.length;
        if (distance === 0) continue;
        close?.delete(term);
        found.push({ term: id, weight: (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance) });
      }
    }
    for (const [term, [id, distance]] of close ?? []) {
      if (distance > 0) found.push({ term: id, weight: (FUZZY_WEIGHT * term.length) / (term.length + distance) });
    }
    // Past MAX_EXPANSIONS, the closest words stay (then the most used), in the order found.
    const expansions = found.slice(exact === undefined ? 0 : 1);
    const kept =
      expansions.length <= MAX_EXPANSIONS
        ? undefined
        : new Set(
            [...expansions]
              .sort((a, b) => b.weight - a.weight || this.docCountOf(b.term) - this.docCountOf(a.term))
              .slice(0, MAX_EXPANSIONS),
          );
    return found
      .filter((variant) => !kept || variant.term === exact || kept.has(variant))
      .map(({ term, weight }) => ({ term, fieldWeights: this.fieldWeights(term, weight) }));
  }

  /** What a match of `term` in each field counts: boost × weight × BM25's idf of the term there. */
  private fieldWeights(term: number, weight: number): number[] {
    return this.boosts.map((boost, field) => {
      const n = this.docsWith[term * FIELD_SLOTS + field] as number;
      return boost * weight * Math.log(1 + (this.docCount - n + 0.5) / (n + 0.5));
    });
  }

  /** Postings of `term` (documents × fields it is in). */
  private docCountOf(term: number): number {
    return (this.start[term + 1] as number) - (this.start[term] as number);
  }

  private size(variants: readonly Variant[]): number {
    let total = 0;
    for (const { term } of variants) total += this.docCountOf(term);
    return total;
  }

  /**
   * Scores the words on every document that has them (with 'and', every document that has them all);
   * returns how many documents it touched (with 'and', how many have them all).
   */
  private accumulate(words: readonly Variant[][], order: readonly number[], every: boolean): number {
    const generation = ++this.generation;
    let count = 0;
    // Each word touches the documents it is in; with 'and', only the first (the rarest) does.
    for (const w of every ? order.slice(0, 1) : order) {
      for (const { term, fieldWeights } of words[w] ?? []) {
        const end = this.start[term + 1] as number;
        for (let p = this.start[term] as number; p < end; p++) {
          const doc = ((this.postings[p] as number) / FIELD_SLOTS) | 0;
          if (this.stamp[doc] !== generation) {
            this.touch(doc, generation);
            this.touched[count++] = doc;
          }
          this.score[doc] = (this.score[doc] as number) + this.points(p, fieldWeights);
          this.matched[doc] = (this.matched[doc] as number) | (1 << w);
        }
      }
    }
    return every ? this.narrow(count, words, order.slice(1), 1 << (order[0] as number)) : count;
  }

  /**
   * Scores the first `count` touched documents (all of which have the words in `before`) on each word
   * in turn, keeping only those that have it; returns how many are left.
   */
  private narrow(count: number, words: readonly Variant[][], order: readonly number[], before: number): number {
    let left = count;
    let required = before;
    for (const w of order) {
      const bit = 1 << w;
      for (const { term, fieldWeights } of words[w] ?? []) this.add(term, fieldWeights, bit, left, required);
      let kept = 0;
      for (let i = 0; i < left; i++) {
        const doc = this.touched[i] as number;
        if ((this.matched[doc] as number) & bit) this.touched[kept++] = doc;
      }
      left = kept;
      required |= bit;
    }
    return left;
  }

  /**
   * Puts the documents worth scoring in `touched` and returns how many: with 'and', every document of
   * the rarest word when they are few (every match has that word); otherwise, from each word, about
   * CHAMPIONS documents shared among its terms (a prefix may stand for fifty), each term offering its
   * best and at least `wanted` of them: all of a term's documents when they are that few.
   */
  private candidates(words: readonly Variant[][], order: readonly number[], every: boolean, wanted: number): number {
    const generation = ++this.generation;
    let count = 0;
    const add = (doc: number) => {
      if (this.stamp[doc] === generation) return;
      this.touch(doc, generation);
      this.touched[count++] = doc;
    };
    const rarest = words[order[0] as number] ?? [];
    for (const variants of every && this.size(rarest) <= CHAMPIONS ? [rarest] : words) {
      const share = Math.max(wanted, Math.ceil(CHAMPIONS / variants.length));
      for (const { term } of variants) {
        if (this.docCountOf(term) > share) {
          for (const doc of this.champions(term).subarray(0, share)) add(doc);
        } else {
          const end = this.start[term + 1] as number;
          for (let p = this.start[term] as number; p < end; p++) add(((this.postings[p] as number) / FIELD_SLOTS) | 0);
        }
      }
    }
    return count;
  }

  /**
   * Scores the `count` touched documents on every word (with 'and', keeping those that have them all);
   * returns how many are left.
   */
  private scoreEach(count: number, words: readonly Variant[][], order: readonly number[], every: boolean): number {
    if (every) return this.narrow(count, words, order, 0);
    // Word by word, term by term, in the order accumulate adds, so a document scores exactly what a
    // full scan gives it.
    for (const w of order) {
      for (const { term, fieldWeights } of words[w] ?? []) this.add(term, fieldWeights, 1 << w, count, 0);
    }
    return count;
  }

  /**
   * Adds `term` to the score of the first `count` touched documents (all of which have every word in
   * `required`, as later touched ones may not): its postings read through when they are few, else
   * searched for each document.
   */
  private add(term: number, fieldWeights: readonly number[], bit: number, count: number, required: number): void {
    const generation = this.generation;
    const end = this.start[term + 1] as number;
    if (this.docCountOf(term) <= count * 16) {
      for (let p = this.start[term] as number; p < end; p++) {
        const doc = ((this.postings[p] as number) / FIELD_SLOTS) | 0;
        if (this.stamp[doc] !== generation || ((this.matched[doc] as number) & required) !== required) continue;
        this.score[doc] = (this.score[doc] as number) + this.points(p, fieldWeights);
        this.matched[doc] = (this.matched[doc] as number) | bit;
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      const doc = this.touched[i] as number;
      const next = (doc + 1) * FIELD_SLOTS;
      for (let p = this.firstPosting(term, doc); p < end && (this.postings[p] as number) < next; p++) {
        this.score[doc] = (this.score[doc] as number) + this.points(p, fieldWeights);
        this.matched[doc] = (this.matched[doc] as number) | bit;
      }
    }
  }

  /** The CHAMPIONS documents where `term` scores highest, best first (ties: first indexed), once per term. */
  private champions(term: number): Int32Array {
    const known = this.champion.get(term);
    if (known) return known;
    const fieldWeights = this.fieldWeights(term, 1);
    const end = this.start[term + 1] as number;
    const docs = new Int32Array(end - (this.start[term] as number));
    const points = new Float64Array(docs.length);
    let n = 0;
    for (let p = this.start[term] as number; p < end; p++) {
      const doc = ((this.postings[p] as number) / FIELD_SLOTS) | 0;
      if (n === 0 || docs[n - 1] !== doc) docs[n++] = doc;
      points[n - 1] = (points[n - 1] as number) + this.points(p, fieldWeights);
    }
    // Those at or above the CHAMPIONS-th highest score, then sorted: a long list is never sorted whole.
    const cutoff = points.slice(0, n).sort()[Math.max(0, n - CHAMPIONS)] as number;
    const above: number[] = [];
    for (let i = 0; i < n; i++) if ((points[i] as number) >= cutoff) above.push(i);
    const best = above
      .sort((a, b) => (points[b] as number) - (points[a] as number) || a - b)
      .slice(0, CHAMPIONS)
      .map((i) => docs[i] as number);
    const champions = Int32Array.from(best);
    this.champion.set(term, champions);
    return champions;
  }

  /** The first posting of `term` at or after document `doc` (binary search: postings are in document order). */
  private firstPosting(term: number, doc: number): number {
    const slot = doc * FIELD_SLOTS;
    let lo = this.start[term] as number;
    let hi = this.start[term + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.postings[mid] as number) < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** What posting `p` adds to its document's score: BM25 of its term in its field, weighted. */
  private points(p: number, fieldWeights: readonly number[]): number {
    const { k, b, d } = BM25;
    const slot = this.postings[p] as number;
    const field = slot % FIELD_SLOTS;
    const tf = this.frequency[p] as number;
    const norm = tf + k * (1 - b + (b * (this.lengths[slot] as number)) / (this.meanLength[field] as number));
    return (fieldWeights[field] as number) * (d + (tf * (k + 1)) / norm);
  }

  /** Marks `doc` as this query's, with nothing scored yet. */
  private touch(doc: number, generation: number): void {
    this.stamp[doc] = generation;
    this.score[doc] = 0;
    this.matched[doc] = 0;
  }

  /** The `wanted` touched documents of highest rank (0 leaves a document out), best first. */
  private best(count: number, wanted: number, rank: (doc: number) => number): TextHit[] {
    // A min-heap of the best so far: its root is the one to drop when a better one comes.
    const heap: TextHit[] = [];
    const worse = (a: TextHit, b: TextHit) => a.score < b.score || (a.score === b.score && a.doc > b.doc);
    for (let i = 0; i < count; i++) {
      const doc = this.touched[i] as number;
      const score = rank(doc);
      if (score <= 0) continue;
      const hit = { doc, score };
      if (heap.length < wanted) {
        heap.push(hit);
        siftUp(heap, heap.length - 1, worse);
      } else if (worse(heap[0] as TextHit, hit)) {
        heap[0] = hit;
        siftDown(heap, 0, worse);
      }
    }
    return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }
}

/** Builds an index's parts from its documents (what the TextIndex constructor does with documents). */
function buildParts(docs: TextDocs, boosts: readonly number[], tokenize: (text: string) => string[]): TextIndexParts {
  if (boosts.length > FIELD_SLOTS) throw new Error(`a text index has at most ${FIELD_SLOTS} fields`);
  const terms = new Map<string, number>();
  const postingTerms = new IntList();
  const postings = new IntList();
  const frequencies = new IntList();
  const lengths = new Uint16Array(docs.length * FIELD_SLOTS);
  const totalLength = new Float64Array(FIELD_SLOTS);
  // Each distinct token is lowercased and looked up once: later it maps straight to its term.
  const tokenIds = new Map<string, number>();
  const termOfToken: number[] = [];
  // Per token and per term, the field (slot) it was last seen in, and where that field's count is.
  let tokenSeenIn = new Int32Array(1024).fill(-1);
  let termSeenIn = new Int32Array(1024).fill(-1);
  let countAt = new Int32Array(1024);
  for (const [doc, fields] of docs.entries()) {
    for (const [field, text] of fields.entries()) {
      if (!text) continue;
      const slot = doc * FIELD_SLOTS + field;
      // A field's length is its distinct tokens before lowercasing, as minisearch counts it.
      let length = 0;
      for (const token of tokenize(text)) {
        let id = tokenIds.get(token);
        if (id === undefined) {
          id = tokenIds.size;
          tokenIds.set(token, id);
          const word = token.toLowerCase();
          let term = terms.get(word);
          if (term === undefined) {
            term = terms.size;
            terms.set(word, term);
            termSeenIn = room(termSeenIn, term, -1);
            countAt = room(countAt, term, 0);
          }
          termOfToken.push(term);
          tokenSeenIn = room(tokenSeenIn, id, -1);
        }
        if (tokenSeenIn[id] !== slot) {
          tokenSeenIn[id] = slot;
          length++;
        }
        const term = termOfToken[id] as number;
        if (termSeenIn[term] === slot) {
          const at = countAt[term] as number;
          frequencies.values[at] = (frequencies.values[at] as number) + 1;
          continue;
        }
        termSeenIn[term] = slot;
        countAt[term] = postings.length;
        postingTerms.push(term);
        postings.push(slot);
        frequencies.push(1);
      }
      lengths[slot] = Math.min(length, 0xffff);
      totalLength[field] = (totalLength[field] as number) + length;
    }
  }
  const meanLength = totalLength.map((total) => total / Math.max(1, docs.length));
  // Group the postings by term (a counting sort keeps each term's in document order).
  const start = new Int32Array(terms.size + 1);
  for (let i = 0; i < postingTerms.length; i++) {
    const after = (postingTerms.values[i] as number) + 1;
    start[after] = (start[after] as number) + 1;
  }
  for (let t = 0; t < terms.size; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const next = start.slice(0, terms.size);
  const sorted = new Int32Array(postings.length);
  const frequency = new Uint16Array(postings.length);
  const docsWith = new Int32Array(terms.size * FIELD_SLOTS);
  for (let i = 0; i < postingTerms.length; i++) {
    const term = postingTerms.values[i] as number;
    const at = next[term] as number;
    next[term] = at + 1;
    const slot = postings.values[i] as number;
    sorted[at] = slot;
    frequency[at] = Math.min(frequencies.values[i] as number, 0xffff);
    const termField = term * FIELD_SLOTS + (slot % FIELD_SLOTS);
    docsWith[termField] = (docsWith[termField] as number) + 1;
  }
  return {
    terms: [...terms.keys()],
    start,
    postings: sorted,
    frequency,
    docsWith,
    lengths,
    meanLength,
    boosts,
    docCount: docs.length,
  };
}

/** `array`, or a copy twice as long (new entries `fill`) when `index` is past its end. */
function room(array: Int32Array<ArrayBuffer>, index: number, fill: number): Int32Array<ArrayBuffer> {
  if (index < array.length) return array;
  const grown = new Int32Array(Math.max(index + 1, array.length * 2)).fill(fill);
  grown.set(array);
  return grown;
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

function siftUp<T>(heap: T[], at: number, worse: (a: T, b: T) => boolean): void {
  for (let i = at; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i] as T, heap[parent] as T)) return;
    [heap[i], heap[parent]] = [heap[parent] as T, heap[i] as T];
    i = parent;
  }
}

function siftDown<T>(heap: T[], at: number, worse: (a: T, b: T) => boolean): void {
  for (let i = at; ; ) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && worse(heap[left] as T, heap[least] as T)) least = left;
    if (right < heap.length && worse(heap[right] as T, heap[least] as T)) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least] as T, heap[i] as T];
    i = least;
  }
}
