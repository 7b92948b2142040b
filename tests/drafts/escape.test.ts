// Text from feeds reaches the editors' channel escaped (issue 15): a draft whose item carries mentions and
// markup renders as a card with no live mention and within each platform's limits.
import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/adapters/discord/render.js';
import { renderSlack } from '../../src/adapters/slack/render.js';
import type { StoredDraft } from '../../src/drafts/book.js';
import { draftCard } from '../../src/drafts/desk.js';
import { discordProblems, discordText, slackProblems } from '../fakes/limits.js';
import { bundled } from '../helpers.js';
import { HEGSETH_DONG_CALL, proposalOf } from './fixtures.js';

const catalog = bundled();
const HOSTILE =
  ' @everyone @here <!channel> <!here> <@U123> <@&1234567890123> **bold** `code` <https://evil.test|click>';

function hostileDraft(): StoredDraft {
  const item = { ...HEGSETH_DONG_CALL, title: `${HEGSETH_DONG_CALL.title}${HOSTILE}` };
  const { draft, reasons, item: seen } = proposalOf({ ...item, publisher: `War Dept${HOSTILE}` }, catalog);
  return {
    id: 7,
    status: 'pending',
    draft,
    reasons: [...reasons, `feed said${HOSTILE}`],
    items: [{ ...seen, feed: `feed${HOSTILE}` }],
    createdAt: '2026-06-02T12:00:00.000Z',
    updatedAt: '2026-06-02T12:00:00.000Z',
  };
}

describe('a draft card from a hostile feed item', () => {
  const card = draftCard(hostileDraft(), catalog, '2026-06-02');

  it('GIVEN mentions in the title, publisher, feed name and reasons THEN Slack shows none live', () => {
    const message = renderSlack(card);
    expect(slackProblems(message)).toEqual([]);
    const all = JSON.stringify(message);
    expect(all).not.toMatch(/<!(channel|here|everyone)>|<@U123>|<@&/);
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('GIVEN the same THEN Discord shows none live, and allows no mentions', () => {
    const message = renderDiscord(card);
    expect(discordProblems(message)).toEqual([]);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(discordText(message)).not.toMatch(/@(everyone|here)|(?<!\\)<[@#]/);
  });
});
