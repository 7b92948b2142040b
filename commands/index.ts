// The one catalog of slash commands. Adapters, the console and help are built from this list.
import type { Command } from '../src/core/command.js';
import channels from './channels.js';
import digest from './digest.js';
import digestSchedule from './digestSchedule.js';
import drafts from './drafts.js';
import event from './event.js';
import exportCommand from './export.js';
import help from './help.js';
import lastcontact from './lastcontact.js';
import search from './search.js';
import subscribe from './subscribe.js';
import timeline from './timeline.js';
import unsubscribe from './unsubscribe.js';

/** Every command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  lastcontact,
  digest,
  timeline,
  event,
  channels,
  search,
  exportCommand,
  subscribe,
  unsubscribe,
  digestSchedule,
  drafts,
  help,
];
