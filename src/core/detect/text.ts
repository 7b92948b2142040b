// Outside text made ready for matching: markup and invisible characters removed, width and traditional
// Chinese characters folded, length bounded, split into sentences.
import { visibleText } from '../text.js';
import type { FeedItem } from './types.js';

/**
 * How much of each part is read. A readout states the contact in its first paragraph; reading only the
 * beginning keeps the time per item bounded whatever a feed sends (a 10 MB "summary" included).
 */
export const READ_LIMITS = { title: 1_000, summary: 4_000, text: 12_000 } as const;

/** The item's text: the title first (its own sentence), then summary and article, each bounded. */
export interface PreparedText {
  /** Sentences in reading order, as folded text (original letter case kept). */
  sentences: string[];
  /** Index of the first sentence after the title. */
  bodyStart: number;
}

export function prepare(item: FeedItem): PreparedText {
  const title = clean(item.title, READ_LIMITS.title);
  const body = [item.summary, item.text]
    .map((part, i) => (part ? clean(part, i === 0 ? READ_LIMITS.summary : READ_LIMITS.text) : ''))
    .filter((part) => part !== '')
    .join('\n');
  const titleSentences = title === '' ? [] : [title];
  return { sentences: [...titleSentences, ...splitSentences(body)], bodyStart: titleSentences.length };
}

/** Bounded, without markup or hidden characters, in one width, with typographic quotes made plain. */
export function clean(value: string, limit: number): string {
  // Markup is cut before the limit is applied, so a long tag cannot hide the text after it.
  const head = value.slice(0, limit * 2);
  return fold(
    visibleText(head)
      .replace(/<[^>]{0,400}>/g, ' ')
      .replace(/&(amp|quot|#39|apos|nbsp|lt|gt);/g, (_, name: string) => ENTITIES[name] ?? ' ')
      .slice(0, limit),
  )
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', '#39': "'", apos: "'", nbsp: ' ', lt: '<', gt: '>' };

/**
 * Sentences end at . ! ? and their Chinese forms, or a line break; "U.S.", "Nov. 1" and the abbreviations of
 * ranks and titles ("Lt. Gen. Zhang", "Adm. Paparo") do not end one.
 */
function splitSentences(text: string): string[] {
  return text
    .split(
      /(?<=[。！？；])|(?<=[!?])\s+|(?<!(?:^|[^\p{L}])(?:Lt|Gen|Adm|Col|Maj|Brig|Capt|Cmdr|Cdr|Sgt|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gens|Adms|Sr|Jr|St|No)[.])(?<=[a-z0-9)"'][.])\s+(?=[A-Z"(])|\n+/u,
    )
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * NFKC (full-width letters and digits to ASCII) and traditional Chinese characters to simplified, for the
 * characters that the lexicon, people.yaml and mechanisms.yaml use: both sides of every match are folded
 * the same way, so a character missing here only costs a match between scripts, never a false one.
 */
export function fold(value: string): string {
  return value
    .normalize('NFKC')
    .replace(TRADITIONAL_RE, (c) => SIMPLIFIED.get(c) ?? c)
    .replace(MIDDLE_DOTS, '·');
}

/** The dots that join the parts of a transliterated name ("劳埃德·奥斯汀", "哈利‧哈里斯"), written several ways. */
const MIDDLE_DOTS = /[\u2022\u2027\u30fb\u2219\u22c5]/g;

const TRADITIONAL =
  '國軍會見談話電視頻議論長與對問訪華東區戰參謀聯擊艦號務總統衛員團門關係開舉辦執進達識雙邊協調發這個們來時後為無經濟導領將際陸應龍輝鳳劉張陳吳馬孫葉譚楊潔許亞勝興熱線臺灣裝備萬億購嚴審書語說讀報紙網聞頭點實現題顧兩傳車機飛隊護態勢險穩禮蘭韓羅歐紐約鬥衝層級權責結請觀測練習環島動勞異貿輕濕認誤預計劃產業節針範圍極屆處構鏈蓋茲壓邁檢驗離難雜邏輯當場塊眾強週裡鄧萊盧內奧爾諾維納賽遜頓麥廣濤錦劍懷顯覺歷貝龐偉鮑韋溫寧曉鐘魯喬愛傑費賴彈擔職幫簽訂訊覽從舊專倫鄭謝黃趙錢鄒蔣馮蕭呂賈閻餘湯賀龔鮮烏緬錄記稱該於並還樣間過頁轉據獲決嶼峽術試師營連訓組織幾賓';
const SIMPLE =
  '国军会见谈话电视频议论长与对问访华东区战参谋联击舰号务总统卫员团门关系开举办执进达识双边协调发这个们来时后为无经济导领将际陆应龙辉凤刘张陈吴马孙叶谭杨洁许亚胜兴热线台湾装备万亿购严审书语说读报纸网闻头点实现题顾两传车机飞队护态势险稳礼兰韩罗欧纽约斗冲层级权责结请观测练习环岛动劳异贸轻湿认误预计划产业节针范围极届处构链盖兹压迈检验离难杂逻辑当场块众强周里邓莱卢内奥尔诺维纳赛逊顿麦广涛锦剑怀显觉历贝庞伟鲍韦温宁晓钟鲁乔爱杰费赖弹担职帮签订讯览从旧专伦郑谢黄赵钱邹蒋冯萧吕贾阎余汤贺龚鲜乌缅录记称该于并还样间过页转据获决屿峡术试师营连训组织几宾';
const SIMPLIFIED = new Map([...TRADITIONAL].map((c, i) => [c, [...SIMPLE][i] as string]));
const TRADITIONAL_RE = new RegExp(`[${[...SIMPLIFIED.keys()].join('')}]`, 'g');
