// Discord REST calls Hotline makes outside the gateway client: registering application commands.
import type { ApplicationCommand } from './register.js';

/** Where and as whom to register: the API base (DISCORD_API_URL), bot token and application id. */
export interface DiscordTarget {
  apiUrl: string;
  token: string;
  applicationId: string;
  /** Register in one server (instant) instead of globally. */
  guildId?: string;
}

/** Discord's API, unless DISCORD_API_URL points elsewhere (a REST proxy, or a test fake). */
export const DEFAULT_API_URL = 'https://discord.com/api';

/**
 * Replaces the application's commands with `payload` (a bulk overwrite, so running it twice is
 * harmless). Resolves with the number Discord registered; rejects with Discord's status and message.
 */
export async function putCommands(target: DiscordTarget, payload: readonly ApplicationCommand[]): Promise<number> {
  const base = target.apiUrl.replace(/\/+$/, '');
  const path = target.guildId
    ? `/v10/applications/${target.applicationId}/guilds/${target.guildId}/commands`
    : `/v10/applications/${target.applicationId}/commands`;
  const response = await fetch(`${base}${path}`, {
    method: 'PUT',
    headers: { Authorization: `Bot ${target.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`Discord answered ${response.status} ${response.statusText}: ${text.slice(0, 500)}`);
  }
  const registered: unknown = JSON.parse(text);
  return Array.isArray(registered) ? registered.length : 0;
}
