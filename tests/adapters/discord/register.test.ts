// Discord registration: the payload built from commands/ and the check against Discord's rules.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import {
  type ApplicationCommand,
  registrationPayload,
  validatePayload,
} from '../../../src/adapters/discord/register.js';
import { defineCommand } from '../../../src/core/command.js';
import { errorReply } from '../../../src/core/reply.js';

const payload = registrationPayload(COMMANDS);
const command = (name: string) => payload.find((c) => c.name === name) as ApplicationCommand;
const option = (commandName: string, name: string) => command(commandName).options.find((o) => o.name === name);

describe('the payload from commands/', () => {
  it('passes every Discord rule', async () => {
    expect(validatePayload(payload)).toEqual([]);
    expect(validatePayload(registrationPayload(COMMANDS, { scope: 'guild' }))).toEqual([]);
  });

  it('has one slash command per command, in order, usable in servers; commands that change a channel need Manage Channels', async () => {
    expect(payload.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const c of payload) {
      expect(c).toMatchObject({
        type: 1,
        default_member_permissions: ['subscribe', 'unsubscribe', 'digest-schedule'].includes(c.name) ? '16' : null,
        contexts: [0],
        integration_types: [0],
      });
    }
  });

  it("maps /lastcontact's level to a string option with its choices", async () => {
    expect(option('lastcontact', 'level')).toEqual({
      type: 3,
      name: 'level',
      description: 'Level of contact, e.g. minister',
      required: false,
      choices: [
        { name: 'leaders', value: 'leaders' },
        { name: 'minister', value: 'minister' },
        { name: 'chief-of-defense', value: 'chief-of-defense' },
        { name: 'theater-commander', value: 'theater-commander' },
        { name: 'senior-official', value: 'senior-official' },
        { name: 'working-level', value: 'working-level' },
      ],
    });
  });

  it("maps /event's id to a required string option completed from the data", async () => {
    expect(option('event', 'id')).toEqual({
      type: 3,
      name: 'id',
      description: 'The event id, e.g. 2024-04-16-austin-dong-video-call',
      required: true,
      autocomplete: true,
    });
  });

  it('maps integers with their bounds, and dates and periods to strings that say their format', async () => {
    expect(option('timeline', 'page')).toEqual({
      type: 4,
      name: 'page',
      description: 'Page number, from 1',
      required: false,
      min_value: 1,
      max_value: 10_000,
    });
    expect(option('timeline', 'since')).toMatchObject({ type: 3, description: expect.stringContaining('YYYY-MM-DD') });
    expect(option('digest', 'period')).toMatchObject({ type: 3, description: expect.stringContaining('30d') });
  });

  it('offers autocomplete exactly where values come from the data and there are no choices', async () => {
    for (const c of COMMANDS) {
      for (const spec of c.options) {
        const mapped = option(c.name, spec.name);
        expect(mapped?.autocomplete === true, `/${c.name} ${spec.name}`).toBe(
          spec.completion !== undefined && !spec.choices,
        );
        expect(mapped?.choices?.length ?? 0).toBe(spec.choices?.length ?? 0);
      }
    }
    expect(option('lastcontact', 'person')?.autocomplete).toBe(true);
    expect(option('channels', 'mechanism')?.autocomplete).toBe(true);
  });

  it('gives guild commands no contexts, as Discord takes those only for global commands', async () => {
    const guild = registrationPayload(COMMANDS, { scope: 'guild' });
    expect(guild.every((c) => !('contexts' in c) && !('integration_types' in c))).toBe(true);
  });

  it('restricts commands that change a channel to Manage Channels, and says the format of a bare date', async () => {
    const setup = defineCommand({
      name: 'setup',
      description: 'Changes this channel',
      options: [
        { name: 'on', description: 'A date', type: 'date', required: true },
        { name: 'every', description: 'How often', type: 'period' },
      ],
      examples: ['/setup on:2024-01-01'],
      visibility: 'private',
      permission: 'channel-managers',
      run: () => errorReply('unused'),
    });
    const [mapped] = registrationPayload([setup]);
    expect(mapped?.default_member_permissions).toBe('16');
    expect(mapped?.options.map((o) => o.description)).toEqual([
      'A date (YYYY-MM-DD)',
      'How often (e.g. 30d, 12w, 6m, 1y)',
    ]);
  });
});

describe('validatePayload', () => {
  const good: ApplicationCommand = {
    type: 1,
    name: 'ok',
    description: 'Fine',
    options: [{ type: 3, name: 'a', description: 'An option', required: false }],
    default_member_permissions: null,
  };
  const with_ = (change: Partial<ApplicationCommand>): ApplicationCommand[] => [{ ...good, ...change }];

  it('accepts a good command', async () => {
    expect(validatePayload([good])).toEqual([]);
  });

  it.each([
    ['a name with a space', with_({ name: 'bad name' }), '/bad name: name must be 1–32 letters, digits, "-" or "_"'],
    ['an uppercase name', with_({ name: 'Bad' }), '/Bad: name must be lowercase'],
    [
      'a name over 32',
      with_({ name: 'x'.repeat(33) }),
      `/${'x'.repeat(33)}: name must be 1–32 letters, digits, "-" or "_"`,
    ],
    ['a description over 100', with_({ description: 'd'.repeat(101) }), '/ok: description must be 1–100 characters'],
    ['an empty description', with_({ description: '' }), '/ok: description must be 1–100 characters'],
    [
      '26 choices',
      with_({
        options: [
          {
            type: 3,
            name: 'a',
            description: 'An option',
            required: false,
            choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })),
          },
        ],
      }),
      '/ok option "a": 26 choices; at most 25',
    ],
    [
      'a required option after an optional one',
      with_({
        options: [
          { type: 3, name: 'a', description: 'Optional', required: false },
          { type: 3, name: 'b', description: 'Required', required: true },
        ],
      }),
      '/ok option "b": required options must come before optional ones',
    ],
    [
      'autocomplete with choices',
      with_({
        options: [
          {
            type: 3,
            name: 'a',
            description: 'An option',
            required: false,
            autocomplete: true,
            choices: [{ name: 'x', value: 'x' }],
          },
        ],
      }),
      '/ok option "a": autocomplete cannot go with choices',
    ],
    [
      '26 options',
      with_({
        options: Array.from({ length: 26 }, (_, i) => ({
          type: 3 as const,
          name: `o${i}`,
          description: 'An option',
          required: false,
        })),
      }),
      '/ok: 26 options; at most 25',
    ],
    [
      'over 4,000 characters',
      with_({
        options: Array.from({ length: 25 }, (_, i) => ({
          type: 3 as const,
          name: `o${i}`,
          description: 'd'.repeat(100),
          required: false,
          choices: Array.from({ length: 2 }, (_, j) => ({ name: `${'n'.repeat(90)}${j}`, value: `v${j}` })),
        })),
      }),
      '/ok: 7221 characters in all; at most 4000',
    ],
    [
      'a permission that is not a bit set',
      with_({ default_member_permissions: 'ManageChannels' }),
      '/ok: default_member_permissions must be a decimal bit set as a string, or null',
    ],
  ])('catches %s', (_, bad, problem) => {
    expect(validatePayload(bad)).toContain(problem);
  });

  it('catches more than 100 commands and a name used twice', async () => {
    const many = Array.from({ length: 101 }, () => good);
    const problems = validatePayload(many);
    expect(problems).toContain('101 commands; Discord allows at most 100');
    expect(problems).toContain('/ok: the name is used twice');
  });
});
