// The Discord adapter: the real discord.js client answering slash commands and autocomplete over the gateway.
import {
  type ApplicationCommandOptionChoiceData,
  type AttachmentPayload,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type CommandInteractionOption,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
} from 'discord.js';
import { decodeAction } from '../../core/actions.js';
import type { Catalog } from '../../core/catalog.js';
import type { Command } from '../../core/command.js';
import { suggest } from '../../core/complete.js';
import type { Day } from '../../core/dates.js';
import { formFor, postsInChannel, pressed, run, submitForm } from '../../core/dispatch.js';
import type { DraftDesk } from '../../core/drafts.js';
import { INTERNAL_ERROR, UserError } from '../../core/errors.js';
import type { PostFile } from '../../core/poster.js';
import { errorReply, type Reply } from '../../core/reply.js';
import type { ScheduleBook } from '../../core/schedule.js';
import type { Place, SubscriptionBook } from '../../core/subscription.js';
import { cutToLength } from '../../core/text.js';
import { type Log, type LogLevelName, logger } from '../../logging.js';
import { attachmentsRefused, withAttachments } from './poster.js';
import { renderDiscord, renderForm } from './render.js';
import { DEFAULT_API_URL } from './rest.js';

/** How the client reaches Discord: the bot token, and the REST base URL the gateway address comes from. */
export interface DiscordConfig {
  token: string;
  /** REST base URL without the version (DISCORD_API_URL: a shared REST proxy, or a local fake in tests). */
  apiUrl?: string;
  /** Retries of a failed REST request (5xx, reset connection) inside discord.js; 0 in tests. */
  retries?: number;
  logLevel?: LogLevelName;
  /**
   * DISCORD_EDITORS_CHANNEL and DISCORD_EDITORS: who reviews drafts (/drafts, the buttons on draft cards): those who
   * may send messages in the channel, pressing there, and the users listed. Without either, nobody can in Discord.
   */
  editors?: { channel?: string; users: string[] };
  /** An answer not ready after this long is deferred ("thinking…"), then edited in (default 2 s; Discord allows 3). */
  deferAfterMs?: number;
}

/** What every answer needs: the data, the commands, and a way to learn today's date. */
export interface DiscordDeps {
  catalog: Catalog;
  commands: readonly Command[];
  today: () => Day;
  /** The subscriptions of a channel, where state is open. */
  books?: (place: Place) => SubscriptionBook;
  /** The digest schedules of a channel, where state is open. */
  schedules?: (place: Place) => ScheduleBook;
  /** The review of drafts, where state is open (only editors reach it: see DiscordConfig.editors). */
  drafts?: DraftDesk;
}

/** Who reviews drafts: those who may send messages in the editors' channel (pressing there), and the users listed. */
type Editors = DiscordConfig['editors'];

/** A connected client and how to disconnect it. */
export interface RunningDiscord {
  client: Client;
  stop(): Promise<void>;
}

/** Discord's limits on one autocomplete result: 25 choices, names and string values of 1–100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** Builds the client with its interaction handler; nothing connects until `login`. */
export function createDiscordClient(
  config: DiscordConfig,
  deps: DiscordDeps,
  log: Log = logger('info', 'discord'),
): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Nothing the bot sends may ping anyone, even a message built without renderDiscord.
    allowedMentions: { parse: [] },
    rest: {
      api: config.apiUrl ?? DEFAULT_API_URL,
      ...(config.retries === undefined ? {} : { retries: config.retries }),
    },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    void handleInteraction(interaction, deps, log, config.deferAfterMs, config.editors);
  });
  client.on(Events.Error, (error) => log('error', `client: ${error.stack ?? error.message}`));
  client.on(Events.Warn, (message) => log('warn', message));
  client.on(Events.Debug, (message) => log('debug', message));
  return client;
}

/**
 * Connects to the gateway (its address comes from `GET /gateway/bot` on the REST base URL) and
 * resolves once the client is ready to answer. Rejects, with the client destroyed, if login fails.
 */
export async function startDiscord(config: DiscordConfig, deps: DiscordDeps): Promise<RunningDiscord> {
  const log = logger(config.logLevel ?? 'info', 'discord');
  const client = createDiscordClient(config, deps, log);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.token);
  await ready;
  log('info', `connected as ${client.user?.tag ?? 'unknown'} in ${client.guilds.cache.size} server(s)`);
  return { client, stop: () => client.destroy() };
}

/** Answers one interaction: a slash command or an autocomplete request. Never throws. */
export async function handleInteraction(
  interaction: Interaction,
  deps: DiscordDeps,
  log: Log,
  deferAfterMs = DEFER_AFTER_MS,
  editors?: Editors,
): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await answerCommand(interaction, deps, log, deferAfterMs, editors);
    else if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
    else if (interaction.isButton()) await answerButton(interaction, deps, deferAfterMs, editors);
    else if (interaction.isModalSubmit()) await answerForm(interaction, deps, editors, deferAfterMs);
  } catch (error) {
    const what =
      interaction.isCommand() || interaction.isAutocomplete() ? `/${interaction.commandName}` : 'interaction';
    log('error', `${what} ${interaction.id}: ${(error as Error).stack ?? String(error)}`);
    if (interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit()) {
      await apologize(interaction, log);
    }
  }
}

/** An answer not ready after this long is deferred, then edited in: Discord drops a reply after 3 s. */
export const DEFER_AFTER_MS = 2_000;

/**
 * Runs the command with the options Discord typed and replies directly (one request) when the answer is
 * ready within `deferAfterMs`, as it is in milliseconds from the catalog. An answer that waits on a slow or
 * dead state store is deferred first (Discord shows "thinking…"), then edited in. An answer with a chart has
 * it drawn within the same budget: a drawing that takes longer is deferred like a slow answer.
 */
async function answerCommand(
  interaction: ChatInputCommandInteraction,
  deps: DiscordDeps,
  log: Log,
  deferAfterMs = DEFER_AFTER_MS,
  editors?: Editors,
): Promise<void> {
  const command = deps.commands.find((c) => c.name === interaction.commandName);
  let values: Record<string, string | number> = {};
  // Discord checks Manage Channels itself for slash commands; editors are Hotline's to check.
  let refused: Reply | undefined = command ? editorsOnly(command, interaction, editors) : undefined;
  try {
    if (!refused) values = optionValues(interaction.options.data);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    refused = errorReply(error.message, error.example);
  }
  const answering: Promise<Reply> = refused
    ? Promise.resolve(refused)
    : command
      ? run(command, values, askContext(deps, interaction))
      : // Registered commands and COMMANDS drifted apart (e.g. an old registration): say so privately.
        Promise.resolve(
          errorReply(
            `Hotline has no command /${interaction.commandName} any more; it may need registering again.`,
            '/help',
          ),
        );
  const charted = answering.then(async (reply) => ({
    reply,
    chart: reply.chart ? await drawChart(reply, `/${interaction.commandName} ${interaction.id}`, log) : undefined,
  }));
  // Private unless the command posts in the channel; the answer replaces "thinking…" when it comes.
  const { reply, chart } = await deferredIfLate(charted, deferAfterMs, () =>
    interaction.deferReply(command?.visibility === 'channel' ? {} : { flags: MessageFlags.Ephemeral }),
  );
  // An export's file goes with the answer, which only the asker sees (/export is private).
  const files = [...(chart ? [chart] : []), ...(reply.file ? [exportFile(reply.file)] : [])];
  await send(interaction, reply, !postsInChannel(command, reply), files, log);
}

/** An answer's file (/export) as a file to attach: its text as UTF-8 bytes, its description as alt text. */
function exportFile(file: NonNullable<Reply['file']>): PostFile {
  return { name: file.name, data: Buffer.from(file.text, 'utf8'), alt: file.alt };
}

/**
 * The reply's chart as a file, drawn by chart.js (loaded on the first chart only); undefined, logged, when it
 * cannot be drawn: the answer goes without it.
 */
async function drawChart(reply: Reply, what: string, log: Log): Promise<PostFile | undefined> {
  try {
    const { file, error } = await (await import('../../charts/contactsChart.js')).chartFile(reply);
    if (file) return file;
    log('warn', `${what}: the chart could not be drawn (${error ?? 'unknown'}); answered without it`);
  } catch (error) {
    log('warn', `${what}: the chart could not be drawn (${(error as Error).message}); answered without it`);
  }
  return undefined;
}

/** What a question asked through `interaction` is answered with. */
function askContext(
  deps: DiscordDeps,
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
) {
  return {
    catalog: deps.catalog,
    commands: deps.commands,
    now: deps.today(),
    ...(deps.drafts ? { drafts: deps.drafts } : {}),
    user: interaction.user.id,
    ...(interaction.channelId ? { channel: interaction.channelId } : {}),
    ...(deps.books && interaction.channelId
      ? { subscriptions: deps.books({ platform: 'discord', channel: interaction.channelId }) }
      : {}),
    ...(deps.schedules && interaction.channelId
      ? { schedules: deps.schedules({ platform: 'discord', channel: interaction.channelId }) }
      : {}),
    ...cannotPost(interaction),
  };
}

/** What the bot needs to post a notice or a digest with its chart in a channel, in Discord's words. */
const POSTING = [
  ['ViewChannel', 'View Channel'],
  ['SendMessages', 'Send Messages'],
  ['EmbedLinks', 'Embed Links'],
  ['AttachFiles', 'Attach Files'],
] as const;

/** The permissions the bot lacks in the interaction's channel, from Discord's own app_permissions. */
function cannotPost(interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction): {
  cannotPost?: string;
} {
  const have = interaction.appPermissions;
  if (!have || !interaction.inGuild()) return {};
  const missing = POSTING.filter(([flag]) => !have.has(PermissionFlagsBits[flag])).map(([, words]) => words);
  return missing.length > 0 ? { cannotPost: `it lacks ${missing.join(', ')}` } : {};
}

/**
 * Interactions deferred as an update of the message they came from (a draft's card, a page): the edit of their
 * reply edits that message, so a private answer to them (an apology for an action that failed) is a follow-up.
 */
const deferredInPlace = new WeakSet<ButtonInteraction | ModalSubmitInteraction>();

/** Defers `interaction` as an update of its message (Discord waits; the message stays as it is). */
function deferInPlace(interaction: ButtonInteraction | ModalSubmitInteraction): Promise<unknown> {
  deferredInPlace.add(interaction);
  return interaction.deferUpdate();
}

/** The answer, once ready; if it is not ready within `deferAfterMs`, `defer` is called first (Discord allows 3 s). */
async function deferredIfLate<T>(
  answering: Promise<T>,
  deferAfterMs: number,
  defer: () => Promise<unknown>,
): Promise<T> {
  // If deferring fails (the interaction expired), the answer is never awaited: its failure must not go unhandled.
  answering.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deferAfterMs);
  });
  const first = await Promise.race([answering, late]);
  clearTimeout(timer);
  if (first === 'late') await defer();
  return answering;
}

/**
 * Answers a pressed button (core/actions.ts): the line it carries is run like a typed command. Discord checks
 * Manage Channels only for slash commands, so a button that runs a channel-managers command checks it here.
 * A page replaces the message the button is on; a share is posted in the channel; a "run" goes where the
 * command's answers go; anything else answers whoever pressed privately.
 */
async function answerButton(
  interaction: ButtonInteraction,
  deps: DiscordDeps,
  deferAfterMs = DEFER_AFTER_MS,
  editors?: Editors,
) {
  const gate = async (command: Command) => buttonGate(command, interaction, editors);
  if (decodeAction(interaction.customId)?.mode === 'form') {
    // A form button opens its modal as the answer (it cannot be deferred); a refusal answers privately.
    const opened = await formFor(interaction.customId, askContext(deps, interaction), gate);
    if ('form' in opened) await interaction.showModal(renderForm(opened.form, opened.value));
    else await send(interaction, opened.reply, true);
    return;
  }
  const answering = pressed(interaction.customId, askContext(deps, interaction), gate);
  // A late answer is deferred where it will go: in place (a page), in the channel (a share), else privately.
  const asked = decodeAction(interaction.customId)?.mode;
  const { mode, command, reply } = await deferredIfLate(answering, deferAfterMs, () =>
    asked === 'replace'
      ? deferInPlace(interaction)
      : asked === 'share'
        ? interaction.deferReply()
        : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
  );
  const { embeds, components } = renderDiscord(reply);
  const body = { embeds, components: components ?? [], allowedMentions: { parse: [] } };
  if (mode === 'replace' && !interaction.deferred) await interaction.update(body);
  else if (interaction.deferred && (asked === 'replace' || asked === 'share') && mode !== asked) {
    // Deferred as a page or a share, answered with an error: it goes privately, never over the answer or
    // into the channel, and a public "thinking…" is removed.
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    if (asked === 'share') await interaction.deleteReply().catch(() => {});
  } else if (interaction.deferred) await interaction.editReply(body);
  else if (mode === 'share' || (mode === 'run' && postsInChannel(command, reply))) await interaction.reply(body);
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

/** The checks a pressed button or a submitted form passes: Manage Channels for channel-managers, editors for /drafts. */
function buttonGate(
  command: Command,
  interaction: ButtonInteraction | ModalSubmitInteraction,
  editors: Editors,
): Reply | undefined {
  if (
    command.permission === 'channel-managers' &&
    !interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)
  ) {
    return errorReply(
      `Only members who may manage this channel can use /${command.name}; ask one of them, or a server admin.`,
    );
  }
  return editorsOnly(command, interaction, editors);
}

/**
 * The refusal for someone who is not an editor using a command for editors (/drafts, draft cards' buttons):
 * editors are the users listed, and whoever may send messages in the editors' channel when acting there
 * (Discord gives the member's permissions in the channel with each interaction, so it is decided per press).
 */
function editorsOnly(
  command: Command,
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  editors: Editors,
): Reply | undefined {
  if (command.permission !== 'editors') return undefined;
  if (editors?.users.includes(interaction.user.id)) return undefined;
  const posting = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  if (editors?.channel && interaction.channelId === editors.channel && interaction.memberPermissions?.has(posting)) {
    return undefined;
  }
  return errorReply(
    `Only editors may use /${command.name}: those who may post in the editors' channel, and those on the editors' list. Ask an editor.`,
  );
}

/**
 * A submitted form (a modal a form button opened): its line runs with the fields filled in. A refusal answers
 * privately and changes nothing; an answer takes the place of the message the button was on (a draft's card).
 * An action not done within `deferAfterMs` (a slow store) is deferred first, as a pressed button's is:
 * Discord drops a submission not answered within 3 s.
 */
async function answerForm(
  interaction: ModalSubmitInteraction,
  deps: DiscordDeps,
  editors: Editors,
  deferAfterMs = DEFER_AFTER_MS,
): Promise<void> {
  const fields = Object.fromEntries(
    [...interaction.fields.fields.entries()].map(([name, field]) => [
      name,
      'value' in field && typeof field.value === 'string' ? field.value : '',
    ]),
  );
  const submitting = submitForm(interaction.customId, fields, askContext(deps, interaction), async (command) =>
    buttonGate(command, interaction, editors),
  );
  const inPlace = interaction.isFromMessage();
  const { reply } = await deferredIfLate(submitting, deferAfterMs, () =>
    inPlace ? deferInPlace(interaction) : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
  );
  const { embeds, components } = renderDiscord(reply);
  const body = { embeds, components: components ?? [], allowedMentions: { parse: [] } };
  // A refusal, or a form from no message, answers privately (deliver: never over the card it was deferred on).
  if (reply.tone === 'error' || !inPlace) await deliver(interaction, body, true);
  else if (interaction.deferred) await interaction.editReply(body);
  else await interaction.update(body);
}

/** Suggestions from the data for the focused option, within Discord's limits. */
async function answerAutocomplete(interaction: AutocompleteInteraction, deps: DiscordDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const spec = deps.commands
    .find((c) => c.name === interaction.commandName)
    ?.options.find((o) => o.name === focused.name);
  const choices: ApplicationCommandOptionChoiceData<string>[] = [];
  if (spec?.completion) {
    for (const choice of suggest(deps.catalog, deps.commands, spec.completion, String(focused.value))) {
      // A value Discord cannot carry back could not be chosen anyway; a long label is cut.
      if (choice.value.length < 1 || choice.value.length > MAX_CHOICE_LENGTH) continue;
      choices.push({ name: cutToLength(choice.label ?? choice.value, MAX_CHOICE_LENGTH), value: choice.value });
      if (choices.length === MAX_CHOICES) break;
    }
  }
  await interaction.respond(choices);
}

/**
 * Option values by name, as Discord typed them; `run` checks them with the same parser as text. A value of
 * another type (a stale registration, a forged request) is passed on as text, so the parser explains what
 * it expected; an option with no value at all (a subcommand Hotline never registered) is a UserError.
 */
export function optionValues(data: readonly CommandInteractionOption[]): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const option of data) {
    if (typeof option.value === 'string' || typeof option.value === 'number') values[option.name] = option.value;
    else if (typeof option.value === 'boolean') values[option.name] = String(option.value);
    else {
      throw new UserError(
        'unexpected-option',
        `Discord sent "${option.name}" without a value, which Hotline's commands never take; the commands may need registering again (npx hotline discord register).`,
        '/help',
      );
    }
  }
  return values;
}

/**
 * Replies with the rendered Reply, or edits the deferred reply if one was made; with `files` attached, the first
 * image shown in the last embed. If Discord refuses the files (too large, a malformed form), the answer is sent
 * again without them and the refusal logged.
 */
async function send(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  reply: Reply,
  ephemeral: boolean,
  files: readonly PostFile[] = [],
  log?: Log,
): Promise<void> {
  const { embeds, components } = renderDiscord(reply);
  const body = { embeds, components: components ?? [], allowedMentions: { parse: [] } };
  if (files.length === 0) return deliver(interaction, body, ephemeral);
  const attached = withAttachments({ embeds }, files);
  for (const line of attached.dropped) log?.('warn', `interaction ${interaction.id}: a file was left out: ${line}`);
  const payloads: AttachmentPayload[] = attached.files.map((f) => ({
    attachment: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
    name: f.name,
    description: f.description,
  }));
  try {
    await deliver(interaction, { ...body, embeds: attached.body.embeds, files: payloads }, ephemeral);
  } catch (error) {
    if (!attachmentsRefused(error)) throw error;
    log?.(
      'warn',
      `interaction ${interaction.id}: Discord refused the ${reply.file ? 'file' : 'chart'} (${(error as Error).message}); answered without it`,
    );
    if (!reply.file) return deliver(interaction, body, ephemeral);
    // The answer says a file comes with it: it must say that none did, and where else to get it.
    const told: Reply = {
      ...reply,
      blocks: [
        ...reply.blocks,
        {
          type: 'text',
          text: `Discord refused the file (${(error as Error).message}); the line above says how to export the same events from the command line.`,
        },
      ],
    };
    const rendered = renderDiscord(told);
    await deliver(interaction, { ...body, embeds: rendered.embeds, components: rendered.components ?? [] }, ephemeral);
  }
}

/** The one request that answers: a reply, the edit of a deferred reply, or a follow-up. */
async function deliver(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  body: {
    embeds: ReturnType<typeof renderDiscord>['embeds'];
    components: NonNullable<ReturnType<typeof renderDiscord>['components']>;
    allowedMentions: { parse: never[] };
    files?: AttachmentPayload[];
  },
  ephemeral: boolean,
): Promise<void> {
  const inPlace = !interaction.isChatInputCommand() && deferredInPlace.has(interaction);
  if (interaction.deferred && !interaction.replied && ephemeral && inPlace) {
    // Deferred as an update of a card or a page: a private answer goes apart, never over that message.
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied) {
    // The deferred "thinking…" message becomes the answer (its visibility was chosen when deferring).
    await interaction.editReply(body);
  } else if (interaction.replied) {
    await interaction.followUp({ ...body, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  } else {
    await interaction.reply({ ...body, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
}

/** Tells the asker privately that something broke; if even that fails, it is only logged. */
async function apologize(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  log: Log,
): Promise<void> {
  try {
    await send(interaction, errorReply(INTERNAL_ERROR), true);
  } catch (error) {
    const what = interaction.isButton()
      ? 'button'
      : interaction.isModalSubmit()
        ? 'form'
        : `/${interaction.commandName}`;
    log('error', `${what} ${interaction.id}: could not apologize: ${(error as Error).message}`);
  }
}
