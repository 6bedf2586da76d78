/**
 * The ledger entries of one reconciliation step. Their keys come from the step itself, never from when it ran: the
 * billed account and the snapshot sequence number the step creates (one step per number, enforced by a
 * compare-and-set on the snapshot), plus the dirty version it billed, for people reading the ledger.
 */
import { activationKey, assertAccountId, prorationKey } from './cause-keys';
import type { LocalMonth } from './calendar';
import type { LedgerPosting } from './ledger-entry';
import { UNITS_PER_CENT, formatMoney } from './money';
import type { Units } from './money';
import type { ReconcileResult } from './reconcile';

export interface StepIdentity {
  /** The account whose ledger is charged: the account itself, or the one it is billed to (`billingAccountId`). */
  readonly payerId: string;
  /** The account whose services were reconciled. */
  readonly accountId: string;
  /** The snapshot sequence number this step creates (1 for the first reconciliation). */
  readonly seq: number;
  /** The payer's dirty version the step billed. */
  readonly version: number;
  /** The payer's local month. */
  readonly period: LocalMonth;
  readonly occurredAt: Date;
}

/** `<account>.r<seq>.v<version>`: account ids hold no '.', so the parts read back unambiguously. */
export function reconcileChangeId(step: Pick<StepIdentity, 'accountId' | 'seq' | 'version'>): string {
  for (const [field, value] of [['seq', step.seq], ['version', step.version]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${field}: expected a whole number >= 0 (got ${value})`);
  }
  return `${assertAccountId(step.accountId)}.r${step.seq}.v${step.version}`;
}

/** Dollars and cents, or 4 decimals when the amount has sub-cent digits, so nothing is rounded away. */
function money(units: Units): string {
  return formatMoney(units, units % UNITS_PER_CENT === 0 ? 2 : 4);
}

function forWhom(step: StepIdentity): string {
  return step.accountId === step.payerId ? '' : ` (account ${step.accountId})`;
}

export function reconcilePostings(result: ReconcileResult, step: StepIdentity): LedgerPosting[] {
  const changeId = reconcileChangeId(step);
  const common = {
    accountId: step.payerId,
    period: step.period,
    source: 'reconcile',
    occurredAt: step.occurredAt,
    forAccountId: step.accountId === step.payerId ? null : step.accountId,
  };
  const postings: LedgerPosting[] = [];
  const { activation, increase } = result;
  if (activation.amount > 0) {
    const lines = activation.lines.map((l) => `${l.added} × ${l.name} at ${money(l.charge)}`);
    postings.push({
      ...common,
      _id: activationKey(step.payerId, changeId),
      kind: 'activation',
      amount: -activation.amount,
      description: `Activation${forWhom(step)}: ${lines.join(', ')}`,
    });
  }
  if (increase !== null && increase.amount > 0) {
    postings.push({
      ...common,
      _id: prorationKey(step.payerId, changeId),
      kind: 'proration',
      amount: -increase.amount,
      description:
        `Service increase${forWhom(step)}: ${money(increase.from)} to ${money(increase.to)} a month, ` +
        `the difference for the rest of the month: ${increase.explanation}`,
    });
  }
  return postings;
}
