// Routes served on one port beside Slack's requests: by exact path, or by a prefix for pages with an id in the path.
import type { RequestListener } from 'node:http';

/**
 * Other routes served on the same port (health, metrics, the web view). A key is an exact path ("/healthz"),
 * or a prefix ending in "/*" ("/events/*" answers "/events/2024-04-16-x"); an exact path wins over a prefix.
 */
export type Routes = Readonly<Record<string, RequestListener>>;

/** The route for a request's path (the URL without its query), if any. */
export function routeFor(routes: Routes, url: string | undefined): RequestListener | undefined {
  const path = (url ?? '/').split('?')[0] ?? '/';
  const exact = routes[path];
  if (exact) return exact;
  const slash = path.indexOf('/', 1);
  return slash === -1 ? undefined : routes[`${path.slice(0, slash + 1)}*`];
}
