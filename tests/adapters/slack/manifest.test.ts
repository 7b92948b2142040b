// The Slack app manifest: every command present once, within Slack's limits, for Socket Mode and HTTP.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { BOT_SCOPES, MANIFEST_LIMITS, slackManifest, usageHint } from '../../../src/adapters/slack/manifest.js';
import { defineCommand } from '../../../src/core/command.js';
import { errorReply } from '../../../src/core/reply.js';

const URL = 'https://hotline.example.org/slack/events';

const command = (name: string) =>
  defineCommand({
    name,
    description: 'A test command',
    options: [],
    examples: [`/${name}`],
    visibility: 'private',
    permission: 'anyone',
    run: () => errorReply('unused'),
  });

describe('slackManifest', () => {
  it('declares only /hotline with --single-command', () => {
    const manifest = slackManifest(COMMANDS, { socketMode: true, singleCommand: true });
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/hotline']);
  });

  it('lists every command once, plus /hotline, within Slack limits', async () => {
    const manifest = slackManifest(COMMANDS, { socketMode: true });
    const names = manifest.features.slash_commands.map((c) => c.command);
    expect(names).toEqual([...COMMANDS.filter((c) => c.name !== 'search').map((c) => `/${c.name}`), '/hotline']);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeLessThanOrEqual(MANIFEST_LIMITS.slashCommands);
    for (const entry of manifest.features.slash_commands) {
      expect(entry.command).toMatch(/^\/[a-z0-9_-]+$/);
      expect(entry.command.length).toBeLessThanOrEqual(MANIFEST_LIMITS.commandName);
      expect(entry.description.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeLessThanOrEqual(MANIFEST_LIMITS.commandDescription);
      expect(entry.usage_hint?.length ?? 0).toBeLessThanOrEqual(MANIFEST_LIMITS.usageHint);
      expect(entry.should_escape).toBe(false);
    }
    const help = manifest.features.slash_commands.find((c) => c.command === '/help');
    expect(help).toEqual({
      command: '/help',
      description: COMMANDS.find((c) => c.name === 'help')?.description,
      usage_hint: '[command]',
      should_escape: false,
    });
    expect(manifest.features.slash_commands.at(-1)?.usage_hint).toBe(
      'command [options] — lastcontact digest timeline event channels search export subscribe unsubscribe digest-schedule drafts help',
    );
  });

  it('writes usage hints from the options: required bare, optional in brackets, value types named', async () => {
    const event = COMMANDS.find((c) => c.name === 'event');
    const timeline = COMMANDS.find((c) => c.name === 'timeline');
    expect(event && usageHint(event)).toBe('id');
    expect(timeline && usageHint(timeline)).toMatch(
      /^\[topic\] \[since:YYYY-MM-DD\] \[page:number\] \[order:value\] \[level:value\]/,
    );
  });

  it('Socket Mode: no URLs, socket_mode_enabled', async () => {
    const manifest = slackManifest(COMMANDS, { socketMode: true });
    expect(manifest.settings).toEqual({
      event_subscriptions: { bot_events: ['app_home_opened'] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    });
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
    expect(JSON.stringify(manifest)).not.toContain('http');
  });

  it('HTTP: every command posts to the request URL; Socket Mode off', async () => {
    const manifest = slackManifest(COMMANDS, { socketMode: false, requestUrl: URL });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    // Buttons and the Home tab's event come to the same URL as commands.
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: URL });
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: URL, bot_events: ['app_home_opened'] });
    expect(manifest.features.slash_commands.map((c) => c.url)).toEqual(
      Array(COMMANDS.length).fill(URL) as string[], // every command but the reserved /search, plus /hotline
    );
  });

  it("leaves out Slack's built-in names (reached as /hotline search) and refuses two modes at once", async () => {
    const names = slackManifest(COMMANDS, { socketMode: true }).features.slash_commands.map((c) => c.command);
    expect(names).not.toContain('/search');
    expect(() => slackManifest(COMMANDS, { socketMode: true, requestUrl: URL })).toThrow(
      'Cannot build the Slack manifest: give Socket Mode or a request URL, not both',
    );
  });

  it('names the app and its bot, and asks only for the scopes it uses', async () => {
    const manifest = slackManifest(COMMANDS, { socketMode: true, appName: 'Hotline (Staging)' });
    expect(manifest.display_information.name).toBe('Hotline (Staging)');
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(MANIFEST_LIMITS.appDescription);
    expect(manifest.features.bot_user.display_name).toBe('hotline-staging');
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'commands',
      'chat:write',
      'users:read',
      'files:write',
      'channels:read',
      'groups:read',
      'im:write',
    ]);
    expect(slackManifest(COMMANDS, { socketMode: true }).display_information.name).toBe('Hotline');
  });

  it.each([
    [{ socketMode: false }, 'a request URL is needed unless Socket Mode is on'],
    [{ socketMode: false, requestUrl: 'http://insecure.example/slack/events' }, 'must be an https URL'],
    [{ socketMode: false, requestUrl: 'not a url' }, 'must be an https URL'],
    [{ socketMode: true, appName: 'A'.repeat(36) }, 'app name must be 1–35 characters'],
  ])('refuses %j', (options, message) => {
    expect(() => slackManifest(COMMANDS, options)).toThrow(message);
  });

  it('refuses a command named like the entry point, a duplicate, or one too long for Slack', async () => {
    expect(() => slackManifest([...COMMANDS, command('hotline')], { socketMode: true })).toThrow(
      '/hotline is declared twice',
    );
    expect(() => slackManifest([command('a'), command('a')], { socketMode: true })).toThrow('/a is declared twice');
    expect(() => slackManifest([command('x'.repeat(32))], { socketMode: true })).toThrow('at most 32 in all');
  });

  it('refuses more than 50 slash commands', async () => {
    const many = Array.from({ length: 50 }, (_, i) => command(`c${i}`));
    expect(() => slackManifest(many, { socketMode: true })).toThrow('Slack allows 50 slash commands, not 51');
  });
});
