// A fake Slack on 127.0.0.1 for the Bolt app's tests: the Web API's auth.test, and response_url.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackConfig } from '../../src/adapters/slack/index.js';
import { readBody } from './http.js';

/** A running fake Slack. */
export interface FakeSlack {
  /** http://127.0.0.1:<port>; the Web API is at `${url}/api/`, response URLs at `${url}/response/<n>`. */
  url: string;
  /** What was posted to response_url: one JSON body per answer, in order. */
  responses: Record<string, unknown>[];
  /** The next answer posted to response_url (the one at index `responses.length` when called). */
  nextResponse(): Promise<Record<string, unknown>>;
  close(): void;
}

/**
 * Starts a fake Slack: `/api/auth.test` answers for the bot, `/response/…` keeps the answer, anything
 * else is `unknown_method` unless `route` answers it first (it returns true when it did).
 */
export async function startFakeSlack(
  route: (url: string, body: string, res: ServerResponse) => boolean = () => false,
): Promise<FakeSlack> {
  const responses: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    res.setHeader('Content-Type', 'application/json');
    const url = req.url ?? '';
    if (route(url, body, res)) return;
    if (url === '/api/auth.test') {
      res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'hotline' }));
    } else if (url.startsWith('/response/')) {
      responses.push(JSON.parse(body));
      for (const wake of waiting.splice(0)) wake();
      res.end('{"ok":true}');
    } else {
      res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
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
    close: () => server.close(),
  };
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
