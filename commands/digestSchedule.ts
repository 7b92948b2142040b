// /digest schedule: a digest posted in this channel on its own, daily, weekly or monthly; list, pause, resume,
// cancel and test them. Grammar after /subscribe, so one habit serves both.
import { formatLine, parseLine } from '../src/core/args.js';
import type { CommandContext, Options } from '../src/core/command.js';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { FILTER_OPTIONS, filterFrom } from '../src/core/filterOptions.js';
import { describeFilter } from '../src/core/present.js';
import type { Block, Reply } from '../src/core/reply.js';
import {
  canonicalZone,
  DEFAULT_TIMING,
  dayIn,
  describeTiming,
  EVERY,
  type Every,
  formatInstant,
  nextRun,
  parseOn,
  parseTime,
  type Schedule,
  type ScheduleBook,
  windowStart,
} from '../src/core/schedule.js';
import { joinOr, plural } from '../src/core/text.js';
import digestCommand from './digest.js';

const ACTIONS = ['list', 'pause', 'resume', 'cancel', 'test'] as const;
type Action = (typeof ACTIONS)[number];
const ALIASES: Record<string, Action | Every> = {
  ls: 'list',
  show: 'list',
  stop: 'pause',
  start: 'resume',
  unpause: 'resume',
  remove: 'cancel',
  delete: 'cancel',
  try: 'test',
  preview: 'test',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

/** The digest's own filters a schedule takes (the window is the schedule's, so no since:, period: or before:). */
const DIGEST_FILTERS = FILTER_OPTIONS.filter((o) => o.name !== 'topic' && o.name !== 'before');

const scheduleCommand = defineCommand({
  name: 'digest-schedule',
  description: 'Post a digest here on its own: /digest schedule weekly on:monday at:09:00 taiwan; list, pause',
  options: [
    {
      name: 'action',
      description: 'daily, weekly or monthly (a new schedule); or list, pause, resume, cancel, test',
      type: 'string',
      rest: true,
    },
    {
      name: 'what',
      description: 'A new schedule: its topic (e.g. taiwan). Pause, resume, cancel, test: the number, or all',
      type: 'string',
      rest: true,
      completion: 'topic',
    },
    { name: 'on', description: 'Weekly: a weekday (monday); monthly: a day of the month, 1–28', type: 'string' },
    { name: 'at', description: 'Time of day, HH:MM on a 24-hour clock (default 09:00)', type: 'string' },
    { name: 'tz', description: "Time zone, Area/City (default: the channel's, else UTC)", type: 'string' },
    ...DIGEST_FILTERS,
  ],
  examples: [
    '/digest schedule weekly on:monday at:09:00 tz:America/New_York taiwan',
    '/digest schedule list',
    '/digest schedule tz:Europe/Berlin',
    '/digest schedule monthly on:1 level:minister',
    '/digest schedule test 1',
    '/digest schedule pause 1',
  ],
  visibility: 'private',
  permission: 'channel-managers',
  postsLater: true,
  async run(ctx) {
    const book = scheduleBookOf(ctx);
    const { options } = ctx;
    const word = typeof options.action === 'string' ? options.action.trim().toLowerCase() : undefined;
    const known = word === undefined ? undefined : (ALIASES[word] ?? (isKnown(word) ? word : undefined));
    // A first word that is neither an action nor how often is the topic of a weekly schedule.
    const what = [known === undefined ? word : undefined, options.what as string | undefined]
      .filter((w): w is string => w !== undefined)
      .join(' ');
    const topicWords = what === '' ? undefined : what;
    if (known !== undefined && (ACTIONS as readonly string[]).includes(known)) {
      const action = known as Action;
      const extra = DIGEST_FILTERS.map((o) => o.name)
        .concat(['on', 'at', 'tz'])
        .filter((n) => options[n] !== undefined);
      if (extra.length > 0) {
        throw new UserError(
          'filters-with-action',
          `/digest schedule ${action} takes ${action === 'list' ? 'nothing more' : 'a number, or all'}, not ${extra.map((n) => `${n}:`).join(', ')}.`,
          `/digest schedule ${action}${action === 'list' ? '' : ' 1'}`,
        );
      }
      if (action === 'list') {
        if (topicWords !== undefined)
          throw new UserError('unexpected-id', '/digest schedule list takes nothing more.', '/digest schedule list');
        return listReply(ctx, await book.list(), new Date(book.timestamp()));
      }
      const chosen = await chosenSchedules(book, topicWords, action);
      if (action === 'test') return testReply(ctx, chosen);
      if (action === 'cancel') return cancelReply(book, chosen);
      return pauseOrResume(ctx, book, action, chosen, topicWords ?? '');
    }
    // Only a zone: the channel's zone for schedules made from now on.
    const filterGiven = topicWords !== undefined || DIGEST_FILTERS.some((o) => options[o.name] !== undefined);
    if (
      known === undefined &&
      !filterGiven &&
      options.tz !== undefined &&
      options.on === undefined &&
      options.at === undefined
    ) {
      const tz = canonicalZone(String(options.tz));
      await book.setZone(tz);
      const text = `New schedules in this channel will run in ${tz} unless they name another zone; existing ones keep theirs.`;
      return textReply('Time zone set', text);
    }
    return create(ctx, book, (known as Every | undefined) ?? DEFAULT_TIMING.every, topicWords);
  },
});

export default scheduleCommand;

function isKnown(word: string): boolean {
  return (ACTIONS as readonly string[]).includes(word) || (EVERY as readonly string[]).includes(word);
}

/** The schedules of the channel asked in, or a clear answer where there are none. */
function scheduleBookOf(ctx: CommandContext): ScheduleBook {
  if (!ctx.schedules) {
    throw new UserError(
      'no-schedules-here',
      'Digest schedules belong to a channel of a running bot (or the console); there is none here.',
      '/digest taiwan',
    );
  }
  return ctx.schedules;
}

/** The digest's options a schedule keeps, as /digest would read them (checked now, so a bad one creates nothing). */
function digestOptions(ctx: CommandContext, topic: string | undefined): { options: Options; filters: string } {
  const options: Record<string, Options[string]> = {};
  if (topic !== undefined) options.topic = topic;
  for (const spec of DIGEST_FILTERS)
    if (ctx.options[spec.name] !== undefined) options[spec.name] = ctx.options[spec.name];
  filterFrom(ctx.catalog, options); // throws a UserError naming a value that matches nothing
  return { options, filters: formatLine(digestCommand, options).replace(/^\/digest\s*/, '') };
}

async function create(
  ctx: CommandContext,
  book: ScheduleBook,
  every: Every,
  topic: string | undefined,
): Promise<Reply> {
  const at = ctx.options.at === undefined ? DEFAULT_TIMING.at : parseTime(String(ctx.options.at));
  const on = parseOn(every, ctx.options.on === undefined ? undefined : String(ctx.options.on));
  const tz = ctx.options.tz === undefined ? ((await book.zone()) ?? 'UTC') : canonicalZone(String(ctx.options.tz));
  const { options, filters } = digestOptions(ctx, topic);
  if (ctx.cannotPost) {
    throw new UserError(
      'cannot-post-here',
      `Hotline cannot post in this channel: ${ctx.cannotPost}. A schedule here would never arrive; fix that, then ask again.`,
      '/digest schedule weekly taiwan',
    );
  }
  const existing = await book.list();
  if (existing.length >= book.limit) {
    throw new UserError(
      'too-many-schedules',
      `This channel has ${book.limit} digest schedules, the most it may have. Cancel one first.`,
      '/digest schedule list',
    );
  }
  const schedule = await book.add({
    every,
    ...(on === undefined ? {} : { on }),
    at,
    tz,
    filters,
    ...(ctx.user ? { createdBy: ctx.user } : {}),
  });
  const next = nextRun(schedule, new Date(book.timestamp()));
  const scope = describeFilter(filterFrom(ctx.catalog, options));
  const what = scope.length > 0 ? `the digest of ${scope.join(' · ')}` : 'the digest of every contact';
  const text = schedule.existing
    ? `This channel already has that schedule (#${schedule.id}): ${what}, ${describeTiming(schedule)}.`
    : `Scheduled (#${schedule.id}): ${what}, ${describeTiming(schedule)}. Each covers the days since the one before; the first, the ${every === 'daily' ? 'day' : every === 'weekly' ? 'week' : 'month'} before it.`;
  return textReply(schedule.existing ? 'Already scheduled' : 'Scheduled', text, [
    { type: 'text', text: `Next: ${whenText(next, schedule.tz)}.` },
    {
      type: 'text',
      text: `See one now: /digest schedule test ${schedule.id} · all of them: /digest schedule list`,
    },
  ]);
}

/** "Monday 7 December 2026, 09:00 (America/New_York), 14:00 UTC". */
function whenText(instant: Date, tz: string): string {
  const here = formatInstant(instant, tz);
  return tz === 'UTC' ? here : `${here} = ${formatInstant(instant, 'UTC').replace(' (UTC)', ' UTC')}`;
}

async function chosenSchedules(book: ScheduleBook, id: string | undefined, verb: Action): Promise<Schedule[]> {
  const schedules = await book.list();
  if (id === undefined) {
    throw new UserError(
      'missing-id',
      `Say which schedule to ${verb}: its number from /digest schedule list${verb === 'test' ? '' : ', or all'}.`,
      `/digest schedule ${verb} ${schedules[0]?.id ?? 1}`,
    );
  }
  if (id.trim().toLowerCase() === 'all' && verb !== 'test') {
    if (schedules.length === 0)
      throw new UserError('no-schedules', 'This channel has no digest schedules.', '/digest schedule weekly taiwan');
    return schedules;
  }
  const n = /^#?(\d{1,9})$/.exec(id.trim())?.[1];
  const found = n === undefined ? undefined : schedules.find((s) => s.id === Number(n));
  if (!found) {
    const have =
      schedules.length === 0
        ? 'This channel has none.'
        : `This channel has ${joinOr(schedules.map((s) => `#${s.id}`))}.`;
    throw new UserError(
      'unknown-schedule',
      `"${id}" is not a digest schedule of this channel. ${have}`,
      schedules.length === 0 ? '/digest schedule weekly taiwan' : '/digest schedule list',
    );
  }
  return [found];
}

function listReply(ctx: CommandContext, schedules: Schedule[], now: Date): Reply {
  if (schedules.length === 0) {
    const text = 'This channel has no digest schedules.';
    return textReply('Digest schedules', text, [
      { type: 'text', text: 'Make one: /digest schedule weekly on:monday at:09:00 taiwan' },
    ]);
  }
  const items = schedules.map((s) => {
    const scope = describeFilter(filterFrom(ctx.catalog, digestCommandOptions(s)));
    const state = s.paused
      ? `paused${s.paused.reason === 'user' ? '' : ` (${s.paused.reason === 'gone' ? 'the channel is gone' : 'Hotline may not post here'})`}`
      : `next ${whenText(nextRun(s, now), s.tz)}`;
    const last = s.lastRun ? `last posted ${formatInstant(new Date(s.lastRun.at), 'UTC')}` : 'not posted yet';
    const failure = s.lastFailure
      ? ` · last failure ${formatInstant(new Date(s.lastFailure.at), 'UTC')}: ${s.lastFailure.detail}`
      : '';
    return `#${s.id} · ${scope.length > 0 ? scope.join(' · ') : 'every contact'} · ${describeTiming(s)} · ${state} · ${last}${failure}`;
  });
  const text = `${plural(schedules.length, 'digest schedule')} in this channel.`;
  return textReply('Digest schedules', text, [
    { type: 'list', items },
    { type: 'text', text: 'Change one: /digest schedule pause|resume|cancel|test <number>' },
  ]);
}

/** A stored schedule's filters read back as /digest's options (formatLine wrote them from those options). */
export function digestCommandOptions(schedule: Pick<Schedule, 'filters'>): Options {
  return parseLine(digestCommand, schedule.filters);
}

/** The digest a run of `schedule` at `slot` posts: its filters, over the days since the run before (`previous`). */
export async function scheduledDigest(
  ctx: Omit<CommandContext, 'options' | 'now'>,
  schedule: Schedule,
  slot: Date,
  previous: Date | undefined,
): Promise<Reply> {
  const day = dayIn(slot, schedule.tz);
  const since = windowStart(schedule.every, day, previous ? dayIn(previous, schedule.tz) : undefined);
  const reply = await digestCommand.run({ ...ctx, now: day, options: { ...digestCommandOptions(schedule), since } });
  const note = `Scheduled digest #${schedule.id}, ${describeTiming(schedule)} · /digest schedule list`;
  return { ...reply, footer: reply.footer ? `${reply.footer} · ${note}` : note };
}

async function testReply(ctx: CommandContext, [schedule]: Schedule[]): Promise<Reply> {
  if (!schedule) throw new Error('no schedule chosen');
  const last = schedule.lastRun ? new Date(schedule.lastRun.slot) : undefined;
  const reply = await scheduledDigest(ctx, schedule, new Date(scheduleBookOf(ctx).timestamp()), last);
  const note = `A test of schedule #${schedule.id}, as a run now would post it; only you see it`;
  return { ...reply, footer: reply.footer ? `${reply.footer} · ${note}` : note };
}

async function cancelReply(book: ScheduleBook, schedules: Schedule[]): Promise<Reply> {
  for (const s of schedules) await book.remove(s.id);
  const text = `Cancelled ${schedules.map((s) => `#${s.id}`).join(', ')}: no more digests from ${schedules.length === 1 ? 'it' : 'them'}; a digest already on its way is dropped.`;
  return textReply('Cancelled', text);
}

async function pauseOrResume(
  ctx: CommandContext,
  book: ScheduleBook,
  action: 'pause' | 'resume',
  schedules: Schedule[],
  id: string,
): Promise<Reply> {
  const changed: Schedule[] = [];
  for (const s of schedules) {
    if (action === 'pause' ? s.paused?.reason === 'user' : !s.paused) continue;
    const pause =
      action === 'pause'
        ? { reason: 'user' as const, at: book.timestamp(), ...(ctx.user ? { by: ctx.user } : {}) }
        : undefined;
    const updated = await book.setPaused(s.id, pause);
    if (updated) changed.push(updated);
  }
  const names = schedules.map((s) => `#${s.id}`).join(', ');
  const text =
    changed.length === 0
      ? `${names} ${schedules.length === 1 ? 'is' : 'are'} already ${action === 'pause' ? 'paused' : 'running'}.`
      : action === 'pause'
        ? `Paused ${changed.map((s) => `#${s.id}`).join(', ')}: no digests until /digest schedule resume ${changed.length === 1 ? changed[0]?.id : id}.`
        : `Resumed ${changed.map((s) => `#${s.id}`).join(', ')}: the next digest covers the days since the last one posted.`;
  return textReply(action === 'pause' ? 'Paused' : 'Resumed', text);
}

function textReply(title: string, text: string, more: Block[] = []): Reply {
  return { tone: 'answer', title, blocks: [{ type: 'text', text }, ...more], sources: [], fallbackText: text };
}
