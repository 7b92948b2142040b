// The lazy catalog (issue 17): an event is made when a query first reads it, once; answers are those of
// the catalog it mirrors.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { ask } from '../../src/core/dispatch.js';
import { fixture, lazyOf } from '../helpers.js';

describe('a lazy catalog', () => {
  it('reads only the events a query looks at, each once', async () => {
    const eager = fixture();
    const { lazy, read } = lazyOf(eager);
    expect(lazy.count).toBe(eager.count);
    expect(read).toEqual([]);
    const line = '/lastcontact level:minister';
    const [a, b] = [
      await ask(line, { catalog: lazy, commands: COMMANDS, now: '2026-11-24' }),
      await ask(line, { catalog: eager, commands: COMMANDS, now: '2026-11-24' }),
    ];
    expect(JSON.stringify(a.reply)).toBe(JSON.stringify(b.reply));
    // The newest minister-level events, newest first (the answer and its "before that"), nothing else.
    const ministers = eager.index.level.get('minister') as readonly number[];
    expect(read).toEqual([...ministers].reverse().slice(0, read.length));
    expect(read.length).toBeLessThan(ministers.length);
    const last = ministers.at(-1) as number;
    const before = read.length;
    expect(lazy.event(last)).toBe(lazy.event(last));
    expect(read).toHaveLength(before);
  });

  it('gets by id and gives ids without reading events', () => {
    const eager = fixture();
    const { lazy, read } = lazyOf(eager);
    const id = eager.id(3);
    expect(lazy.id(3)).toBe(id);
    expect(lazy.byId.has(id)).toBe(true);
    expect(lazy.byId.has('no-such-id')).toBe(false);
    expect(lazy.byId.size).toBe(eager.count);
    expect([...lazy.byId.keys()]).toEqual([...eager.byId.keys()]);
    expect(read).toEqual([]);
    expect(lazy.byId.get(id)).toEqual(eager.byId.get(id));
    expect(lazy.byId.get('no-such-id')).toBeUndefined();
    expect(read).toEqual([3]);
  });

  it('makes every event when the whole list is read, the same objects as event(pos)', () => {
    const eager = fixture();
    const { lazy, read } = lazyOf(eager);
    const first = lazy.event(0);
    expect(JSON.stringify(lazy.events)).toBe(JSON.stringify(eager.events));
    expect(lazy.events[0]).toBe(first);
    expect(read).toHaveLength(eager.count);
    expect([...lazy.byId.values()]).toEqual(lazy.events);
  });

  it('refuses a position outside the catalog', () => {
    const { lazy } = lazyOf(fixture());
    expect(() => lazy.event(-1)).toThrow(new RangeError('no event at position -1'));
    expect(() => lazy.event(lazy.count)).toThrow(new RangeError(`no event at position ${lazy.count}`));
    expect(() => lazy.event(1.5)).toThrow(new RangeError('no event at position 1.5'));
  });
});
