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

/** A query word as the index holds it: a term's number, and how much a match on it counts. */
interface Variant {
  term: number;
  weight: number;
}

// minisearch's defaults, so scores (and ranks) are what they were with its index.
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** A posting packs its document and field as doc * FIELD_SLOTS + field. */
const FIELD_SLOTS = 4;

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

  /**
   * Indexes `docs`, each given as its fields' texts (missing fields as undefined or ''), with `boosts`
   * per field (at most four fields). Terms are `tokenize`'s, lowercased.
   */
  constructor(
    docs: readonly (readonly (string | undefined)[])[],
    boosts: readonly number[],
    tokenize: (text: string) => string[],
  ) {
    if (boosts.length > FIELD_SLOTS) throw new Error(`a text index has at most ${FIELD_SLOTS} fields`);
    this.boosts = boosts;
    this.docCount = docs.length;
    const terms = new Map<string, number>();
    const postingTerms = new IntList();
    const postings = new IntList();
    const frequencies = new IntList();
    this.lengths = new Uint16Array(docs.length * FIELD_SLOTS);
    const totalLength = new Float64Array(FIELD_SLOTS);
    // Per term: where its count for the current field is (a slot is current when seenIn matches).
    let seenIn = new Int32Array(1024).fill(-1);
    let countAt = new Int32Array(1024);
    for (const [doc, fields] of docs.entries()) {
      for (const [field, text] of fields.entries()) {
        if (!text) continue;
        const slot = doc * FIELD_SLOTS + field;
        const tokens = tokenize(text);
        // A field's length is its distinct tokens before lowercasing, as minisearch counts it.
        const length = new Set(tokens).size;
        for (const token of tokens) {
          const word = token.toLowerCase();
          let term = terms.get(word);
          if (term === undefined) {
            term = terms.size;
            terms.set(word, term);
            if (term === seenIn.length) {
              const seen = new Int32Array(term * 2).fill(-1);
              seen.set(seenIn);
              seenIn = seen;
              const counts = new Int32Array(term * 2);
              counts.set(countAt);
              countAt = counts;
            }
          }
          if (seenIn[term] === slot) {
            const at = countAt[term] as number;
            frequencies.values[at] = (frequencies.values[at] as number) + 1;
            continue;
          }
          seenIn[term] = slot;
          countAt[term] = postings.length;
          postingTerms.push(term);
          postings.push(slot);
          frequencies.push(1);
        }
        this.lengths[slot] = Math.min(length, 0xffff);
        totalLength[field] = (totalLength[field] as number) + length;
      }
    }
    this.meanLength = totalLength.map((total) => total / Math.max(1, docs.length));
    // Group the postings by term (a counting sort keeps each term's in document order).
    const start = new Int32Array(terms.size + 1);
    for (let i = 0; i < postingTerms.length; i++) {
      const after = (postingTerms.values[i] as number) + 1;
      start[after] = (start[after] as number) + 1;
    }
    for (let t = 0; t < terms.size; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
    this.start = start;
    const next = start.slice(0, terms.size);
    this.postings = new Int32Array(postings.length);
    this.frequency = new Uint16Array(postings.length);
    this.docsWith = new Int32Array(terms.size * FIELD_SLOTS);
    for (let i = 0; i < postingTerms.length; i++) {
      const term = postingTerms.values[i] as number;
      const at = next[term] as number;
      next[term] = at + 1;
      const slot = postings.values[i] as number;
      this.postings[at] = slot;
      this.frequency[at] = Math.min(frequencies.values[i] as number, 0xffff);
      const termField = term * FIELD_SLOTS + (slot % FIELD_SLOTS);
      this.docsWith[termField] = (this.docsWith[termField] as number) + 1;
    }
    this.terms = terms;
    this.tree = SearchableMap.from(terms);
    this.score = new Float64Array(docs.length);
    this.matched = new Uint16Array(docs.length);
    this.stamp = new Uint32Array(docs.length);
    this.touched = new Int32Array(docs.length);
  }

  /**
   * The best documents for `query`, best first: at most `limit` that `accept` takes, asked in rank
   * order. Ties go to the document indexed first.
   */
  top(query: TextQuery, limit: number, accept: (hit: TextHit) => boolean = () => true): TextHit[] {
    const words = query.words.map((word) => this.variants(word, query));
    // Fewest postings first: with 'and', later words only add to documents the first one found.
    const order = words.map((_, i) => i).sort((a, b) => this.size(words[a] ?? []) - this.size(words[b] ?? []));
    if (query.combine === 'and' && words.some((variants) => variants.length === 0)) return [];
    const count = this.accumulate(words, order, query.combine === 'and');
    const all = (1 << words.length) - 1;
    const rank = (doc: number): number => {
      const mask = this.matched[doc] as number;
      if (query.combine === 'and') return mask === all ? (this.score[doc] as number) * words.length : 0;
      // As minisearch: a document matching more of the words scores that many times higher.
      return (this.score[doc] as number) * bitCount(mask);
    };
    // Rank a few; if `accept` turns too many down, rank more.
    const hits: TextHit[] = [];
    for (let wanted = limit, seen = 0; limit > 0; wanted *= 4) {
      const ranked = this.best(count, wanted, rank);
      for (const hit of ranked.slice(seen)) {
        if (accept(hit)) hits.push(hit);
        if (hits.length === limit) return hits;
      }
      if (ranked.length < wanted) break;
      seen = ranked.length;
    }
    return hits;
  }

  /** A word's terms: itself, the longer words it starts, its close spellings, each with its weight. */
  private variants(word: string, query: TextQuery): Variant[] {
    const found: Variant[] = [];
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
    return found;
  }

  private size(variants: readonly Variant[]): number {
    let total = 0;
    for (const { term } of variants) total += (this.start[term + 1] as number) - (this.start[term] as number);
    return total;
  }

  /** Adds every posting of the words' terms to its document's score; returns how many documents it touched. */
  private accumulate(words: readonly Variant[][], order: readonly number[], every: boolean): number {
    const { k, b, d } = BM25;
    const generation = ++this.generation;
    let count = 0;
    let before = 0;
    for (const [step, w] of order.entries()) {
      const bit = 1 << w;
      for (const { term, weight } of words[w] ?? []) {
        const idf = this.boosts.map((boost, field) => {
          const n = this.docsWith[term * FIELD_SLOTS + field] as number;
          return boost * weight * Math.log(1 + (this.docCount - n + 0.5) / (n + 0.5));
        });
        const end = this.start[term + 1] as number;
        for (let p = this.start[term] as number; p < end; p++) {
          const slot = this.postings[p] as number;
          const doc = (slot / FIELD_SLOTS) | 0;
          const field = slot - doc * FIELD_SLOTS;
          if (this.stamp[doc] !== generation) {
            // With 'and', a document the first word did not find can never match.
            if (every && step > 0) continue;
            this.stamp[doc] = generation;
            this.score[doc] = 0;
            this.matched[doc] = 0;
            this.touched[count++] = doc;
          } else if (every && ((this.matched[doc] as number) & before) !== before) continue;
          const tf = this.frequency[p] as number;
          const norm = tf + k * (1 - b + (b * (this.lengths[slot] as number)) / (this.meanLength[field] as number));
          this.score[doc] = (this.score[doc] as number) + (idf[field] as number) * (d + (tf * (k + 1)) / norm);
          this.matched[doc] = (this.matched[doc] as number) | bit;
        }
      }
      before |= bit;
    }
    return count;
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
