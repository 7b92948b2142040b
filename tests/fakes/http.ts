// Small pieces shared by the local fakes of Slack and Discord: reading a body, signing as Slack does.
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The whole body of a request, as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

/** Signs a request as Slack does: v0= + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + body). */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a slash-command form body to a Slack endpoint as Slack does (signature headers when given). */
export function postSlashCommand(
  url: string,
  body: string,
  signed?: { signature: string; timestamp: number | string },
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(signed
        ? { 'X-Slack-Signature': signed.signature, 'X-Slack-Request-Timestamp': String(signed.timestamp) }
        : {}),
    },
    body,
  });
}

/**
 * A slash command as Slack sends it: the form body (with a fresh trigger_id, so no two are alike) and the
 * signed headers, timestamped now.
 */
export function signedCommand(
  secret: string,
  responseUrl: string,
  text: string,
  command = '/lastcontact',
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    command,
    text,
    user_id: 'U1',
    channel_id: 'C1',
    team_id: 'T1',
    response_url: responseUrl,
    trigger_id: randomBytes(8).toString('hex'),
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Signature': slackSignature(secret, ts, body),
      'X-Slack-Request-Timestamp': String(ts),
    },
  };
}

/** The same command as raw HTTP/1.1 text, for a client that writes to a socket itself. */
export function rawRequest({ body, headers }: { body: string; headers: Record<string, string> }): string {
  const head = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n\r\n${body}`;
}
