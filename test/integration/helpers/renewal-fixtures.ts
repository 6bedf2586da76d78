import { afterRenewing } from '../../../src/domain/renewal/schedule';
import { mergePlans, parsePlanDocument } from '../../../src/domain/plans';
import type { PlanDocument } from '../../../src/domain/plans';
import { reconcile } from '../../../src/domain/reconcile';
import type { AccountDoc, PaymentMode } from '../../../src/store/documents';
import type { Store } from '../../../src/store/store';
import { accountDoc } from './billing-tree';

/**
 * Accounts as a renewal finds them: a plan assigned, reconciled once (its snapshot written from the reconcile domain
 * itself, as the engine would), and renewal due from the month after. Written straight to the store.
 */
export const PLAN_JSON = { plan: { devices: { sip_device: { rate: 24.99 } }, users: { user: { rate: 10, minimum: 2 } } } };
/** 3 devices, 1 user (2 billable): 74.97 + 20.00 = $94.97. */
export const QUANTITIES = { account: { devices: { sip_device: 3 }, users: { user: 1 } }, cascade: {}, manual: {} };
export const MONTHLY = 949_700;

function document(): PlanDocument {
  const parsed = parsePlanDocument(PLAN_JSON);
  if (!parsed.ok) throw new Error('fixture plan does not parse');
  return parsed.document;
}

export interface RenewingAccount {
  id: string;
  timezone: string;
  parentId: string;
  isReseller?: boolean;
  mode?: PaymentMode;
  card?: string | null;
  email?: string | null;
  /** The month it was first billed (by reconciliation); renewal starts with the next. */
  billedMonth: string;
}

export async function writeMaster(store: Store): Promise<void> {
  await store.accounts.insertOne(account('master', null, [], 'UTC', {}));
  await store.servicePlans.insertOne({ _id: 'retail', ownerId: 'master', name: 'Retail', document: PLAN_JSON, importedAt: new Date('2026-01-01T00:00:00Z') });
}

function account(id: string, parentId: string | null, ancestors: string[], timezone: string, extra: Partial<AccountDoc>): AccountDoc {
  return accountDoc(id, parentId, ancestors, { timezone, ...extra });
}

export async function writeRenewingAccount(store: Store, a: RenewingAccount): Promise<void> {
  const parent = await store.accounts.findOne({ _id: a.parentId });
  if (!parent) throw new Error(`no parent ${a.parentId}`);
  await store.accounts.insertOne(
    account(a.id, a.parentId, [...parent.ancestors, parent._id], a.timezone, {
      isReseller: a.isReseller ?? true,
      billing: { paymentMode: a.mode ?? 'self_managed', cardToken: a.card ?? null, contactEmail: a.email === undefined ? `billing@${a.id}.example` : a.email },
      renewal: afterRenewing(a.billedMonth, a.timezone),
    }),
  );
  await store.planAssignments.insertOne({ _id: `${a.id}/retail`, accountId: a.id, planId: 'retail', overrides: null, assignedAt: new Date('2026-01-01T00:00:00Z') });
  const first = reconcile({ previous: null, quantities: QUANTITIES, plan: mergePlans([document()]), today: `${a.billedMonth}-15` });
  await store.billedSnapshots.insertOne({
    _id: a.id,
    seq: 1,
    billed: { ...first.next, version: 1, payerId: a.id, reconciledAt: new Date(`${a.billedMonth}-15T12:00:00Z`) },
    pending: null,
  });
}

