/** True when `built` (a file in `root`'s dist/) exists and is no older than any source under `root`. */
export function distIsFresh(root: string, built: string): boolean;
