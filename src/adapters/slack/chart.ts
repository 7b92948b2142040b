// The chart of an answer typed as a slash command, shared in the channel after the answer: response_url
// carries only a message, so the PNG is uploaded with files.uploadV2 to the channel the command came from.
import type { Reply } from '../../core/reply.js';
import type { Log } from '../../logging.js';
import { type SlackWebClient, uploadFiles } from './poster.js';
import { escapeMrkdwn } from './render.js';

/**
 * Draws `reply.chart` (chart.js is loaded on the first chart only) and shares it in `channel`, with its text
 * alternative as the file's alt text and as the comment above it. Never throws: a chart that cannot be drawn,
 * or that Slack refuses (not_in_channel, missing_scope …), is logged and the answer already sent stands.
 */
export async function shareChart(client: SlackWebClient, channel: string, reply: Reply, log: Log): Promise<void> {
  if (!reply.chart) return;
  let drawn: Awaited<ReturnType<typeof import('../../charts/contactsChart.js').chartFile>>;
  try {
    drawn = await (await import('../../charts/contactsChart.js')).chartFile(reply);
  } catch (error) {
    drawn = { error: (error as Error).message };
  }
  if (!drawn.file) {
    log('warn', `${channel}: the chart could not be drawn (${drawn.error ?? 'unknown'}); answered without it`);
    return;
  }
  const refused = await uploadFiles(client, [drawn.file], {
    channel,
    title: reply.title,
    initialComment: escapeMrkdwn(drawn.file.alt),
  });
  for (const line of refused) log('warn', `${channel}: answered without the chart: ${line}`);
}
