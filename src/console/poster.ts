// The console's Poster: notices for the console's channel are handed to whoever shows them (the console).
import type { Poster, PostFile, PostOptions, PostResult } from '../core/poster.js';
import type { Reply } from '../core/reply.js';

/** The one channel of the console (and of `hotline ask`): subscriptions made there post here. */
export const CONSOLE_CHANNEL = 'console';

/** Posts by calling the listener the console attached; a post with no console attached fails as transient and is retried. */
export class ConsolePoster implements Poster {
  private listener: ((reply: Reply, files: readonly PostFile[]) => void) | undefined;
  private count = 0;

  /** The console attaches here to print what is posted. */
  attach(listener: (reply: Reply, files: readonly PostFile[]) => void): void {
    this.listener = listener;
  }

  async post(_channel: string, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
    if (!this.listener) return { ok: false, failure: { kind: 'transient', detail: 'no console is open' } };
    this.listener(reply, options.files ?? []);
    this.count += 1;
    return { ok: true, messageId: `console-${this.count}` };
  }

  direct(user: string, reply: Reply): Promise<PostResult> {
    return this.post(user, reply);
  }
}
