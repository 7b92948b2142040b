// Completions for option values that come from the data (people, mechanisms, topics, events, commands).
import type { Catalog } from './catalog.js';
import type { Choice, Command, CompletionSource } from './command.js';
import { normalize } from './text.js';

/** At most this many suggestions (Discord's limit for autocomplete and choices). */
export const MAX_SUGGESTIONS = 25;

/** Values for `source` that start with (or contain a word starting with) what was typed. */
export function suggest(
  catalog: Catalog,
  commands: readonly Command[],
  source: CompletionSource,
  typed: string,
): Choice[] {
  const q = normalize(typed);
  const fits = (...names: string[]) =>
    q === '' || names.some((n) => normalize(n).startsWith(q) || normalize(n).includes(` ${q}`));
  const out: Choice[] = [];
  const add = (choice: Choice, ...names: string[]) => {
    if (out.length < MAX_SUGGESTIONS && fits(choice.value, ...names)) out.push(choice);
  };
  switch (source) {
    case 'person':
      for (const p of catalog.people.values())
        add(
          { value: p.name, label: p.chineseName ? `${p.name} ${p.chineseName}` : p.name },
          ...p.aliases,
          ...(p.chineseName ? [p.chineseName] : []),
        );
      break;
    case 'mechanism':
      for (const m of catalog.mechanisms.values())
        add({ value: m.id, label: m.name }, m.name, ...(m.shortName ? [m.shortName] : []), ...m.aliases);
      break;
    case 'topic':
      for (const t of catalog.topics.values()) add({ value: t.id, label: t.label }, t.label, ...t.aliases);
      break;
    case 'event':
      for (let i = catalog.count - 1; i >= 0 && out.length < MAX_SUGGESTIONS; i--) add({ value: catalog.id(i) });
      break;
    case 'command':
      for (const c of commands) add({ value: c.name, label: c.description });
      break;
  }
  return out;
}
