/**
 * What makes a ledger entry well-formed, and what a set of entries adds up to. Pure: the store module checks every
 * entry with `checkPosting` before writing it, so a wrong sign or a key of another account never reaches the ledger.
 *
 * Balance and rollover: an account's balance is the plain sum of its entries' amounts. A rollover entry is
 * informational: its amount is 0 and it carries (in `carried`) the sum of the entries of the months before the one
 * it opens. The balance therefore never depends on a rollover being written, late, twice or not at all, and an
 * entry that arrives late for a closed month still counts; the rollover shows what was carried when the month opened.
 */
import { parseMonth } from './calendar';
import type { LocalMonth } from './calendar';
import { sum } from './money';
import type { Units } from './money';
import type { LedgerKind } from '../store/documents';

export interface LedgerPosting {
  /** The cause key: `<cause>:<account>:<detail>` (src/domain/cause-keys.ts). */
  _id: string;
  accountId: string;
  amount: Units;
  kind: LedgerKind;
  period: LocalMonth;
  description: string;
  source: string;
  occurredAt: Date;
  forAccountId?: string | null;
  carried?: Units | null;
}

export class LedgerEntryError extends Error {}

type Sign = 'credit' | 'debit' | 'zero' | 'any';

/** The cause a kind's keys start with (payments are keyed by whatever they pay for) and the sign its amounts take. */
const KIND_RULES: Record<LedgerKind, { cause?: string; sign: Sign }> = {
  manual_credit: { cause: 'credit', sign: 'credit' },
  topup: { cause: 'topup', sign: 'credit' },
  payment: { sign: 'credit' },
  renewal: { cause: 'renewal', sign: 'debit' },
  proration: { cause: 'proration', sign: 'debit' },
  activation: { cause: 'activation', sign: 'debit' },
  per_minute: { cause: 'call', sign: 'debit' },
  rollover: { cause: 'rollover', sign: 'zero' },
  refund: { cause: 'refund', sign: 'any' },
  adjustment: { cause: 'adjustment', sign: 'any' },
};

const SIGN_TEST: Record<Sign, (amount: Units) => boolean> = {
  credit: (a) => a > 0,
  debit: (a) => a < 0,
  zero: (a) => a === 0,
  any: (a) => a !== 0,
};

const SIGN_TEXT: Record<Sign, string> = { credit: '> 0', debit: '< 0', zero: '0', any: 'not 0' };

/** Throws a LedgerEntryError naming the field and the value when the posting would not be a sound entry. */
export function checkPosting(p: LedgerPosting): LedgerPosting {
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new LedgerEntryError(`ledger entry ${JSON.stringify(p._id)}: ${field}: expected ${expected} (got ${JSON.stringify(value)})`);
  };
  const rules = KIND_RULES[p.kind] as (typeof KIND_RULES)[LedgerKind] | undefined;
  if (!rules) return fail('kind', `one of ${Object.keys(KIND_RULES).join(', ')}`, p.kind);
  const [cause, account] = p._id.split(':');
  if (account !== p.accountId) fail('_id', `a cause key of account ${p.accountId}`, p._id);
  if (rules.cause !== undefined && cause !== rules.cause) fail('_id', `a "${rules.cause}:" key for a ${p.kind} entry`, p._id);
  if (!Number.isSafeInteger(p.amount)) fail('amount', 'integer units', p.amount);
  if (!SIGN_TEST[rules.sign](p.amount)) fail('amount', `${SIGN_TEXT[rules.sign]} for a ${p.kind} entry`, p.amount);
  if (p.kind === 'rollover' && !Number.isSafeInteger(p.carried)) fail('carried', 'integer units on a rollover entry', p.carried);
  try {
    parseMonth(p.period);
  } catch {
    fail('period', 'a month YYYY-MM', p.period);
  }
  if (!(p.occurredAt instanceof Date) || Number.isNaN(p.occurredAt.getTime())) fail('occurredAt', 'a valid instant', p.occurredAt);
  if (p.description.trim() === '') fail('description', 'some text', p.description);
  return p;
}

export function balanceOf(entries: Iterable<{ amount: Units }>): Units {
  return sum(Array.from(entries, (e) => e.amount));
}

/** What a rollover opening `openedMonth` carries: every entry of the months before it. */
export function carriedInto(entries: Iterable<{ amount: Units; period: LocalMonth }>, openedMonth: LocalMonth): Units {
  parseMonth(openedMonth);
  return balanceOf(Array.from(entries).filter((e) => e.period < openedMonth));
}
