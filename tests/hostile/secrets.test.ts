// Secrets never reach a message (issue 11): a store's password is redacted wherever it fails.
import { describe, expect, it } from 'vitest';
import { openState, redact, withoutSecret } from '../../src/state/index.js';

describe('passwords in STATE_URL', () => {
  it('are redacted with or without a user name', () => {
    expect(redact('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
    expect(redact('postgres://bob:s3cret@db/test')).toBe('postgres://bob:***@db/test');
    expect(redact('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(withoutSecret('auth failed for s@cret and s%40cret', 'redis://u:s%40cret@h')).toBe(
      'auth failed for *** and ***',
    );
  });

  it.each(['redis://:s3cret@127.0.0.1:1/0', 'postgres://bob:s3cret@127.0.0.1:1/test'])(
    'never appear when %s cannot be opened',
    async (url) => {
      const error = await openState(url).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(
        /^STATE_URL (redis|postgres):\/\/(bob)?:\*\*\*@127\.0\.0\.1:1\/\w+: cannot open the store: /,
      );
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('s3cret');
      expect(error?.cause).toBeUndefined();
    },
  );
});
