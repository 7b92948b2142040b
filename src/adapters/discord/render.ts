// Renders a Reply as a Discord message: embeds within Discord's limits, outside text escaped, no mentions.

import { encodeAction } from '../../core/actions.js';
import { formatDate } from '../../core/dates.js';
import { morePointer } from '../../core/present.js';
import {
  type Action,
  type Block,
  type Field,
  type Form,
  type Reply,
  type SourceRef,
  visibleReply,
} from '../../core/reply.js';
import { escapeLinkText, escapeMarkdown, plainText, safeUrl, splitText, truncate, ZWSP } from './escape.js';

/** Discord's limits on a message and its embeds, in characters unless named otherwise. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values and footer of every embed together. */
  total: 6000,
} as const;

/** Embed colors: a calm blue for answers, a red for questions that could not be answered. */
export const COLORS = { answer: 0x2b6cb0, error: 0xc53030 } as const;

/** The message flag that shows a reply only to the person who asked. */
export const EPHEMERAL = 64;

/** One field of an embed. */
export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** The parts of a Discord embed that Hotline uses. */
export interface Embed {
  title?: string;
  description?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
}

/** A button (component type 2, secondary style): its custom_id is the encoded action (core/actions.ts). */
export interface DiscordButton {
  type: 2;
  style: 2;
  label: string;
  custom_id: string;
}

/** A row of at most five buttons (component type 1). */
export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

/** Discord's limits on buttons: five in a row, labels of 80 characters, custom ids of 100. */
export const BUTTON_LIMITS = { perRow: 5, label: 80, customId: 100 } as const;

/** A message body for an interaction reply, a follow-up or a channel post. */
export interface DiscordMessage {
  content?: string;
  embeds: Embed[];
  /** One row of buttons, when the reply has actions that fit. */
  components?: DiscordActionRow[];
  /** Always empty: nothing Hotline sends may ping anyone. */
  allowed_mentions: { parse: [] };
  flags?: number;
}

/** The characters Discord counts against the 6,000 limit, across all embeds of a message. */
export function embedChars(embeds: readonly Embed[]): number {
  let total = 0;
  for (const e of embeds) {
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
    for (const f of e.fields ?? []) total += f.name.length + f.value.length;
  }
  return total;
}

// Room kept for the two "…and N more" lines (after the body and after the sources), each a field.
const POINTER_ROOM = 2 * (morePointer(999_999).length + 2);
// Room held for the sources (about five) while the body is written, so a long body cannot crowd them out.
const SOURCES_SHARE = 1200;
// A paragraph is cut short to fit only if at least this much of it can be shown.
const MIN_PARTIAL = 40;

/** The Reply as a Discord message within every limit; never fails, trims with a pointer instead. */
export function renderDiscord(asked: Reply, options: { ephemeral?: boolean } = {}): DiscordMessage {
  const reply = visibleReply(asked);
  const title = truncate(escapeMarkdown(`${reply.tone === 'error' ? '✗ ' : ''}${reply.title}`), LIMITS.title) || ZWSP;
  const footer = reply.footer ? truncate(plainText(reply.footer), LIMITS.footer) : undefined;
  const sourceLines = reply.sources.map((s, i) => sourceLine(s, i + 1));
  if (reply.moreSources && sourceLines.length > 0) sourceLines.push(truncate(escapeMarkdown(reply.moreSources), 200));
  const writer = new Writer(
    { title, color: COLORS[reply.tone] },
    LIMITS.total - title.length - (footer?.length ?? 0) - POINTER_ROOM,
  );

  const sourcesLength = sourceLines.reduce((n, line) => n + line.length + 1, 'Sources'.length);
  writer.hold = sourceLines.length > 0 ? Math.min(SOURCES_SHARE, sourcesLength) : 0;
  for (const block of reply.blocks) writer.block(block);
  writer.pointer();
  writer.hold = 0;
  if (sourceLines.length > 0) {
    writer.fieldPhase = true;
    writer.lines('Sources', sourceLines);
    writer.pointer();
  }

  const embeds = writer.embeds;
  const last = embeds.at(-1);
  if (footer && last) last.footer = { text: footer };
  const buttons = actionRow(reply.actions ?? []);
  return {
    embeds,
    ...(buttons ? { components: [buttons] } : {}),
    allowed_mentions: { parse: [] },
    ...(options.ephemeral ? { flags: EPHEMERAL } : {}),
  };
}

/**
 * The reply's buttons in one row, most useful first. A button whose line does not fit Discord's 100-character
 * custom id is left out (the answer names the command to type), as is any past the fifth.
 */
function actionRow(actions: readonly Action[]): DiscordActionRow | undefined {
  const seen = new Set<string>();
  const components: DiscordButton[] = [];
  for (const action of actions) {
    const id = encodeAction(action);
    const label = truncate(action.label.replace(/\s+/g, ' ').trim(), BUTTON_LIMITS.label);
    // custom_ids must differ within a message; the same line twice is one button.
    if (id.length > BUTTON_LIMITS.customId || label.length === 0 || seen.has(id)) continue;
    seen.add(id);
    components.push({ type: 2, style: 2, label, custom_id: id });
    if (components.length === BUTTON_LIMITS.perRow) break;
  }
  return components.length > 0 ? { type: 1, components } : undefined;
}

/** One numbered source: a safe masked link, its publisher, date and whose official readout it is. */
function sourceLine(source: SourceRef, n: number): string {
  const meta = [
    source.publisher,
    source.date ? readableDate(source.date) : undefined,
    source.readout ? `${source.readout} official readout` : undefined,
  ]
    .filter((part) => part !== undefined && part !== '')
    .map((part) => escapeLinkText(part as string))
    .join(', ');
  const head = `${n}\\. `;
  const tail = meta ? ` — ${meta}` : '';
  const url = safeUrl(source.url);
  const label = escapeLinkText(source.title) || 'source';
  if (url && head.length + url.length + tail.length + 20 <= LIMITS.fieldValue) {
    const room = LIMITS.fieldValue - head.length - url.length - tail.length - 4;
    return `${head}[${truncate(label, room)}](${url})${tail}`;
  }
  return truncate(`${head}${label} (${escapeLinkText(source.url)})${tail}`, LIMITS.fieldValue);
}

/** "16 April 2024"; a date that is not one is shown as it is, since rendering must not fail. */
function readableDate(date: string): string {
  try {
    return formatDate(date);
  } catch {
    return date;
  }
}

/** What an entry of a block counts as when it is left out: one per paragraph, field or list item. */
function entries(block: Block): number {
  switch (block.type) {
    case 'text':
      return 1;
    case 'fields':
      return block.fields.length;
    case 'columns':
      return block.columns.length;
    case 'list':
      return block.items.length;
  }
}

/** Fills embeds in order, counting every character against the budget, and notes what it leaves out. */
class Writer {
  readonly embeds: Embed[];
  /** Characters still free for the body and sources. */
  private budget: number;
  /** Characters the body must leave free (for the sources). */
  hold = 0;
  /** Once a field is written, later text goes into fields too, so the answer keeps its order. */
  fieldPhase = false;
  /** Entries left out since the last pointer. */
  private omitted = 0;
  /** Set once something did not fit: everything after it is counted, not written. */
  private full = false;

  constructor(first: Embed, budget: number) {
    this.embeds = [first];
    this.budget = budget;
  }

  private get current(): Embed {
    return this.embeds.at(-1) as Embed;
  }

  private free(): number {
    return this.budget - this.hold;
  }

  /** Field slots left in this message, keeping two for the pointers. */
  private slots(): number {
    return (
      (LIMITS.embeds - this.embeds.length) * LIMITS.fields + LIMITS.fields - (this.current.fields?.length ?? 0) - 2
    );
  }

  block(block: Block): void {
    if (this.full) {
      this.omitted += entries(block);
      return;
    }
    switch (block.type) {
      case 'text':
        this.text(block.text);
        return;
      case 'list': {
        const items = block.items.map((item) => truncate(`• ${escapeMarkdown(item)}`, LIMITS.fieldValue));
        if (items.length === 0) return;
        if (this.fieldPhase) this.lines(block.heading ? escapeMarkdown(block.heading) : ZWSP, items);
        else this.listInDescription(block.heading, items);
        return;
      }
      case 'fields':
        this.inline(block.fields);
        return;
      case 'columns':
        this.inline(block.columns);
        return;
    }
  }

  /** Ends what was written since the last pointer with "…and N more" when entries were left out. */
  pointer(): void {
    if (this.omitted > 0) {
      const line = morePointer(this.omitted);
      this.budget += POINTER_ROOM / 2;
      if (this.fieldPhase || !this.addDescription(line)) this.addField({ name: ZWSP, value: line }, true);
    }
    this.omitted = 0;
    this.full = false;
  }

  /** A paragraph: in the description until the first field, then in fields of its own. */
  private text(raw: string): void {
    const text = escapeMarkdown(raw.trim());
    if (text === '') return;
    const max = this.fieldPhase ? LIMITS.fieldValue : LIMITS.description;
    for (const piece of splitText(text, max)) {
      const written = this.fieldPhase ? this.addField({ name: ZWSP, value: piece }) : this.addDescription(piece);
      if (written) continue;
      // Show the start of the paragraph if a useful part of it fits; the rest is left out.
      const room = this.free() - (this.fieldPhase ? ZWSP.length : 2);
      const part = truncate(piece, Math.max(0, room));
      const shown =
        room >= MIN_PARTIAL &&
        (this.fieldPhase ? this.addField({ name: ZWSP, value: part }) : this.addDescription(part));
      if (!shown) this.omitted += 1;
      this.full = true;
      return;
    }
  }

  /** A list in the description: a bold heading, then one "• item" per line. */
  private listInDescription(heading: string | undefined, items: readonly string[]): void {
    // The heading goes with the first item, so it never stands alone.
    const first = heading ? `**${truncate(escapeMarkdown(heading), LIMITS.fieldName)}**\n` : '';
    for (const [i, item] of items.entries()) {
      if (!this.addDescription(i === 0 ? `${first}${item}` : item, i === 0 ? '\n\n' : '\n')) {
        this.omitted += items.length - i;
        this.full = true;
        return;
      }
    }
  }

  /** Lines under a field name (markdown), filling each field up to its limit and continuing in the next. */
  lines(name: string, lines: readonly string[]): void {
    let field: EmbedField | undefined;
    for (const [i, line] of lines.entries()) {
      if (field && field.value.length + 1 + line.length <= LIMITS.fieldValue && line.length + 1 <= this.free()) {
        field.value += `\n${line}`;
        this.budget -= line.length + 1;
        continue;
      }
      const next: EmbedField = {
        name: field ? ZWSP : truncate(name, LIMITS.fieldName) || ZWSP,
        value: line,
      };
      if (!this.addField(next)) {
        this.omitted += lines.length - i;
        this.full = true;
        return;
      }
      field = next;
    }
  }

  /** Fields shown side by side; a group never shares a row with the inline group before it. */
  private inline(fields: readonly Field[]): void {
    this.fieldPhase = true;
    for (const [i, f] of fields.entries()) {
      const field: EmbedField = {
        name: truncate(escapeMarkdown(f.label.trim()), LIMITS.fieldName) || ZWSP,
        value: truncate(escapeMarkdown(f.value.trim()), LIMITS.fieldValue) || ZWSP,
        inline: true,
      };
      // Two inline groups in a row would share rows; a blank full-width field keeps them apart.
      if (i === 0 && this.current.fields?.at(-1)?.inline) this.addField({ name: ZWSP, value: ZWSP });
      if (!this.addField(field)) {
        this.omitted += fields.length - i;
        this.full = true;
        return;
      }
    }
  }

  /** Appends a paragraph (or a line, with separator "\n") to the description, if it fits. */
  private addDescription(text: string, separator = '\n\n'): boolean {
    let embed = this.current;
    if (embed.fields?.length) return false;
    let cost = embed.description ? separator.length + text.length : text.length;
    if (cost > this.free()) return false;
    if ((embed.description?.length ?? 0) + cost > LIMITS.description) {
      if (this.embeds.length >= LIMITS.embeds || text.length > this.free()) return false;
      embed = this.newEmbed();
      cost = text.length;
    }
    embed.description = embed.description ? `${embed.description}${separator}${text}` : text;
    this.budget -= cost;
    return true;
  }

  /** Adds a field, in a new embed when this one is full, if it fits; `pointer` may use the last slots. */
  private addField(field: EmbedField, pointer = false): boolean {
    const cost = field.name.length + field.value.length;
    if (cost > (pointer ? this.budget : this.free())) return false;
    if (!pointer && this.slots() <= 0) return false;
    let embed = this.current;
    if ((embed.fields?.length ?? 0) >= LIMITS.fields) {
      if (this.embeds.length >= LIMITS.embeds) return false;
      embed = this.newEmbed();
    }
    embed.fields = [...(embed.fields ?? []), field];
    this.fieldPhase = true;
    this.budget -= cost;
    return true;
  }

  private newEmbed(): Embed {
    const embed: Embed = { color: this.embeds[0]?.color };
    this.embeds.push(embed);
    return embed;
  }
}

/**
 * A core Form as a Discord modal (the MODAL interaction callback): its custom_id is the button's value, so the
 * submission carries the line back; one text input per field (at most 5), custom_id the option's name.
 */
export function renderForm(form: Form, value: string) {
  return {
    custom_id: value,
    title: truncate(plainText(form.title), 45) || 'Hotline',
    components: form.fields.slice(0, 5).map((field) => ({
      type: 1,
      components: [
        {
          type: 4,
          custom_id: field.name,
          label: truncate(plainText(field.label), 45) || 'Value',
          style: field.multiline ? 2 : 1,
          max_length: Math.min(field.maxLength, 4000),
          required: !(field.optional ?? false),
          ...(field.value ? { value: field.value.slice(0, Math.min(field.maxLength, 4000)) } : {}),
        },
      ],
    })),
  };
}
