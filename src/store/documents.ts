import type { Units } from '../domain/money';

/** Quantities per category and item, as KAZOO's services documents hold them. */
export type QuantityMap = Record<string, Record<string, number>>;

export type PaymentMode = 'credit_then_card' | 'card_then_credit' | 'self_managed';
export type Standing = 'good' | 'delinquent' | 'past_due';

export interface AccountDoc {
  _id: string;
  name: string;
  parentId: string | null;
  /** Root first, excluding the account itself: a subtree is one index look-up on this field. */
  ancestors: string[];
  isReseller: boolean;
  /** IANA zone: every billing day and month is this account's local day and month. */
  timezone: string;
  /** Set when another account pays for this one (its changes dirty that account). */
  billingAccountId?: string | null;
  billing: {
    paymentMode: PaymentMode;
    /** A gateway token, never a card number; only paying accounts need one. */
    cardToken?: string | null;
    contactEmail?: string | null;
  };
  standing: Standing;
  standingReason?: string | null;
  /** Bumped on every inventory or plan change; reconciliation marks clean only the version it saw. */
  dirtyVersion: number;
  cleanVersion: number;
  dirty: boolean;
  dirtyAt?: Date | null;
  createdAt: Date;
}

export interface ServicePlanDoc {
  _id: string;
  ownerId: string;
  name: string;
  /** The KAZOO service plan document as given: `{ plan: {...}, merge?: {...} }`. */
  document: Record<string, unknown>;
  importedAt: Date;
}

export interface PlanAssignmentDoc {
  /** `<account>/<plan>`: an account holds a plan at most once. */
  _id: string;
  accountId: string;
  planId: string;
  overrides?: Record<string, unknown> | null;
  assignedAt: Date;
}

export type InventoryKind = 'device' | 'phone_number' | 'user' | 'limits' | 'ip' | 'branding';

export interface InventoryDoc {
  _id: string;
  accountId: string;
  kind: InventoryKind;
  /** The item type within its kind: `sip_device`, `did_us`, `admin`, `dedicated`, `whitelabel`, ... */
  type: string;
  /** Number features (e911, inbound_cnam, ...) or the trunk counts of a limits document. */
  features?: string[];
  counts?: Record<string, number>;
  /** The phone number in E.164 form, or the user's name, for people and reports. */
  label?: string;
  updatedAt: Date;
}

export interface QuantitiesDoc {
  _id: string;
  account: QuantityMap;
  cascade: QuantityMap;
  manual: QuantityMap;
  updatedAt: Date;
}

export type LedgerKind =
  | 'manual_credit'
  | 'topup'
  | 'renewal'
  | 'proration'
  | 'activation'
  | 'per_minute'
  | 'rollover'
  | 'payment'
  | 'adjustment';

export interface LedgerEntryDoc {
  /** The cause key (`renewal:<account>:<YYYY-MM>`, `call:<id>`, ...): writing a cause twice adds nothing. */
  _id: string;
  accountId: string;
  /** Signed: credits positive, debits negative. */
  amount: Units;
  kind: LedgerKind;
  period?: string | null;
  description: string;
  source: string;
  createdAt: Date;
}

export interface InvoiceLine {
  category: string;
  item: string;
  name: string;
  quantity: number;
  billable: number;
  rate: Units;
  total: Units;
  explanation: string;
}

export interface InvoiceDoc {
  /** `<account>/<YYYY-MM>` for renewals: one invoice per account and month. */
  _id: string;
  accountId: string;
  period: string;
  lines: InvoiceLine[];
  total: Units;
  dueDate: string;
  status: 'open' | 'paid' | 'void';
  issuedAt: Date;
}

export interface CdrDoc {
  /** The call id: a call is stored and charged once. */
  _id: string;
  accountId: string;
  startedAt: Date;
  callerId: string;
  toNumber: string;
  fromNumber?: string | null;
  direction: 'inbound' | 'outbound';
  country: string;
  billingSeconds: number;
  rate: Units;
  rateName: string;
  resellerCallType: 'flat_rate' | 'per_minute';
  resellerCost: Units;
  customerCallType: 'flat_rate' | 'per_minute';
  customerCost: Units;
  resellerCostBreakdown?: string | null;
}

export interface ReportRequestDoc {
  _id: string;
  resellerId: string;
  accountIds: string[];
  from: string;
  to: string;
  emails: string[];
  status: 'queued' | 'sent' | 'failed';
  requestedAt: Date;
}

export type JobOutcome = 'running' | 'completed' | 'failed' | 'rejected';

export interface JobRunDoc {
  /** `<queue>/<job id>/<attempt>`: a retried attempt is a run of its own, a redelivered one is the same run. */
  _id: string;
  queue: string;
  job: string;
  jobId: string;
  attempt: number;
  payload: unknown;
  startedAt: Date;
  finishedAt?: Date | null;
  outcome: JobOutcome;
  counts?: Record<string, number> | null;
  error?: string | null;
}
