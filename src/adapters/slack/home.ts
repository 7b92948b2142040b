// The App Home tab: the status board and the latest contacts, answered by the same commands as any question.
import { ask } from '../../core/dispatch.js';
import type { SlackDeps } from './index.js';
import { renderSlack, type SlackBlock } from './render.js';

/** A Home tab view as views.publish takes it. */
export interface HomeView {
  type: 'home';
  blocks: SlackBlock[];
}

/** Slack's limit on the blocks of one view. */
const VIEW_BLOCKS = 100;

/** What the Home tab shows, as questions anyone could ask: the board of channels, then the newest contacts. */
export const HOME_QUESTIONS = ['/channels', '/timeline'] as const;

/**
 * The Home tab as of today: each question's answer as it would be posted, without its buttons (a Home tab
 * press has nowhere to answer), and a last line on how to ask more.
 */
export async function homeView(deps: Pick<SlackDeps, 'catalog' | 'commands' | 'today'>): Promise<HomeView> {
  const ctx = { catalog: deps.catalog, commands: deps.commands, now: deps.today() };
  const blocks: SlackBlock[] = [];
  for (const question of HOME_QUESTIONS) {
    const { reply } = await ask(question, ctx);
    blocks.push(...renderSlack(reply).blocks.filter((b) => b.type !== 'actions'));
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Ask in any channel: /hotline lastcontact level:minister, /hotline search 董军, /hotline help.',
        verbatim: true,
      },
    ],
  });
  return { type: 'home', blocks: blocks.slice(0, VIEW_BLOCKS) };
}
