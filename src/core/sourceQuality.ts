// How citable a source is, from its address: a government's own page, a wire or paper of record, or a copy.
import type { EventRecord, Source } from './schema.js';

/** official: a government's own site; major: a wire service, paper of record or established outlet; copy: anything else. */
export type SourceClass = 'official' | 'major' | 'copy';

/**
 * Official sites, by host suffix. US: every .gov and .mil host (defense.gov, war.gov, whitehouse.gov,
 * state.gov, jcs.mil, pacom.mil, dpaa.mil …) and DVIDS. PRC: every .gov.cn host (mod.gov.cn, mfa.gov.cn,
 * embassies), the PLA's own papers, and the state news agencies and papers that carry official readouts.
 */
const OFFICIAL = [
  '.gov',
  '.mil',
  'dvidshub.net',
  '.gov.cn',
  'fmprc.gov.cn',
  'chinamil.com.cn',
  '81.cn',
  'pladaily.com.cn',
  'xinhuanet.com',
  'news.cn',
  'people.com.cn',
  'people.cn',
  'chinadaily.com.cn',
  'globaltimes.cn',
  'cgtn.com',
  'cri.cn',
  'china.org.cn',
  'china-embassy.org',
  'chinaembassy.org',
  'usembassy-china.org.cn',
  'ecns.cn',
  'chinanews.com.cn',
  'cctv.com',
  'cntv.cn',
  'bjreview.com.cn',
  'bjreview.com',
  'chinadailyhk.com',
  'chinagate.cn',
];

/** Wires, papers of record and established outlets (docs/DATA.md lists them and why). */
const MAJOR = [
  'reuters.com',
  'apnews.com',
  'ap.org',
  'afp.com',
  'france24.com',
  'bloomberg.com',
  'nytimes.com',
  'wsj.com',
  'washingtonpost.com',
  'ft.com',
  'scmp.com',
  'nikkei.com',
  'kyodonews.net',
  'japantimes.co.jp',
  'straitstimes.com',
  'channelnewsasia.com',
  'usni.org',
  'defensenews.com',
  'breakingdefense.com',
  'stripes.com',
  'voanews.com',
  'bbc.com',
  'bbc.co.uk',
  'cnn.com',
  'thediplomat.com',
  'defenseone.com',
  'politico.com',
  'thehill.com',
  'foreignpolicy.com',
  'latimes.com',
  'theguardian.com',
  'npr.org',
  'cbsnews.com',
  'nbcnews.com',
  'abcnews.go.com',
  'foxnews.com',
  'usatoday.com',
  'axios.com',
  'economist.com',
  'time.com',
  'upi.com',
  'yna.co.kr',
  'taipeitimes.com',
  'focustaiwan.tw',
  'military.com',
  'militarytimes.com',
  'navytimes.com',
  'armytimes.com',
  'airandspaceforces.com',
  'airforcetimes.com',
  'csis.org',
  'pacforum.org',
  'cfr.org',
  'brookings.edu',
  'rand.org',
  'ndupress.ndu.edu',
  'presidency.ucsb.edu',
  'everycrsreport.com',
  'uscc.gov',
  'sipri.org',
  'iiss.org',
  'voachinese.com',
  'voacantonese.com',
  'insidedefense.com',
  'defensedaily.com',
  'udn.com',
  'zaobao.com',
  'zaobao.com.sg',
  'yzaobao.com',
  'zaobao.cn',
  'caixin.com',
  'caixinglobal.com',
  'hkej.com',
  'shine.cn',
  'thestar.com.my',
  'mb.com.ph',
  'fortune.com',
  'dw.com',
  'dw.de',
  'aljazeera.com',
  'baltimoresun.com',
  'efe.com',
  'washingtontimes.com',
  'nationalpost.com',
  'staradvertiser.com',
  'boston.com',
  'bostonglobe.com',
  'businessinsider.com',
  'cna.com.tw',
  'rfa.org',
  'koreaherald.com',
  'theaustralian.com.au',
  'abc.net.au',
  'smh.com.au',
];

function host(url: string): string {
  try {
    return new URL(url).hostname
      .toLowerCase()
      .replace(/^www\./, '')
      .replace(/\.$/, '');
  } catch {
    return '';
  }
}

const matches = (h: string, suffix: string) =>
  suffix.startsWith('.') ? h.endsWith(suffix) : h === suffix || h.endsWith(`.${suffix}`);

/** The class of a source, from its host. */
export function sourceClass(source: Pick<Source, 'url'>): SourceClass {
  const h = host(source.url);
  if (OFFICIAL.some((s) => matches(h, s))) return 'official';
  if (MAJOR.some((s) => matches(h, s))) return 'major';
  return 'copy';
}

/** Whether an event has at least one official or major source. */
export function hasCitableSource(event: Pick<EventRecord, 'sources'>): boolean {
  return event.sources.some((s) => sourceClass(s) !== 'copy');
}

/** Addresses reserved for examples (RFC 2606): the invented test fixtures use them; they are never real sources. */
export function isReservedExample(url: string): boolean {
  return /^https?:\/\/([^/]+\.)?(example\.(com|org|net)|[^/]+\.(example|test|invalid))(\/|$)/i.test(url);
}
