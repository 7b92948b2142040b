// /help: every command, or one command in full, generated from the command definitions.
import type { Command, CompletionSource, OptionSpec } from '../src/core/command.js';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import type { Block } from '../src/core/reply.js';
import { closest } from '../src/core/text.js';

export default defineCommand({
  name: 'help',
  description: 'What Hotline can answer: every command, or one in full (/help lastcontact, /help topics)',
  options: [
    { name: 'command', description: 'A command name, or "topics"', type: 'string', rest: true, completion: 'command' },
  ],
  examples: ['/help', '/help lastcontact', '/help topics'],
  visibility: 'private',
  permission: 'anyone',
  readsEvents: false,
  shareable: false,
  run({ options, commands, catalog }) {
    const asked =
      typeof options.command === 'string' ? options.command.trim().replace(/^\//, '').toLowerCase() : undefined;
    if (asked === undefined) {
      return {
        tone: 'answer',
        title: 'Hotline · US–China military contacts, with sources',
        blocks: [
          { type: 'list', items: commands.map((c) => `/${c.name} — ${c.description}`) },
          {
            type: 'text',
            text: 'Options are written name:value, with quotes around spaces: /lastcontact person:"Dong Jun". Bare words go to the main option (a topic for /lastcontact).',
          },
          { type: 'text', text: 'More: /help <command>, /help topics' },
        ],
        sources: [],
        fallbackText: `Commands: ${commands.map((c) => `/${c.name}`).join(', ')}`,
      };
    }
    if (asked === 'topics') {
      const topics = [...catalog.topics.values()].sort((a, b) => a.label.localeCompare(b.label));
      return {
        tone: 'answer',
        title: 'Topics',
        blocks: [
          {
            type: 'list',
            items: topics.map((t) => `${t.id} — ${t.label}${t.description ? `: ${t.description}` : ''}`),
          },
        ],
        sources: [],
        fallbackText: `Topics: ${topics.map((t) => t.id).join(', ')}`,
      };
    }
    const command = commands.find((c) => c.name === asked);
    if (!command) {
      const near = closest(
        asked,
        commands.map((c) => c.name),
        1,
      );
      throw new UserError(
        'unknown-command',
        `There is no command /${asked}.${near.length > 0 ? ` Did you mean /${near[0]}?` : ''}`,
        '/help',
      );
    }
    return commandHelp(command);
  },
});

function commandHelp(command: Command): ReturnType<Command['run']> {
  const blocks: Block[] = [
    { type: 'text', text: command.description },
    { type: 'text', text: `Usage: ${usage(command)}` },
  ];
  if (command.options.length > 0)
    blocks.push({ type: 'list', heading: 'Options', items: command.options.map(optionLine) });
  blocks.push({ type: 'list', heading: 'Examples', items: [...command.examples] });
  if (command.permission === 'channel-managers') {
    blocks.push({
      type: 'text',
      text: "It changes the channel's setup: on Discord it needs Manage Channels (server admins can change that); on Slack any member of the channel may run it, or only workspace admins where the app is set up so.",
    });
  }
  if (command.permission === 'editors') {
    blocks.push({
      type: 'text',
      text: "Only editors may use it: those who can post in the editors' channel, and those on the editors' list (both set by whoever runs Hotline).",
    });
  }
  blocks.push({
    type: 'text',
    text:
      command.visibility === 'private' ? 'The answer is shown only to you.' : 'The answer is posted in the channel.',
  });
  return {
    tone: 'answer',
    title: `/${command.name}`,
    blocks,
    sources: [],
    fallbackText: `/${command.name}: ${command.description}`,
  };
}

function usage(command: Command): string {
  const parts = command.options.map((o) => {
    const text = o.rest ? `<${o.name}>` : `${o.name}:<${o.type === 'string' ? 'value' : o.type}>`;
    return o.required ? text : `[${text}]`;
  });
  return [`/${command.name}`, ...parts].join(' ');
}

const COMPLETION_WORDS: Record<CompletionSource, string> = {
  person: 'the people in the data',
  mechanism: 'the mechanisms in the data (see /channels)',
  topic: 'the topics in the data (see /help topics)',
  event: 'the event ids in the data (see /timeline)',
  command: 'the commands',
};

function optionLine(option: OptionSpec): string {
  const values = option.choices ? ` One of: ${option.choices.map((c) => c.value).join(', ')}.` : '';
  const from = option.completion ? ` Values come from ${COMPLETION_WORDS[option.completion]}.` : '';
  const rest = option.rest ? ' Bare words fill this option.' : '';
  return `${option.name}: ${option.description}.${values}${from}${rest}${option.required ? ' Required.' : ''}`;
}
