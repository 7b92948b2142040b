// The file of an answer (/export) sent to the asker alone: a direct message from the bot (conversations.open), into
// which the file is uploaded with files.uploadV2. response_url carries only messages, and an upload to the
// channel asked in would be seen by everyone there.
import type { ReplyFile } from '../../core/reply.js';
import { type SlackWebClient, slackPostFailure, uploadFiles } from './poster.js';
import { escapeMrkdwn } from './render.js';

/**
 * Opens (or finds) the direct message between the bot and `user` and uploads `file` there, titled `title`. Returns
 * undefined once sent, or why it was not ("conversations.open: forbidden: missing_scope (needed: im:write)"),
 * for the asker to be told; never throws.
 */
export async function sendFileTo(
  client: SlackWebClient,
  user: string,
  file: ReplyFile,
  title: string,
): Promise<string | undefined> {
  let channel: string | undefined;
  try {
    const opened = await client.conversations.open({ users: user });
    channel = opened.channel?.id;
  } catch (error) {
    const failure = slackPostFailure(error);
    const hint = failure.detail.includes('missing_scope') ? ' (add the im:write scope and reinstall the app)' : '';
    return `conversations.open: ${failure.kind}: ${failure.detail}${hint}`;
  }
  if (!channel) return 'conversations.open: Slack named no conversation';
  const [refused] = await uploadFiles(
    client,
    [{ name: file.name, data: Buffer.from(file.text, 'utf8'), alt: file.alt }],
    {
      channel,
      title,
      initialComment: escapeMrkdwn(file.alt),
    },
  );
  return refused;
}
