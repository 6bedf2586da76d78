import type { Units } from '../domain/money';
import type { InvoiceLine } from '../domain/renewal/invoice';
import type { LedgerPosting } from '../domain/ledger-entry';
import type { BilledState } from '../domain/reconcile';

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
    /** Daily auto-recharge (src/domain/auto-recharge.ts); absent: never configured. */
    autoRecharge?: AutoRechargeSettings | null;
    /** Low-balance alerts (src/domain/low-balance.ts); absent: never configured. */
    alerts?: AlertSettings | null;
  };
  /** The balance and the gaps the recharge sweep looks up, kept from the ledger (src/store/funds.ts). */
  funds?: AccountFunds;
  /** Where the account is in its low-balance alert cycle: once per crossing, re-armed on recovery. */
  lowBalance?: LowBalanceState;
  /** What the last auto-recharge run did, for operators (`tollkeeper recharge show`). */
  rechargeStatus?: RechargeStatus;
  /** Monthly renewal (src/domain/renewal/schedule.ts): set when the account gets its first plan. */
  renewal?: { nextMonth: string; dueAt: Date } | null;
  /** Held while one process pays an invoice of the account, so two never judge the same balance. */
  paymentLease?: { owner: string; until: Date } | null;
  standing: Standing;
  standingReason?: string | null;
  /** Bumped on every inventory or plan change; reconciliation marks clean only the version it saw. */
  dirtyVersion: number;
  cleanVersion: number;
  dirty: boolean;
  dirtyAt?: Date | null;
  createdAt: Date;
}

export interface AutoRechargeSettings {
  enabled: boolean;
  /** Recharge when the balance is below this (> 0). */
  threshold: Units;
  /** Charged exactly, whole cents, at least $5.00. */
  amount: Units;
  /** Most auto-recharge may add in one local month; null: no cap. */
  monthlyCap: Units | null;
  updatedAt: Date;
}

export interface AlertSettings {
  enabled: boolean;
  /** null: the recharge threshold when auto-recharge is on, else $5.00. */
  threshold: Units | null;
  /** Empty: the billing contact. */
  emails: string[];
  updatedAt: Date;
}

export interface InflightPosting {
  token: string;
  at: Date;
}

export interface AccountFunds {
  /** The sum of the account's ledger entries (exact whenever `inflight` is empty). */
  balance: Units;
  /** The thresholds the gaps are measured against: the configured ones while on, 0 while off. */
  rechargeThreshold: Units;
  alertThreshold: Units;
  /** balance - rechargeThreshold: below 0, a recharge is due. */
  rechargeGap: Units;
  /** balance - alertThreshold: at or below 0, the balance is low. */
  alertGap: Units;
  /** Bumped by every write here, so a repair only lands on the state it read. */
  version: number;
  /** Ledger writers that have announced entries and not yet applied them. */
  inflight: InflightPosting[];
  /**
   * Set when the balance was last counted from the ledger itself. Until then entries written before the account's
   * balance was kept (an upgrade, an account written straight to the store) may be missing from it.
   */
  counted?: boolean;
}

export interface LowBalanceState {
  /** `off` while alerts are off; `armed` until an alert is sent; `alerted` until the balance recovers. */
  state: 'off' | 'armed' | 'alerted';
  /** Counts the crossings: the key of each crossing's mail. */
  crossing: number;
  changedAt: Date;
}

export type RechargeOutcome = 'paid' | 'declined' | 'failed' | 'pending' | 'no-card' | 'refilled' | 'cap-reached' | 'not-needed';

export interface RechargeStatus {
  /** The account's local date the run was for. */
  date: string;
  outcome: RechargeOutcome;
  amount: Units;
  reason: string | null;
  balanceAfter: Units;
  at: Date;
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

/** An account's billed state as stored (src/domain/reconcile.ts): what reconciliation last charged, what renewal bills. */
export interface BilledStateDoc extends BilledState {
  /** The paying account's dirty version this state was billed for. */
  version: number;
  /** The paying account whose reconciliation billed this state: the account itself, or the one it is billed to. */
  payerId: string;
  reconciledAt: Date;
}

/**
 * One reconciliation step, stored before any of its charges is posted, so that a run dying between posting and
 * storing the new state is finished by the next run with exactly these entries (same keys, same amounts).
 */
export interface ReconcileStepDoc {
  /** The snapshot sequence number the step creates; its charges' keys carry it. */
  seq: number;
  /** The run that opened the step: its commit lands only on its own step. */
  runId: string;
  state: BilledStateDoc;
  postings: LedgerPosting[];
  openedAt: Date;
}

export interface BilledSnapshotDoc {
  /** The account id. */
  _id: string;
  /** Steps committed so far; the next step is seq + 1, opened by compare-and-set on this number. */
  seq: number;
  /** Null until the first step commits. */
  billed: BilledStateDoc | null;
  /** A step opened and not yet committed: its charges may be posted in part or in full. */
  pending: ReconcileStepDoc | null;
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
  | 'refund'
  | 'adjustment';

export interface LedgerEntryDoc {
  /** The cause key (`renewal:<account>:<YYYY-MM>`, `call:<id>`, ...): writing a cause twice adds nothing. */
  _id: string;
  accountId: string;
  /** Signed: credits positive, debits negative. */
  amount: Units;
  kind: LedgerKind;
  /** The account's local month (YYYY-MM) the cause belongs to: what a rollover into the next month sums up. */
  period: string;
  description: string;
  source: string;
  /** The account's ancestors (root first) when the entry was written, so a subtree's balances are one query. */
  ancestors: string[];
  /** When the cause happened (a call's start); reports filter on this, not on when the entry was written. */
  occurredAt: Date;
  /** On a reseller's per-minute debit: the sub-account whose call it pays for. */
  forAccountId?: string | null;
  /** On a rollover entry (amount 0, informational): the balance carried into `period` from the months before. */
  carried?: Units | null;
  createdAt: Date;
}

export type { InvoiceLine };

/**
 * Who collects an invoice: `platform` charges the account itself, per its payment mode (a paying account: a
 * reseller); `reseller` is a sub-account's bill at its reseller's retail prices, recorded as a "fake money" debit on
 * the sub-account's credit limit, the real money coming from the reseller's own invoice (its plans, cascade quantities).
 */
export type InvoiceCollection = 'platform' | 'reseller';

export type PaymentOutcome = 'paid' | 'declined' | 'failed' | 'pending' | 'no_card' | 'insufficient_credit' | 'waiting';

/** One try at paying an invoice, recorded once per number. */
export interface PaymentAttempt {
  n: number;
  at: Date;
  trigger: 'renewal' | 'retry' | 'manual';
  outcome: PaymentOutcome;
  fromCredit: Units;
  byCard: Units;
  reason: string | null;
  reference: string | null;
}

export interface InvoiceDoc {
  /** `<account>/<YYYY-MM>` for renewals: one invoice per account and month. */
  _id: string;
  accountId: string;
  period: string;
  /** What was billed, as issued: never edited (a correction is a ledger adjustment). */
  lines: InvoiceLine[];
  recurring: Units;
  total: Units;
  dueDate: string;
  timezone: string;
  collection: InvoiceCollection;
  /** The reseller that bills a `reseller` invoice to its customer. */
  billedBy: string | null;
  /** The payment mode when issued. */
  paymentMode: PaymentMode;
  /** `informational`: a reseller's invoice, nothing for the platform to collect. */
  status: 'open' | 'paid' | 'void' | 'informational';
  issuedAt: Date;
  attempts: PaymentAttempt[];
  /** When the next automatic attempt is due (an unmade first one included); null: none. */
  nextAttemptAt: Date | null;
  paidAt: Date | null;
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
  /** The file (or other source) the call was first imported from. */
  source: string;
  importedAt: Date;
}

export type ChargeIntentState = 'pending' | 'paid' | 'declined' | 'failed';

/**
 * A card charge, written before the gateway is called. `_id` is the cause key, which is also the `_id` of the ledger
 * credit written once the charge is paid; `attempt` numbers the gateway tries (each try has its own idempotency key).
 */
export interface ChargeIntentDoc {
  _id: string;
  accountId: string;
  /** Whole cents, in units. */
  amount: Units;
  token: string;
  description: string;
  ledgerKind: 'topup' | 'payment';
  period: string;
  source: string;
  state: ChargeIntentState;
  attempt: number;
  /** Gateway calls made for the current attempt (retryable failures and time-outs included). */
  calls: number;
  /** Set while one process calls the gateway for this attempt: nobody else calls, or gives up, before then. */
  callingUntil?: Date | null;
  reference?: string | null;
  reason?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the simulated gateway remembers per idempotency key, in the store so that a restarted process sees it. */
export interface GatewayChargeDoc {
  _id: string;
  token: string;
  amount: Units;
  description: string;
  /** Unset while the key has only failed transiently; set once, never changed after. */
  status?: 'paid' | 'declined';
  reference?: string;
  reason?: string;
  calls: number;
  createdAt: Date;
}

/**
 * A reseller report: what was asked, fixed by the first run (an "all accounts" selection is resolved then, so a
 * retry reports on the same accounts), and where it stands. `_id` is the request id: it names the work folder,
 * the job and the mail's sendOnce key.
 */
export interface ReportRequestDoc {
  _id: string;
  resellerId: string;
  accountIds: string[];
  /** Asked as "every account of the reseller". */
  all: boolean;
  /** Local dates of the reseller's zone, both included. */
  from: string;
  to: string;
  emails: string[];
  status: 'building' | 'sent';
  requestedAt: Date;
  updatedAt: Date;
  /** What the mail carried. */
  attachments?: { filename: string; bytes: number }[] | null;
  sentAt?: Date | null;
  messageId?: string | null;
  /** The last failure, kept until the report is sent. */
  error?: string | null;
}

/** Usage of one account and one country, split as the report shows it; money in units. */
export interface ReportUsage {
  calls: number;
  billingSeconds: number;
  billingMinutes: number;
  resellerCost: Units;
  customerCost: Units;
}

/**
 * One account of a report whose workbook is complete: what its summary rows need, so that a rerun builds the
 * summaries without reading the account's calls again. `_id` is `<request id>/<account id>`.
 */
export interface ReportAccountDoc {
  _id: string;
  requestId: string;
  accountId: string;
  name: string;
  timezone: string;
  /** Aligned with the report's summary quantities. */
  quantities: number[];
  quantitiesAt: Date | null;
  countries: { country: string; total: ReportUsage; flatRate: ReportUsage; perMinute: ReportUsage }[];
  file: string;
  sheets: string[];
  builtAt: Date;
}

/** A billing unit of an account (seed "Billing"): a branch, department, brand or client grouping its numbers and users. */
export interface BillingUnitDoc {
  _id: string;
  accountId: string;
  name: string;
  /** The name as compared (case, width and spacing ignored): unique within the account. */
  nameKey: string;
  /** Inventory ids of the unit's users; a user may be in several units. */
  users: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** `<account>/<E.164 number>`: the key itself makes a number belong to one unit at most, whoever writes at once. */
export interface UnitNumberDoc {
  _id: string;
  accountId: string;
  number: string;
  unitId: string;
  assignedAt: Date;
}

export type JobOutcome = 'running' | 'completed' | 'failed' | 'rejected';

export interface JobRunDoc {
  /** `<queue>/<job id>/<created ms>/<attempt>`: a retried attempt is a run of its own, a redelivered one is the same run. */
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

export type MailLogState = 'sending' | 'sent' | 'failed';

/**
 * One mail that must go out once, keyed by its cause (`low-balance:<account>:<crossing>`, ...). Claimed as `sending`
 * before the send, marked `sent` after: see src/store/mail-log.ts for what a claim left by a crash means.
 */
export interface MailLogDoc {
  _id: string;
  state: MailLogState;
  to: string[];
  subject: string;
  /** Sends tried so far; also the fencing token of the current claim. */
  attempts: number;
  claimedAt: Date;
  sentAt?: Date | null;
  messageId?: string | null;
  error?: string | null;
}
