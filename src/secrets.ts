// Passwords in URLs (STATE_URL): found and masked by one pattern, for messages and log lines alike.

/**
 * The user-info password of each URL in a text: everything between "//user:" and the last "@" before the
 * host (the URL ends at a space or the end), so a password holding "/", ":" or "@" is taken whole.
 */
const URL_PASSWORD = /(\/\/[^:/@\s]*):(\S*)@(?=[^@\s]*(?:\s|$))/g;

/** The password in `url`, if it has one. */
export function urlPassword(url: string): string | undefined {
  return [...url.trim().matchAll(URL_PASSWORD)][0]?.[2] || undefined;
}

/** `text` with the password of every URL in it replaced by `mask`. */
export function maskUrlPasswords(text: string, mask: string): string {
  return text.replace(URL_PASSWORD, `$1:${mask}@`);
}
