import type { Bookkeeper } from './bookkeeper';
import { httpBookkeeper } from './http-bookkeeper';
import type { HttpBookkeeperOptions } from './http-bookkeeper';
import { localBookkeeper } from './local-bookkeeper';

export type { Bookkeeper, BookkeeperItem, BookkeeperRequest, BookkeeperVerdict } from './bookkeeper';

export type BookkeeperConfig = { readonly kind: 'local' } | ({ readonly kind: 'http' } & HttpBookkeeperOptions);

/** The bookkeeper the configuration names (BOOKKEEPER, with BOOKKEEPER_URL and BOOKKEEPER_SECRET for http). */
export function createBookkeeper(config: BookkeeperConfig): Bookkeeper {
  return config.kind === 'http' ? httpBookkeeper(config) : localBookkeeper;
}
