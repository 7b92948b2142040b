// Small pieces shared by the local fakes of Slack and Discord: reading a body, signing as Slack does.
import { createHmac } from 'node:crypto';
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
