// The words of US–China military contacts, in English and Chinese: who (roles by side), what happened
// (contact words and the kind they signal), and what rules a report out (refusals, cancellations, hedges).
// People, mechanisms and topics come from the catalog (evidence.ts); this file holds only general words.
import type { Side } from '../vocabulary.js';

/** The kinds of contact a word signals; `undefined` for words that say only that the two communicated. */
export type CueKind = 'call' | 'video-call' | 'meeting' | 'talks' | 'visit' | 'agreement' | undefined;

/** What a phrase in the text signals. */
export type Cue =
  /**
   * An office or body of one side. `office` names the position in people.yaml whose holder it is.
   * `unqualified`: a bare Chinese "国防部" that names Taiwan's ministry when the writer is in Taiwan.
   */
  | { type: 'role'; side: Side; military: boolean; leader?: boolean; office?: string; unqualified?: boolean }
  /** Words a Taiwanese writer uses ("中国大陆", "陆方", "国军"): a bare "国防部" is then Taiwan's own. */
  | { type: 'taiwan-voice' }
  /** Both sides' militaries at once: "China-U.S. military", "中美两军". */
  | { type: 'pair' }
  /** "his Chinese counterpart", "the U.S. side": the other party, of this side. */
  | { type: 'counterpart'; side: Side }
  | { type: 'contact'; kind: CueKind }
  /** The contact did not (or not yet) take place: declined, cancelled, unanswered, expected to. */
  | { type: 'negation' }
  /** The sentence looks ahead: a weekday in it is the next one, not the last. */
  | { type: 'future' }
  /** Military contacts as the subject (what makes a leaders' meeting count). */
  | { type: 'military-topic' }
  | { type: 'readout' }
  /** Words that contain a cue but mean something else (对美军购: arms purchases from the US). */
  | { type: 'neutral' }
  /**
   * Words that contain a contact word but name no contact: a line rather than a call on it ("直通电话",
   * "defense telephone link"), a video clip's tag ("[视频]"). They compete with the contact words.
   */
  | { type: 'not-a-contact' }
  /** The country itself ("China says …", "calls to China"): the other party when no third country is named. */
  | { type: 'country'; side: Side }
  /** Another country: a contact with it is not a US–China one. */
  | { type: 'third-country' };

/** A pattern (a regular expression source, read case-insensitively; Latin words whole) and its cue. */
export type Entry = readonly [pattern: string, cue: Cue];

const US = String.raw`(?:u\.?s\.?a?|us|america|american|united states|washington)`;
/**
 * Not the second half of a two-country adjective: in "US-China military communications" China's military is
 * not a party, the pair of countries is the subject (PAIRS reads "US-China military talks" as both sides).
 */
const NOT_PAIRED = String.raw`(?<![-–/&]\s?)`;
/** Military ranks, abbreviated or not: "Lt. Gen.", "Rear Adm.", "Senior Colonel". */
const RANK = String.raw`(?:(?:lt\.?|lieutenant|maj\.?|major|brig\.?|brigadier|rear|vice|senior|sr\.?) )?(?:gen\.?|general|adm\.?|admiral|col\.?|colonel)`;
const CN = "(?:china|chinese|prc|beijing|people's republic of china)";
const DEF = '(?:defen[cs]e|war)';

const SECDEF = 'Secretary of Defense';
const MND = 'Minister of National Defense';
const CJCS = 'Chairman of the Joint Chiefs of Staff';
const JSD = 'Chief of the CMC Joint Staff Department';

const us = (military: boolean, office?: string, leader?: boolean): Cue => ({
  type: 'role',
  side: 'US',
  military,
  ...(office ? { office } : {}),
  ...(leader ? { leader } : {}),
});
const prc = (military: boolean, office?: string, leader?: boolean): Cue => ({
  type: 'role',
  side: 'PRC',
  military,
  ...(office ? { office } : {}),
  ...(leader ? { leader } : {}),
});
const contact = (kind: CueKind): Cue => ({ type: 'contact', kind });

/** Offices and bodies of each side. */
export const ROLES: readonly Entry[] = [
  [
    String.raw`${US}(?:'s)? ${DEF} (?:secretary|chief|minister|head)|secretary of ${DEF}|pentagon chief|secdef`,
    us(true, SECDEF),
  ],
  [String.raw`pentagon|(?:department|dept\.?) of ${DEF}|dod`, us(true)],
  [
    String.raw`${NOT_PAIRED}${US}(?:'s)? (?:military|armed forces|army|navy|air force|marine corps|coast guard|forces|generals?|admirals?|officers?|military officials?|defen[cs]e (?:officials?|department|establishment|leaders?)|(?:defen[cs]e|military) (?:chief|chiefs))`,
    us(true),
  ],
  [
    String.raw`top ${US} (?:general|military officer|officer)|chairman of the joint chiefs(?: of staff)?|joint chiefs chairman|cjcs`,
    us(true, CJCS),
  ],
  [String.raw`joint chiefs(?: of staff)?`, us(true)],
  [
    String.raw`(?:u\.?s\.? )?indo-pacific command|(?:us)?indopacom|(?:u\.?s\.? )?pacific command|pacom|(?:u\.?s\.? )?pacific fleet|pacific air forces|u\.?s\.? army pacific`,
    us(true),
  ],
  [String.raw`chief of naval operations|cno`, us(true, 'Chief of Naval Operations')],
  [
    String.raw`${NOT_PAIRED}${CN}(?:'s)? (?:national )?defen[cs]e (?:minister|chief|head)|minister of national defen[cs]e`,
    prc(true, MND),
  ],
  [
    String.raw`ministry of national defen[cs]e|mnd|${NOT_PAIRED}${CN}(?:'s)? (?:military|armed forces|army|navy|air force|rocket force|defen[cs]e (?:ministry|officials?|spokes(?:person|man|woman)|leaders?)|generals?|admirals?|officers?|military officials?|(?:defen[cs]e|military|navy) chiefs?)`,
    prc(true),
  ],
  [
    String.raw`people's liberation army|pla|central military commission|cmc|(?:eastern|southern|western|northern|central) theater command|general staff`,
    prc(true),
  ],
  [String.raw`chief of (?:the )?(?:cmc )?joint staff(?: department)?|joint staff department`, prc(true, JSD)],
  // "Chinese Lt. Gen. Zhang Qinsheng", "U.S. Army Gen. …": an officer of one side, named by rank.
  [String.raw`${NOT_PAIRED}${CN}(?:'s)? (?:(?:army|navy|air force|pla) )?${RANK}`, prc(true)],
  [String.raw`${NOT_PAIRED}${US}(?:'s)? (?:(?:army|navy|air force|marine corps|marine) )?${RANK}`, us(true)],
  [
    String.raw`head of (?:the )?chinese navy|pla navy commander|chinese navy commander`,
    prc(true, 'Commander, PLA Navy'),
  ],
  [
    String.raw`secretary of state|national security advis[eo]r|(?:congressional|house|senate) delegation|white house`,
    us(false),
  ],
  [
    String.raw`${US}(?:'s)? (?:lawmakers|senators|congressmen|representatives|delegation|vice president|envoy|ambassador|treasury secretary|officials)`,
    us(false),
  ],
  [String.raw`${US}(?:'s)? president|president (?:biden|trump|obama|bush|clinton)`, us(false, undefined, true)],
  [
    String.raw`${CN}(?:'s)? (?:foreign minister|top diplomat|vice premier|premier|vice president|ambassador|envoy|state councilor|officials)`,
    prc(false),
  ],
  [String.raw`${CN}(?:'s)? (?:president|leader)|president (?:xi|hu|jiang)`, prc(false, undefined, true)],
  ['美国国防部长|美国防长|美防长|美国战争部长', us(true, SECDEF)],
  [
    '美国国防部|美国防部|美国战争部|五角大楼|美军|美国军方|美国海军|美国陆军|美国空军|印太司令部|太平洋司令部|参联会',
    us(true),
  ],
  ['参谋长联席会议主席|参联会主席', us(true, CJCS)],
  ['美国海军作战部长', us(true, 'Chief of Naval Operations')],
  ['美国国务卿|美国国家安全顾问|美国众议员|美国参议员|美国国会|美国特使|美国副总统', us(false)],
  ['美国总统', us(false, undefined, true)],
  // "中国国防部长", "大陆国防部长": China's, whoever writes; a bare "国防部(长)" is Taiwan's in a Taiwanese text.
  ['(?:中国|中国大陆|大陆|中共|陆方|中方)国防部长|中国防长|陆防长', prc(true, MND)],
  ['国防部长', { type: 'role', side: 'PRC', military: true, office: MND, unqualified: true }],
  ['(?:中国|中国大陆|大陆|中共)国防部', prc(true)],
  ['国防部', { type: 'role', side: 'PRC', military: true, unqualified: true }],
  ['解放军|共军|中国军方|中国海军|中国军队|中央军委|军委|战区|联合参谋部|总参谋部|总参谋长|副总参谋长', prc(true)],
  ['外交部长|国务委员|副总理|总理', prc(false)],
  ['国家主席', prc(false, undefined, true)],
];

/** Both militaries named together. */
export const PAIRS: readonly Entry[] = [
  [
    // Only with a noun for people or sessions: "China-U.S. military communication" is a subject, not a party.
    String.raw`(?:${US}|${CN})(?:'s)? ?(?:,|-|–|and|&) ?(?:${US}|${CN})(?:'s)? (?:(?:military|defen[cs]e|navy|naval|army|air force|maritime defen[cs]e) (?:chiefs?|officials?|leaders?|officers?|ministers?|secretar(?:y|ies)|delegations?|commanders?|heads?|talks|consultations|dialogue)|chiefs? of (?:the )?(?:general |joint )?staff|militaries|navies|armies|armed forces|generals|admirals)`,
    { type: 'pair' },
  ],
  [
    '中美两军|美中两军|中美军方|美中军方|中美国防|美中国防|中美军事|美中军事|中美海军|中美防务|中美军队|两国两军',
    { type: 'pair' },
  ],
  // "中美将设立军事直通电话", "中美第11次防务磋商": the two countries, then within a few characters a military noun.
  ['(?:中美|美中)[^，。,！？；]{0,8}?(?:防务|军事|两军|国防|海军|军方)', { type: 'pair' }],
];

/** The other party, by side. */
export const COUNTERPARTS: readonly Entry[] = [
  [String.raw`(?:${CN})(?:'s)? counterparts?|the chinese side`, { type: 'counterpart', side: 'PRC' }],
  [String.raw`(?:${US})(?:'s)? counterparts?|the ${US} side`, { type: 'counterpart', side: 'US' }],
  ['美方', { type: 'counterpart', side: 'US' }],
  ['中方', { type: 'counterpart', side: 'PRC' }],
];

/** Words that say the two communicated, and how. */
export const CONTACT_WORDS: readonly Entry[] = [
  [
    String.raw`video (?:calls?|conference|teleconference|talks?|link|conversation|chat)|videoconference|teleconference|vtcs?|virtual(?:ly)? (?:meeting|talks|calls?|conversation)|(?:met|meets|meet|spoke|speaks|talked|held talks) virtually|via video|by video`,
    contact('video-call'),
  ],
  [
    '视频通话|视频会议|视频会谈|视频对话|视像会议|视像对话|视像通话|视讯通话|视讯会议|视讯会谈|视频连线|视频|视像|视讯|线上会议',
    contact('video-call'),
  ],
  [
    String.raw`(?:phone|telephone) (?:calls?|talks|conversation)|(?:spoke|speaks|speak|talked) (?:by|over the|on the) (?:phone|telephone)|phone|telephone|calls? with|held a call|in a call|(?:a|the|first|introductory|conciliatory|secret) calls?`,
    contact('call'),
  ],
  ['通电话|通话|电话', contact('call')],
  [
    String.raw`(?:spoke|speaks|speak|spoken|talked|talks|talk) (?:with|to)|conversation|(?:tells|told) (?:his |her |their )?(?:${US} |${CN} )?counterparts?|reach(?:ed|es)? consensus`,
    contact(undefined),
  ],
  ['交谈|对话|达成共识|共识', contact(undefined)],
  [String.raw`met|meets|meet|meeting|meetings|sat down|hosted|hosts|receives|received`, contact('meeting')],
  ['会见|会晤|会面|接见|见面', contact('meeting')],
  [String.raw`talks|consultations|consultative|dialogue|working group|plenary`, contact('talks')],
  ['会谈|磋商|工作会晤', contact('talks')],
  [String.raw`visits?|visited`, contact('visit')],
  [
    String.raw`sign(?:ed|s)? (?:an? |the )?(?:agreement|memorandum|document|accord|mou|arrangement)`,
    contact('agreement'),
  ],
  ['签署', contact('agreement')],
  ['访华|访美|访问|到访', contact('visit')],
];

/** Reports of contacts that did not happen, or not yet. */
export const NEGATIONS: readonly Entry[] = [
  [
    String.raw`declin(?:e|ed|es|ing)|refus(?:e|ed|es|al)|reject(?:s|ed|ing|ion)?|rebuff(?:s|ed)?|unanswered|(?:would|will|did|does|do) not (?:go ahead|take place|be held)|requests? for (?:a |the )?(?:talks|(?:phone )?call|meeting)|no (?:formal |substantive |bilateral |face-to-face )?(?:talks|meetings?|calls?|contacts?)|(?:next|future|upcoming) (?:meetings?|talks|round|visit)|welcome(?:s|d)? (?:\S+ ){0,3}to visit|at an appropriate time|some ?day|(?:shook|shake|shaking) hands (?:\S+ ){0,6}(?:dinner|banquet|reception)|fail(?:s|ed)? to (?:hold|meet|show|attend|take place|coordinate)|failed (?:meeting|talks|call)|(?:talks|dialogue|communications?|contacts?|exchanges) (?:reopening|resuming|restarting)|(?:reopening|resuming|restarting) (?:of )?(?:the )?(?:\S+ ){0,3}(?:talks|dialogue|communications?|contacts?|exchanges)|wants? (?:\S+ ){0,2}to (?:meet|speak|talk|visit)|no-show|yet to|ha(?:s|ve|d)n't|ha(?:s|ve|d) not|did not|didn't|cancel(?:s|led|ed|lation)?|suspen(?:d|ds|ded|sion)|postpone[ds]?|(?:breaks|broke|broken) down|expected to|hopeful|hopes to|no\W{1,3}substantive|only shaking hands|not responded`,
    { type: 'negation' },
  ],
  ['拒绝|婉拒|取消|暂停|推迟|中止|未能|尚未|没有回应|拒接|已读不回', { type: 'negation' }],
];

export const FUTURE: readonly Entry[] = [
  [String.raw`will|to begin|beginning|to be held|upcoming|next week`, { type: 'future' }],
  ['将于|即将|将举行', { type: 'future' }],
];

export const MILITARY_TOPIC: readonly Entry[] = [
  [
    String.raw`military-to-military|mil-to-mil|military communications?|military talks|military ties|military channels|military relations`,
    { type: 'military-topic' },
  ],
  ['军事沟通|两军关系|军方沟通|军事对话|军事交流', { type: 'military-topic' }],
];

export const READOUT: readonly Entry[] = [[String.raw`readout`, { type: 'readout' }]];

export const NEUTRAL: readonly Entry[] = [['美军购|美军售|对美军购', { type: 'neutral' }]];

export const NOT_A_CONTACT: readonly Entry[] = [
  [String.raw`hot ?lines?|(?:defen[cs]e )?(?:tele)?phone links?|telephone link structure`, { type: 'not-a-contact' }],
  // Forums are where contacts happen, not contacts: "on the sidelines of the Shangri-La Dialogue" is met or not.
  [
    String.raw`shangri-la dialogue|asean defen[cs]e ministers'? meeting(?:[- ]plus)?|admm(?:-plus)?|munich security conference|xiangshan forum|reagan national defen[cs]e forum`,
    { type: 'not-a-contact' },
  ],
  ['香格里拉对话会?|香山论坛|东盟防长扩大会议?|慕尼黑安全会议', { type: 'not-a-contact' }],
  ['直通电话|热线|\\[视频\\]|【视频】|\\(视频\\)|（视频）', { type: 'not-a-contact' }],
];

export const COUNTRIES: readonly Entry[] = [
  [String.raw`u\.s\.a?|usa|united states|america|americans?|washington`, { type: 'country', side: 'US' }],
  ['美国|美方', { type: 'country', side: 'US' }],
  [String.raw`china|chinese|prc|beijing`, { type: 'country', side: 'PRC' }],
  ['中国|中方|北京|中国大陆|大陆', { type: 'country', side: 'PRC' }],
  [
    String.raw`japan(?:ese)?|philippines?|filipino|australian?|russian?|cambodian?|(?:south |north )?korean?|india|indian|vietnam(?:ese)?|singapore(?:an)?|malaysian?|indonesian?|thailand|thai|ukrain(?:e|ian)|israeli?|british|britain|france|french|german[y]?|canadian?|nato|pakistani?|new zealand|mongolian?`,
    { type: 'third-country' },
  ],
  [
    '日本|菲律宾|澳大利亚|澳洲|俄罗斯|俄国|柬埔寨|韩国|朝鲜|印度|越南|新加坡|马来西亚|印尼|泰国|乌克兰|以色列|英国|法国|德国|加拿大|北约|巴基斯坦',
    { type: 'third-country' },
  ],
  // "韩国国防部长官", "俄罗斯国防部长", "日本防卫大臣": a third country's ministry, not China's (longer than "国防部长").
  [
    '(?:日本|菲律宾|澳大利亚|澳洲|俄罗斯|俄国|柬埔寨|韩国|朝鲜|印度|越南|新加坡|马来西亚|印尼|泰国|乌克兰|以色列|英国|法国|德国|加拿大|巴基斯坦)(?:的)?(?:国防部长官|国防部长|国防部|防长|防卫大臣|防卫相|防卫省|国防长官)',
    { type: 'third-country' },
  ],
];

/** Words of Taiwanese writers for the mainland and for Taiwan's own forces. */
export const TAIWAN_VOICE: readonly Entry[] = [['中国大陆|大陆官方|大陆方面|陆方|对岸|国军', { type: 'taiwan-voice' }]];

/** Every general entry, in one list. */
export const LEXICON: readonly Entry[] = [
  ...ROLES,
  ...PAIRS,
  ...COUNTERPARTS,
  ...CONTACT_WORDS,
  ...NEGATIONS,
  ...FUTURE,
  ...MILITARY_TOPIC,
  ...READOUT,
  ...NEUTRAL,
  ...NOT_A_CONTACT,
  ...COUNTRIES,
  ...TAIWAN_VOICE,
];

/** Offices that are each other's counterpart: "Austin … his Chinese counterpart" is the defense minister. */
export const COUNTERPART_OFFICES: readonly (readonly [us: string, prc: string])[] = [
  [SECDEF, MND],
  [CJCS, JSD],
  ['Chief of Naval Operations', 'Commander, PLA Navy'],
];

/** Titles of the defense establishment (DoD and the services; MND, the CMC and the PLA). */
export const MILITARY_TITLE =
  /defen[cs]e|\bwar\b|military|army|navy|naval|air force|marine|joint chiefs|joint staff|general staff|theater|command|\bpla\b|\bmnd\b|\bcmc\b|rocket force|artillery|fleet|armed police|armaments|pentagon|国防|军/i;
