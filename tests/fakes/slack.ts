// A fake Slack on 127.0.0.1 for the Bolt app's and the poster's tests: the Web API's auth.test, chat.postMessage,
// conversations.open (a direct message with a user: D + the user id) and file uploads (files.getUploadURLExternal, the upload URL, files.completeUploadExternal), and response_url.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackConfig } from '../../src/adapters/slack/index.js';
import { Recorder, readBytes, readMultipart } from './http.js';

/** A message posted with chat.postMessage, as the fake received it (blocks parsed). */
export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown;
  [field: string]: unknown;
}

/** A file uploaded and shared, as the three steps of files.uploadV2 delivered it. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The bytes sent to the upload URL. */
  data: Buffer;
  /** The length given to files.getUploadURLExternal (Slack checks it against the bytes). */
  length: number;
  alt_text?: string;
  title?: string;
  channel_id?: string;
  thread_ts?: string;
  initial_comment?: string;
}

/** A running fake Slack. */
export interface FakeSlack {
  /** http://127.0.0.1:<port>; the Web API is at `${url}/api/`, response URLs at `${url}/response/<n>`. */
  url: string;
  /** What was posted to response_url: one JSON body per answer, in order. */
  responses: Record<string, unknown>[];
  /** The next answer posted to response_url (the one at index `responses.length` when called). */
  nextResponse(): Promise<Record<string, unknown>>;
  /** Messages posted with chat.postMessage, in order. */
  posted: Recorder<PostedMessage>;
  /** Files whose upload was completed (files.completeUploadExternal), in order. */
  uploads: Recorder<UploadedFile>;
  /** Uploads refused, by the Slack error the fake answered: "files.getUploadURLExternal: not_in_channel". */
  refusedUploads: Recorder<string>;
  /**
   * When set, uploads are refused with this Slack error (`ok: false`): at files.getUploadURLExternal, or at
   * files.completeUploadExternal when `refuseAt` says so (Slack checks channel membership when sharing).
   */
  uploadError: string | undefined;
  refuseAt: 'getUploadURLExternal' | 'completeUploadExternal';
  /** The users a direct message was opened with (conversations.open), in order. */
  opened: Recorder<string>;
  /** When set, conversations.open is refused with this Slack error (e.g. missing_scope without im:write). */
  openError: string | undefined;
  /** Modals opened with views.open (the view parsed), in order. */
  views: Recorder<{ trigger_id: string; view: Record<string, unknown> }>;
  /** Messages changed with chat.update, in order. */
  updated: Recorder<PostedMessage>;
  /** Messages sent with chat.postEphemeral, in order. */
  ephemerals: Recorder<PostedMessage>;
  /** Members of each channel, as conversations.members answers (two to a page, to exercise the cursor). */
  members: Record<string, string[]>;
  /** How many conversations.members calls (pages) were answered. */
  memberPages: number;
  close(): void;
}

/**
 * Starts a fake Slack: `/api/auth.test` answers for the bot, `/api/chat.postMessage` posts (ts counting up),
 * the upload methods take files, `/response/…` keeps the answer; anything else is `unknown_method` unless
 * `route` answers it first (it returns true when it did).
 */
export async function startFakeSlack(
  route: (url: string, body: string, res: ServerResponse) => boolean = () => false,
): Promise<FakeSlack> {
  const responses: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  const pending = new Map<string, Omit<UploadedFile, 'data'> & { data?: Buffer }>();
  let messages = 0;
  let files = 0;
  const json = (res: ServerResponse, body: unknown) => res.end(JSON.stringify(body));

  const fake: FakeSlack = {
    url: '',
    responses,
    nextResponse() {
      const index = responses.length;
      return new Promise((resolve) => {
        const check = () => {
          const found = responses[index];
          if (found) resolve(found);
          else waiting.push(check);
        };
        check();
      });
    },
    posted: new Recorder(),
    uploads: new Recorder(),
    refusedUploads: new Recorder(),
    uploadError: undefined,
    refuseAt: 'getUploadURLExternal',
    opened: new Recorder(),
    openError: undefined,
    views: new Recorder(),
    updated: new Recorder(),
    ephemerals: new Recorder(),
    members: {},
    memberPages: 0,
    close: () => server.close(),
  };

  /** Refuses the upload step `method` if the test asked for it; true when it did. */
  const refused = (method: FakeSlack['refuseAt'], res: ServerResponse) => {
    if (!fake.uploadError || fake.refuseAt !== method) return false;
    fake.refusedUploads.add(`files.${method}: ${fake.uploadError}`);
    json(res, { ok: false, error: fake.uploadError });
    return true;
  };

  const server = createServer(async (req, res) => {
    const bytes = await readBytes(req);
    const body = bytes.toString('utf8');
    res.setHeader('Content-Type', 'application/json');
    const url = req.url ?? '';
    if (route(url, body, res)) return;
    if (url === '/api/auth.test') {
      json(res, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'hotline' });
    } else if (url.startsWith('/response/')) {
      responses.push(JSON.parse(body));
      for (const wake of waiting.splice(0)) wake();
      res.end('{"ok":true}');
    } else if (url === '/api/chat.postMessage') {
      messages += 1;
      const ts = `1700000000.${String(messages).padStart(6, '0')}`;
      const form = formFields(req, body);
      fake.posted.add({ ...form, channel: String(form.channel), ts } as PostedMessage);
      json(res, { ok: true, channel: form.channel, ts, message: { text: form.text, ts } });
    } else if (url === '/api/conversations.open') {
      const users = String(formFields(req, body).users ?? '');
      if (fake.openError) {
        json(res, {
          ok: false,
          error: fake.openError,
          ...(fake.openError === 'missing_scope' ? { needed: 'im:write' } : {}),
        });
        return;
      }
      fake.opened.add(users);
      json(res, { ok: true, channel: { id: `D${users}` } });
    } else if (url === '/api/views.open') {
      const form = formFields(req, body);
      const view = (typeof form.view === 'string' ? JSON.parse(form.view) : form.view) as Record<string, unknown>;
      fake.views.add({ trigger_id: String(form.trigger_id), view });
      json(res, { ok: true, view: { id: 'V1', ...view } });
    } else if (url === '/api/chat.update' || url === '/api/chat.postEphemeral') {
      const form = formFields(req, body);
      const message = { ...form, channel: String(form.channel), ts: String(form.ts ?? '') } as PostedMessage;
      (url === '/api/chat.update' ? fake.updated : fake.ephemerals).add(message);
      json(res, { ok: true, channel: form.channel, ts: form.ts ?? '1700000001.000001' });
    } else if (url === '/api/conversations.members') {
      fake.memberPages += 1;
      const form = formFields(req, body);
      const all = fake.members[String(form.channel)];
      if (!all) {
        json(res, { ok: false, error: 'channel_not_found' });
        return;
      }
      const from = Number(form.cursor ?? 0);
      const next = from + 2 < all.length ? String(from + 2) : '';
      json(res, { ok: true, members: all.slice(from, from + 2), response_metadata: { next_cursor: next } });
    } else if (url === '/api/files.getUploadURLExternal') {
      if (refused('getUploadURLExternal', res)) return;
      const form = formFields(req, body);
      files += 1;
      const id = `F${String(files).padStart(8, '0')}`;
      pending.set(id, {
        id,
        filename: String(form.filename),
        length: Number(form.length),
        ...(typeof form.alt_text === 'string' ? { alt_text: form.alt_text } : {}),
      });
      // On the fake itself, as Slack's is on files.slack.com: the client posts the bytes there.
      json(res, { ok: true, upload_url: `${fake.url}/upload/${id}`, file_id: id });
    } else if (url.startsWith('/upload/')) {
      const upload = pending.get(url.slice('/upload/'.length));
      if (!upload) {
        res.statusCode = 404;
        res.end('no such upload');
        return;
      }
      upload.data = await uploadedBytes(req, bytes);
      res.setHeader('Content-Type', 'text/plain');
      res.end(`OK - ${upload.data.length}`);
    } else if (url === '/api/files.completeUploadExternal') {
      if (refused('completeUploadExternal', res)) return;
      const form = formFields(req, body);
      const listed = JSON.parse(String(form.files)) as { id: string; title?: string }[];
      const done: UploadedFile[] = [];
      for (const { id, title } of listed) {
        const upload = pending.get(id);
        if (!upload?.data) {
          json(res, { ok: false, error: 'file_not_found' });
          return;
        }
        pending.delete(id);
        done.push({
          ...upload,
          data: upload.data,
          ...(title ? { title } : {}),
          ...(typeof form.channel_id === 'string' ? { channel_id: form.channel_id } : {}),
          ...(typeof form.thread_ts === 'string' ? { thread_ts: form.thread_ts } : {}),
          ...(typeof form.initial_comment === 'string' ? { initial_comment: form.initial_comment } : {}),
        });
      }
      for (const file of done) fake.uploads.add(file);
      json(res, { ok: true, files: done.map((f) => ({ id: f.id, title: f.title ?? f.filename })) });
    } else {
      json(res, { ok: false, error: 'unknown_method' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A Web API call's arguments: form-urlencoded (the client's default) or JSON; `blocks` parsed from its JSON. */
function formFields(req: IncomingMessage, body: string): Record<string, unknown> {
  const fields: Record<string, unknown> = req.headers['content-type']?.includes('application/json')
    ? (JSON.parse(body) as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(body));
  if (typeof fields.blocks === 'string') fields.blocks = JSON.parse(fields.blocks);
  return fields;
}

/** The file's bytes from an upload-URL request: Slack takes them raw or as the one file of a multipart form. */
async function uploadedBytes(req: IncomingMessage, bytes: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'];
  if (!type?.startsWith('multipart/form-data')) return bytes;
  for (const value of (await readMultipart(bytes, type)).values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

/** The Slack app's configuration for a test: HTTP mode on a free port of 127.0.0.1, against `fake`. */
export function testSlackConfig(fake: FakeSlack, signingSecret: string, extra: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: 'xoxb-test',
    signingSecret,
    apiUrl: `${fake.url}/api/`,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
    ...extra,
  };
}
