// Secrets never reach a message (issue 11): a store's password is redacted wherever it fails.
import { describe, expect, it } from 'vitest';
import { openState, redact, withoutSecret } from '../../src/state/index.js';

describe('passwords in STATE_URL', () => {
  it('are redacted with or without a user name', () => {
    expect(redact('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
    expect(redact('postgres://bob:s3cret@db/test')).toBe('postgres://bob:***@db/test');
    expect(redact('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    // Generated passwords hold "/", ":" and "@": all of it goes.
    expect(redact('redis://:Zm9vYmFy/YmF6+cXV4ZW4=@127.0.0.1:6392')).toBe('redis://:***@127.0.0.1:6392');
    expect(redact('redis://:p@ss@127.0.0.1:1/0')).toBe('redis://:***@127.0.0.1:1/0');
    expect(redact('postgres://u:a/b:c@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(withoutSecret('username-password pair', 'redis://:p@h')).toBe('username-password pair');
    expect(withoutSecret('auth failed for s@cret and s%40cret', 'redis://u:s%40cret@h')).toBe(
      'auth failed for *** and ***',
    );
  });

  it.each([
    'redis://:s3cret@127.0.0.1:1/0',
    'postgres://bob:s3cret@127.0.0.1:1/test',
    'redis://:s3cret/with+slash=@127.0.0.1:1/0',
  ])('never appear when %s cannot be opened', async (url) => {
    const error = await openState(url).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^STATE_URL (redis|postgres):\/\/(bob)?:\*\*\*@127\.0\.0\.1:1\/\w+: cannot open the store: /,
    );
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('s3cret');
    expect(error?.message).not.toContain('with+slash');
    expect(error?.cause).toBeUndefined();
  });
});

describe('secrets in log lines', () => {
  it('are redacted: tokens, the signing secret and store passwords, whatever characters they hold', async () => {
    const { redactSecrets, secretsOf } = await import('../../src/logging.js');
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-111-222-abc',
      SLACK_SIGNING_SECRET: 'signing-secret-1',
      STATE_URL: 'redis://:Zm9v/YmF6=@127.0.0.1:6379',
    };
    expect(
      redactSecrets(
        'token xoxb-111-222-abc secret signing-secret-1 url redis://:Zm9v/YmF6=@127.0.0.1:6379 other xapp-1-X',
        secretsOf(env),
      ),
    ).toBe('token [redacted] secret [redacted] url redis://:[redacted]@127.0.0.1:6379 other [redacted]');
  });
});
