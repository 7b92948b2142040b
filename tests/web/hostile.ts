// A catalog for web tests: the invented fixture plus a person, a channel, a topic and an event whose every text is
// hostile (<script>, quotes, ampersands, bidi overrides), built without the schema, which would refuse the marks.
import { type Catalog, indexCatalog } from '../../src/core/catalog.js';
import type { EventRecord, Mechanism, Person, Topic } from '../../src/core/schema.js';
import { fixture } from '../helpers.js';

/** What a script injection looks like in the data; a page must show it as text. */
export const SCRIPT = '<script>alert("x")</script>';
/** A right-to-left override and an isolate: they must never reach a page. */
export const BIDI = '\u202E\u2066';
/** Every hostile text ends in this, so tests can find it once the marks are stripped. */
export const HOSTILE = `${SCRIPT} "double" 'single' & <b>bold</b>`;

export const HOSTILE_EVENT = '2024-03-01-hostile';
export const HOSTILE_PERSON = 'eve-hostile';
export const HOSTILE_CHANNEL = 'hostile-channel';

const person: Person = {
  id: HOSTILE_PERSON,
  name: `Eve ${BIDI}${HOSTILE}`,
  chineseName: `伊夫${BIDI}<i>`,
  aliases: [`Alias ${HOSTILE}`],
  side: 'US',
  positions: [{ title: `Title ${HOSTILE}`, aliases: [], start: '2020', source: 'javascript:alert(1)' }],
  notes: `Notes ${HOSTILE}`,
};

const mechanism: Mechanism = {
  id: HOSTILE_CHANNEL,
  name: `Channel ${HOSTILE}`,
  shortName: 'HC',
  aliases: [],
  description: `Description ${BIDI}${HOSTILE}`,
  levels: ['minister'],
  history: [
    {
      date: '2024-03-01',
      status: 'established',
      note: `Note ${HOSTILE}`,
      event: HOSTILE_EVENT,
      sources: [{ title: `History source ${HOSTILE}`, publisher: 'Pub', url: 'https://example.org/h?a=1&b="2"' }],
    },
  ],
};

const topic: Topic = { id: 'hostile-topic', label: `Topic ${HOSTILE}`, aliases: [], keywords: [] };

const event: EventRecord = {
  id: HOSTILE_EVENT,
  date: '2024-03-01',
  kind: 'meeting',
  status: 'held',
  format: 'in-person',
  location: `Place ${HOSTILE}`,
  level: 'minister',
  mechanisms: [HOSTILE_CHANNEL],
  participants: [
    { person: HOSTILE_PERSON, side: 'US', title: `Envoy ${HOSTILE}` },
    { person: 'dong-jun', side: 'PRC' },
    { name: `Named ${BIDI}${HOSTILE}`, side: 'PRC' },
  ],
  topics: ['hostile-topic', 'taiwan'],
  summary: `Summary ${BIDI}${HOSTILE}`,
  emphasis: { US: `US emphasis ${HOSTILE}`, PRC: `PRC emphasis ${BIDI}${HOSTILE}` },
  sources: [
    {
      title: `US readout ${HOSTILE}`,
      publisher: `Pub ${HOSTILE}`,
      url: 'https://example.org/us?a=1&b="2"',
      readout: 'US',
    },
    { title: `PRC readout ${HOSTILE}`, publisher: 'MND', url: 'https://example.org/prc', readout: 'PRC' },
    { title: `Script link ${HOSTILE}`, publisher: 'Bad', url: 'javascript:alert(1)' },
  ],
  notes: `Notes ${HOSTILE}`,
  recordedAt: '2024-03-02',
};

/** The fixture with the hostile person, channel, topic and event added. */
export function hostileCatalog(): Catalog {
  const base = fixture();
  return indexCatalog(
    [...base.events.map((e) => ({ ...e })), { ...event, file: 'hostile.yaml' }],
    new Map([...base.people, [person.id, person]]),
    new Map([...base.mechanisms, [mechanism.id, mechanism]]),
    new Map([...base.topics, [topic.id, topic]]),
    base.coverage,
  );
}

/** The paths a test visits on the hostile catalog: every kind of page shows some of its text. */
export const HOSTILE_PATHS = [
  '/',
  '/timeline',
  '/timeline?topic=hostile-topic',
  `/events/${HOSTILE_EVENT}`,
  `/people/${HOSTILE_PERSON}`,
  `/channels?mechanism=${HOSTILE_CHANNEL}`,
  '/channels?date=2024-03-05',
];
