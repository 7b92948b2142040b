// The day a contact took place, read from the text relative to the day the item was published: "on
// Tuesday", "Nov. 1", "on 1 November 2025", "11月1日", "9日晚", "yesterday"; a dateline ("BEIJING, Jan. 25
// (Xinhua) --", "北京9月11日电") is when the item was written, so it moves the reference, not the contact.
import { type Day, daysBetween, shiftDays } from '../dates.js';
import { isRealDate } from '../vocabulary.js';

/** A day found for the contact, how sure, and what it was read from. */
export interface FoundDate {
  day: Day;
  confidence: number;
  via: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ZH_WEEKDAYS = '日一二三四五六';

const EN_DATELINE = new RegExp(
  String.raw`^[A-Z][A-Za-z .'-]{1,40},? ${MONTH} (\d{1,2})(?:,? (\d{4}))? ?(?:\(|--|–|—|-)`,
  'i',
);
const ZH_DATELINE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日电/;

/** Date expressions, most explicit first; each returns a day relative to the reference, or undefined. */
const PATTERNS: {
  re: RegExp;
  confidence: number;
  /** A day named relative to the reference ("today", "on Tuesday"): a numbered day in the same sentence wins. */
  relative?: boolean;
  /** Without a reference (no publication day, no dateline) only a date with its year names a day. */
  read: (m: RegExpMatchArray, ref: Day | undefined, ahead: boolean) => Day | undefined;
}[] = [
  {
    re: new RegExp(String.raw`(?<![\d])(\d{1,2}) ${MONTH},? (\d{4})`, 'gi'),
    confidence: 0.9,
    read: (m) => day(Number(m[3]), monthOf(m[2]), Number(m[1])),
  },
  {
    re: new RegExp(
      String.raw`(?<![\p{L}])${MONTH} (\d{1,2})(?:st|nd|rd|th)?(?:(?: ?(?:-|–|and|to) ?\d{1,2}))?(?:,? (\d{4}))?(?![\d:])`,
      'giu',
    ),
    confidence: 0.85,
    read: (m, ref) =>
      m[3] ? day(Number(m[3]), monthOf(m[1]), Number(m[2])) : nearest(ref, monthOf(m[1]), Number(m[2])),
  },
  {
    // "9月28及29日", "11月18至20日": the first day.
    re: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2}) ?(?:至|到|-|–|、|及|和|与) ?\d{1,2} ?[日号](?!电)/g,
    confidence: 0.85,
    read: (m, ref) => (m[1] ? day(Number(m[1]), Number(m[2]), Number(m[3])) : nearest(ref, Number(m[2]), Number(m[3]))),
  },
  {
    re: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号](?!电)/g,
    confidence: 0.85,
    read: (m, ref) => (m[1] ? day(Number(m[1]), Number(m[2]), Number(m[3])) : nearest(ref, Number(m[2]), Number(m[3]))),
  },
  {
    re: /(?<![月\d])(\d{1,2}) ?(?:至|到|-|–|、|及) ?\d{1,2} ?[日号](?!电)/g,
    confidence: 0.7,
    read: (m, ref) => ref && nearest(ref, Number(ref.slice(5, 7)), Number(m[1])),
  },
  {
    re: /(?<![月\d])(\d{1,2}) ?[日号](?!电)/g,
    confidence: 0.6,
    read: (m, ref) => ref && nearest(ref, Number(ref.slice(5, 7)), Number(m[1])),
  },
  {
    re: /(?<![\p{L}])(?:(last|this|next) )?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)(?![\p{L}])/giu,
    confidence: 0.75,
    relative: true,
    read: (m, ref, ahead) =>
      ref && weekday(ref, WEEKDAYS.indexOf((m[2] ?? '').toLowerCase()), ahead || m[1]?.toLowerCase() === 'next'),
  },
  {
    re: /(?:周|星期|礼拜)([日一二三四五六天])/g,
    confidence: 0.75,
    relative: true,
    read: (m, ref, ahead) => ref && weekday(ref, m[1] === '天' ? 0 : ZH_WEEKDAYS.indexOf(m[1] ?? ''), ahead),
  },
  {
    re: /(?<![\p{L}])(yesterday|today|this morning|this afternoon|tonight)(?![\p{L}])|(昨天|昨日|今天|今日)/giu,
    confidence: 0.7,
    relative: true,
    read: (m, ref) => ref && (/yesterday|昨/i.test(m[0]) ? shiftDays(ref, -1) : ref),
  },
];

/**
 * The contact's day: the first date expression in a sentence that reports the contact (`contactSentences`),
 * else the first anywhere; else the publication day with low confidence. Undefined with no date at all. With
 * no publication day and no dateline, only dates that give their year ("April 16, 2024", "2024年4月16日") count.
 */
export function contactDate(
  sentences: readonly string[],
  published: Day | undefined,
  contactSentences: ReadonlySet<number>,
  aheadSentences: ReadonlySet<number>,
): FoundDate | undefined {
  const reference = datelineOf(sentences, published) ?? published;
  const found: (FoundDate & { sentence: number; at: number; relative: boolean })[] = [];
  sentences.forEach((sentence, index) => {
    const text = withArabicDays(index === 0 ? sentence : stripDateline(sentence));
    for (const pattern of PATTERNS) {
      for (const m of text.matchAll(pattern.re)) {
        const value = pattern.read(m, reference, aheadSentences.has(index));
        if (value === undefined) continue;
        // A contact reported in an item happened before it, or within weeks when announced.
        if (reference !== undefined && (daysBetween(reference, value) > 45 || daysBetween(value, reference) > 3660))
          continue;
        if (found.some((f) => f.sentence === index && overlaps(f.at, m.index, m[0].length))) continue;
        found.push({
          day: value,
          confidence: pattern.confidence,
          via: m[0],
          sentence: index,
          at: m.index,
          relative: pattern.relative === true,
        });
      }
    }
  });
  // In the first sentence with a date, the most explicit date: "今天通报，…18至20日举行" is the 18th, and a
  // numbered day beats a relative one ("美國印太司令部今天通報，…18至20日在檀香山舉行會議").
  found.sort(
    (a, b) =>
      a.sentence - b.sentence || Number(a.relative) - Number(b.relative) || b.confidence - a.confidence || a.at - b.at,
  );
  const best = found.find((f) => contactSentences.has(f.sentence)) ?? found[0];
  if (best)
    return {
      day: best.day,
      confidence: contactSentences.has(best.sentence) ? best.confidence : best.confidence - 0.2,
      via: best.via,
    };
  return published ? { day: published, confidence: 0.3, via: 'publication date' } : undefined;
}

/** "九日晚", "十一月一日", "廿三日": the month and day numbers in Chinese numerals, as digits. */
function withArabicDays(sentence: string): string {
  return sentence.replace(/([〇零一二三四五六七八九十廿卅]{1,3})(?=[月日号])/gu, (whole, digits: string) => {
    const value = chineseNumber(digits);
    return value === undefined ? whole : String(value);
  });
}

const ZH_DIGITS = '〇一二三四五六七八九';

/** 1–39 written in Chinese numerals ("九", "十一", "二十三", "廿三", "卅一"); undefined for anything else. */
export function chineseNumber(digits: string): number | undefined {
  const digit = (c: string | undefined) => (c === '零' ? 0 : c === undefined ? -1 : ZH_DIGITS.indexOf(c));
  const chars = [...digits];
  const tens = chars[0] === '廿' ? 2 : chars[0] === '卅' ? 3 : undefined;
  if (tens !== undefined) {
    if (chars.length === 1) return tens * 10;
    const unit = digit(chars[1]);
    return chars.length === 2 && unit > 0 ? tens * 10 + unit : undefined;
  }
  const ten = chars.indexOf('十');
  if (ten === -1) {
    const unit = digit(chars[0]);
    return chars.length === 1 && unit > 0 ? unit : undefined;
  }
  const high = ten === 0 ? 1 : digit(chars[0]);
  const low = ten === chars.length - 1 ? 0 : digit(chars[ten + 1]);
  if (ten > 1 || chars.length > ten + 2 || high < 1 || low < 0) return undefined;
  return high * 10 + low;
}

function overlaps(at: number, start: number, length: number): boolean {
  return start <= at && at < start + length;
}

/** The dateline's day at the start of the first body sentence, if there is one. */
function datelineOf(sentences: readonly string[], published: Day | undefined): Day | undefined {
  for (const sentence of sentences.slice(1, 2)) {
    const en = EN_DATELINE.exec(sentence);
    if (en) {
      const year = en[3] ? Number(en[3]) : published ? Number(published.slice(0, 4)) : undefined;
      if (year !== undefined) return day(year, monthOf(en[1]), Number(en[2]));
    }
    const zh = ZH_DATELINE.exec(sentence);
    if (zh && zh.index < 30) {
      const year = zh[1] ? Number(zh[1]) : published ? Number(published.slice(0, 4)) : undefined;
      if (year !== undefined) return day(year, Number(zh[2]), Number(zh[3]));
    }
  }
  return undefined;
}

function stripDateline(sentence: string): string {
  return sentence.replace(EN_DATELINE, ' ').replace(ZH_DATELINE, ' ');
}

function monthOf(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase()) + 1;
}

function day(year: number, month: number, date: number): Day | undefined {
  if (month < 1 || month > 12 || date < 1 || date > 31 || year < 1900 || year > 2999) return undefined;
  const value = `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  return isRealDate(value) ? value : undefined;
}

/** Month and day in the year that puts it nearest the reference, and not more than a few weeks after it. */
function nearest(reference: Day | undefined, month: number, date: number): Day | undefined {
  if (reference === undefined) return undefined;
  const year = Number(reference.slice(0, 4));
  const same = day(year, month, date);
  if (same === undefined) return undefined;
  return daysBetween(reference, same) > 45 ? day(year - 1, month, date) : same;
}

/** The last such weekday on or before the reference, or the next one after it when the sentence looks ahead. */
function weekday(reference: Day, target: number, ahead: boolean): Day | undefined {
  if (target < 0) return undefined;
  const [y, m, d] = reference.split('-').map(Number);
  const today = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  const back = (today - target + 7) % 7;
  return ahead ? shiftDays(reference, back === 0 ? 0 : 7 - back) : shiftDays(reference, -back);
}
