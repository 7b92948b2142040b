// /digest schedule in the console's channel: make, list, pause, resume, cancel and test; bad input creates nothing.
import { describe, expect, it } from 'vitest';
import { renderText } from '../src/console/render.js';
import { bundled, memorySchedules, runCommand } from './helpers.js';

const catalog = bundled();
const NOW = '2026-12-02';
const clock = () => new Date('2026-12-02T12:00:00Z');
const schedules = memorySchedules(clock);
const run = async (line: string) => renderText(await runCommand(line, NOW, catalog, undefined, schedules));

describe('/digest schedule', () => {
  it('makes a weekly schedule in the zone given, and lists it with its next run there and in UTC', async () => {
    expect(await run('/digest schedule weekly on:monday at:09:00 tz:America/New_York taiwan')).toContain(
      'Scheduled (#1): the digest of Taiwan, weekly on Monday at 09:00 (America/New_York).',
    );
    const list = await run('/digest schedule list');
    expect(list).toContain(
      '#1 · Taiwan · weekly on Monday at 09:00 (America/New_York) · next Monday, 7 December 2026, 09:00',
    );
    expect(list).toContain('(America/New_York) = Monday, 7 December 2026, 14:00 UTC · not posted yet');
    // The same again is the same schedule.
    expect(await run('/hotline digest schedule weekly tz:america/new_york taiwan on:mon at:9:00')).toContain(
      'This channel already has that schedule (#1)',
    );
  });

  it('defaults to weekly on Monday at 09:00 in the channel zone, else UTC', async () => {
    expect(await run('/digest schedule level:minister')).toContain(
      'Scheduled (#2): the digest of minister level, weekly on Monday at 09:00 (UTC).',
    );
    expect(await run('/digest schedule tz:Europe/Berlin')).toContain(
      'New schedules in this channel will run in Europe/Berlin unless they name another zone',
    );
    expect(await run('/digest schedule daily kind:call')).toContain('daily at 09:00 (Europe/Berlin)');
  });

  it.each([
    ['/digest schedule weekly at:25:00', 'at: "25:00" is not a time of day.'],
    ['/digest schedule tz:Mars/Olympus taiwan', 'tz: "Mars/Olympus" is not a time zone.'],
    ['/digest schedule weekly on:funday', 'on: "funday" is not a day of the week.'],
    ['/digest schedule monthly on:31', 'on: a monthly digest runs on a day from 1 to 28'],
    ['/digest schedule weekly level:admiral', 'level'],
    ['/digest schedule pause 99', '"99" is not a digest schedule of this channel.'],
    ['/digest schedule list level:minister', '/digest schedule list takes nothing more, not level:.'],
  ])('%s gets a clear answer and creates nothing', async (line, message) => {
    const before = (await schedules.list()).length;
    const answer = await run(line);
    expect(answer).toContain('✗ Could not answer that');
    expect(answer).toContain(message);
    expect(answer).toContain('Try: /');
    expect((await schedules.list()).length).toBe(before);
  });

  it('pauses, resumes, tests and cancels by number', async () => {
    expect(await run('/digest schedule pause 1')).toContain('Paused #1: no digests until /digest schedule resume 1.');
    expect(await run('/digest schedule list')).toContain(
      '#1 · Taiwan · weekly on Monday at 09:00 (America/New_York) · paused',
    );
    expect(await run('/digest schedule resume 1')).toContain('Resumed #1');
    const test = await run('/digest schedule test 1');
    expect(test).toContain('Digest · Taiwan · 25 November 2026 – 2 December 2026');
    expect(test).toContain('A test of schedule #1, as a run now would post it; only you see it');
    expect(await run('/digest schedule cancel 1')).toContain('Cancelled #1');
    expect(await run('/digest schedule list')).not.toContain('#1 ·');
  });
});
