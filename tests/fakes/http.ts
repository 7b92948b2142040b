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

/** The whole body of a request, as bytes (an upload is binary: text would corrupt it). */
export async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The parts of a multipart/form-data body, parsed by the runtime's own parser (undici's, through Response),
 * so a fake accepts exactly what a real server would: text fields as strings, files as File.
 */
export async function readMultipart(
  body: Buffer,
  contentType: string | undefined,
): Promise<Map<string, string | File>> {
  const form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
  return new Map(form.entries());
}

/** Things a fake received, in order, and a way to wait for the next one without sleeping. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiting: (() => void)[] = [];

  add(item: T): void {
    this.items.push(item);
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** The item at `index` (default: the next one to arrive), once it has arrived. */
  at(index = this.items.length): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.items[index];
        if (found !== undefined) resolve(found);
        else this.waiting.push(check);
      };
      check();
    });
  }
}
