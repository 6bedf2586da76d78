import type { Bookkeeper, BookkeeperVerdict } from './bookkeeper';

const GOOD: BookkeeperVerdict = { status: 'good' };

/**
 * The ledger alone keeps the books: reconciliation has already posted the charges there, so there is nothing to hand
 * on and nothing to object to. As KAZOO's kz_bookkeeper_local, every account it syncs is in good standing.
 */
export const localBookkeeper: Bookkeeper = {
  name: 'local',
  sync: () => Promise.resolve(GOOD),
};
