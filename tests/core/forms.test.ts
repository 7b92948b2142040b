// Form buttons (core/actions.ts mode "form"): the form a button opens, and the line its submission runs, with the
// same checks as any button; a field can fill only what the line left open.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { decodeAction, encodeAction, formAction } from '../../src/core/actions.js';
import { formFor, submitForm } from '../../src/core/dispatch.js';
import type { DraftDesk } from '../../src/core/drafts.js';
import { errorReply, type Reply } from '../../src/core/reply.js';
import { fixture } from '../helpers.js';

const answer = (title: string): Reply => ({ tone: 'answer', title, blocks: [], sources: [], fallbackText: title });

/** A desk that records what it was asked. */
function recordingDesk(calls: string[]): DraftDesk {
  return {
    list: async (status) => answer(`list ${status}`),
    show: async (id) => answer(`show ${id}`),
    approve: async (id, by) => {
      calls.push(`approve ${id} by ${by}`);
      return answer('approved');
    },
    merge: async (id, event, by) => {
      calls.push(`merge ${id} into ${event} by ${by}`);
      return answer('merged');
    },
    reject: async (id, reason, by) => {
      calls.push(`reject ${id} (${reason}) by ${by}`);
      return answer('rejected');
    },
    edit: async (id, changes, by) => {
      calls.push(`edit ${id} ${changes} by ${by}`);
      return answer('edited');
    },
    editLines: async () => 'level=minister',
    mergeTarget: async () => '2024-04-16-austin-dong-video-call',
  };
}

describe('form buttons', () => {
  const calls: string[] = [];
  const ctx = { catalog: fixture(), commands: COMMANDS, now: '2026-06-03', user: 'U1', drafts: recordingDesk(calls) };

  it('GIVEN a form action THEN its value round-trips with mode f', () => {
    const value = encodeAction(formAction('Reject', '/drafts reject 3'));
    expect(value).toBe('h1:f:/drafts reject 3');
    expect(decodeAction(value)).toEqual({ mode: 'form', line: '/drafts reject 3' });
  });

  it('GIVEN Reject, Merge and Edit THEN each opens its form, Merge with the event the detector matched', async () => {
    expect(await formFor('h1:f:/drafts reject 3', ctx)).toMatchObject({
      form: {
        title: 'Reject draft #3',
        submit: 'Reject',
        fields: [{ name: 'reason', multiline: true, maxLength: 500 }],
      },
      value: 'h1:f:/drafts reject 3',
    });
    expect(await formFor('h1:f:/drafts merge 3', ctx)).toMatchObject({
      form: { fields: [{ name: 'event', value: '2024-04-16-austin-dong-video-call' }] },
    });
    expect(await formFor('h1:f:/drafts edit 3', ctx)).toMatchObject({
      form: { fields: [{ name: 'changes', value: 'level=minister' }] },
    });
  });

  it('GIVEN a value that is not a form, or a gate that refuses THEN a reply, and no form', async () => {
    expect(await formFor('h1:r:/drafts reject 3', ctx)).toMatchObject({ reply: { tone: 'error' } });
    expect(await formFor('h1:f:/timeline', ctx)).toMatchObject({ reply: { tone: 'error' } });
    const refused = await formFor('h1:f:/drafts reject 3', ctx, async () => errorReply('Not you.'));
    expect(refused).toMatchObject({ reply: { fallbackText: 'Not you.' } });
    expect(
      await submitForm('h1:f:/drafts reject 3', { reason: 'x' }, ctx, async () => errorReply('Not you.')),
    ).toMatchObject({
      reply: { fallbackText: 'Not you.' },
    });
    expect(calls).toEqual([]);
  });

  it('GIVEN a submitted form THEN the line runs with the fields, and a forged field cannot change the line', async () => {
    await submitForm('h1:f:/drafts reject 3', { reason: 'a diplomats’ meeting' }, ctx);
    await submitForm('h1:f:/drafts reject 3', { reason: 'forged', action: 'approve', draft: '9' }, ctx);
    await submitForm('h1:f:/drafts merge 3', { event: '2024-04-16-austin-dong-video-call' }, ctx);
    expect(calls).toEqual([
      'reject 3 (a diplomats’ meeting) by U1',
      'reject 3 (forged) by U1',
      'merge 3 into 2024-04-16-austin-dong-video-call by U1',
    ]);
    const empty = await submitForm('h1:f:/drafts reject 3', { reason: '' }, ctx);
    expect(empty.reply.fallbackText).toBe('Give a reason: why this draft is not an event to publish.');
  });
});
