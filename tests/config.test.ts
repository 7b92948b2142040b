// Configuration from the environment: the console by default, Slack when set, and a named error when wrong.
import { describe, expect, it } from 'vitest';
import { startPlan } from '../src/config.js';

/** What every plan carries besides the adapters, with nothing set. */
const DEFAULTS = { logLevel: 'info', logFormat: 'text', stateTimeoutMs: 5000, maxPerChannel: 25 } as const;

const fails = (env: NodeJS.ProcessEnv) => {
  try {
    startPlan(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('startPlan', () => {
  it('opens the console when no chat variable is set (empty ones do not count)', async () => {
    expect(
      startPlan({
        PATH: '/bin',
        SLACK_BOT_TOKEN: '  ',
        SLACK_WEBHOOK_URL: 'https://hooks.example',
        DISCORD_APPLICATION_ID: '1',
      }),
    ).toEqual(DEFAULTS);
  });

  it('starts Slack over HTTP with a signing secret, or by Socket Mode with an app token', async () => {
    expect(
      startPlan({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        PORT: '8080',
        HOST: '127.0.0.1',
        SLACK_API_URL: 'https://slack-gov.com/api',
      }),
    ).toEqual({
      slack: {
        botToken: 'xoxb-1',
        signingSecret: 's',
        apiUrl: 'https://slack-gov.com/api/',
        port: 8080,
        host: '127.0.0.1',
        logLevel: 'info',
        adminsOnly: false,
      },
      ...DEFAULTS,
    });
    expect(startPlan({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', LOG_LEVEL: 'debug' })).toEqual({
      slack: {
        botToken: 'xoxb-1',
        appToken: 'xapp-1',
        port: 3000,
        host: '0.0.0.0',
        logLevel: 'debug',
        adminsOnly: false,
      },
      ...DEFAULTS,
      logLevel: 'debug',
    });
  });

  it('starts Discord with a token, alone or with Slack', async () => {
    expect(startPlan({ DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'http://127.0.0.1:9/api/' })).toEqual({
      discord: { token: 'abc', apiUrl: 'http://127.0.0.1:9/api', logLevel: 'info' },
      ...DEFAULTS,
    });
    expect(
      Object.keys(startPlan({ DISCORD_TOKEN: 'abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })),
    ).toEqual(['slack', 'discord', 'logLevel', 'logFormat', 'stateTimeoutMs', 'maxPerChannel']);
  });

  it('reads the operations settings, and names a bad one', async () => {
    expect(
      startPlan({
        LOG_FORMAT: 'JSON',
        STATE_TIMEOUT_MS: '2000',
        MAX_SUBSCRIPTIONS_PER_CHANNEL: '5',
        METRICS_PORT: '9464',
      }),
    ).toEqual({ ...DEFAULTS, logFormat: 'json', stateTimeoutMs: 2000, maxPerChannel: 5, metricsPort: 9464 });
    expect(fails({ LOG_FORMAT: 'xml' })).toBe('LOG_FORMAT must be one of text, json; got "xml".');
    expect(fails({ STATE_TIMEOUT_MS: '5s' })).toBe(
      'STATE_TIMEOUT_MS must be a whole number from 100 to 120000; got "5s".',
    );
    expect(fails({ MAX_SUBSCRIPTIONS_PER_CHANNEL: '0' })).toBe(
      'MAX_SUBSCRIPTIONS_PER_CHANNEL must be a whole number from 1 to 1000; got "0".',
    );
    expect(fails({ METRICS_PORT: '70000' })).toBe('METRICS_PORT must be a port number (0–65535); got "70000".');
  });

  it('reads STATE_URL and SLACK_ADMINS_ONLY, and names a bad SLACK_ADMINS_ONLY', async () => {
    const plan = startPlan({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_ADMINS_ONLY: 'yes',
      STATE_URL: ' redis://127.0.0.1:6379 ',
    });
    expect(plan.slack?.adminsOnly).toBe(true);
    expect(plan.stateUrl).toBe('redis://127.0.0.1:6379');
    expect(() =>
      startPlan({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMINS_ONLY: 'maybe' }),
    ).toThrow('SLACK_ADMINS_ONLY must be true or false; got "maybe".');
  });

  it.each([
    [
      { SLACK_SIGNING_SECRET: 's' },
      "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: give the bot token (xoxb-…) from the app's OAuth page.",
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' },
      'SLACK_BOT_TOKEN must be a bot token, starting with xoxb-.',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' },
      'SLACK_APP_TOKEN must be an app-level token, starting with xapp- (Socket Mode).',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'eighty' },
      'PORT must be a port number (0–65535); got "eighty".',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'slack.com' },
      'SLACK_API_URL must be an http(s) URL ending in /api/, e.g. https://slack-gov.com/api/; got "slack.com".',
    ],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'loud' },
      'LOG_LEVEL must be one of debug, info, warn, error; got "loud".',
    ],
    [{ DISCORD_TOKEN: 'Bot abc' }, 'DISCORD_TOKEN must be the bot token alone, without "Bot " or spaces.'],
    [
      { DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'discord.com/api' },
      'DISCORD_API_URL must be an http(s) URL such as https://discord.com/api; got "discord.com/api".',
    ],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(fails(env)).toBe(message);
  });
});

describe('SLACK_POSTS_PER_SECOND', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
  it('is the workspace rate notices are paced to; unset, none is given; anything but a whole number is named', () => {
    expect(startPlan({ ...slack, SLACK_POSTS_PER_SECOND: '50' }).slack?.postsPerSecond).toBe(50);
    expect(startPlan(slack).slack?.postsPerSecond).toBeUndefined();
    expect(fails({ ...slack, SLACK_POSTS_PER_SECOND: 'fast' })).toBe(
      'SLACK_POSTS_PER_SECOND must be a whole number from 1 to 1000; got "fast".',
    );
    expect(fails({ ...slack, SLACK_POSTS_PER_SECOND: '0' })).toBe(
      'SLACK_POSTS_PER_SECOND must be a whole number from 1 to 1000; got "0".',
    );
  });
});

describe('FEEDS_WATCH', () => {
  it('is auto unless set; on, off and auto are read in any case; anything else is named', async () => {
    const { watchesFeeds } = await import('../src/config.js');
    expect(startPlan({}).feedsWatch).toBeUndefined();
    expect(startPlan({ FEEDS_WATCH: ' ON ' }).feedsWatch).toBe('on');
    expect(startPlan({ FEEDS_WATCH: 'off' }).feedsWatch).toBe('off');
    expect(fails({ FEEDS_WATCH: 'yes' })).toBe('FEEDS_WATCH must be one of auto, on, off; got "yes".');
    // [setting, chat bot, feeds.yaml] → watches
    const table: [Parameters<typeof watchesFeeds>[0], boolean, boolean, boolean][] = [
      [undefined, true, true, true],
      [undefined, false, true, false],
      ['auto', true, false, false],
      ['on', false, true, true],
      ['on', true, false, false],
      ['off', true, true, false],
    ];
    for (const [setting, bot, feeds, watches] of table) expect(watchesFeeds(setting, bot, feeds)).toBe(watches);
  });
});

describe('editors (issue 15)', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
  it('reads the editors’ channel and allow-list of each platform', () => {
    expect(
      startPlan({ ...slack, SLACK_EDITORS_CHANNEL: 'C0123ABCD', SLACK_EDITORS: 'U01, W02' }).slack?.editors,
    ).toEqual({ channel: 'C0123ABCD', users: ['U01', 'W02'] });
    expect(startPlan({ DISCORD_TOKEN: 't', DISCORD_EDITORS: '1000000000000000005' }).discord?.editors).toEqual({
      users: ['1000000000000000005'],
    });
    expect(startPlan(slack).slack?.editors).toBeUndefined();
  });

  it('names a channel or a user id that is not one, and what one looks like', () => {
    expect(fails({ ...slack, SLACK_EDITORS_CHANNEL: '#editors' })).toBe(
      'SLACK_EDITORS_CHANNEL must be a channel id such as C0123ABCD; got "#editors".',
    );
    expect(fails({ ...slack, SLACK_EDITORS: 'U01,@alice' })).toBe(
      'SLACK_EDITORS must be user ids separated by commas, such as U0123ABCD; "@alice" is not one.',
    );
    expect(fails({ DISCORD_TOKEN: 't', DISCORD_EDITORS_CHANNEL: 'editors' })).toBe(
      'DISCORD_EDITORS_CHANNEL must be a channel id such as 1000000000000000004; got "editors".',
    );
  });
});
