/**
 * One account's auto-recharge for one local day. Idempotent: the day's cause key (`topup:<account>:<date>`) is the
 * charge intent's id and the ledger credit's id, so however often this runs for a day the card is charged and the
 * credit written at most once; every mail goes through sendOnce with a key of its cause.
 *
 * Who pays: an account that pays its own way (the master, a reseller, or one with no reseller above) is charged on
 * its card through the charging service. A customer below a reseller has no card: its credit is a limit ("fake
 * money") and its calls are debited for real from its reseller, so its auto-recharge tops the limit up without
 * charging anyone, bounded by the same once-a-day rule and monthly cap. Charging the reseller's card here would make
 * it pay twice for the same calls.
 */
import { localDate, parseLocalDate } from '../domain/calendar';
import type { LocalDate } from '../domain/calendar';
import { decideRecharge } from '../domain/auto-recharge';
import type { TodaysCharge } from '../domain/auto-recharge';
import { topupKey } from '../domain/cause-keys';
import { formatMoney } from '../domain/money';
import { chargeCard, retryCharge } from '../payments/charging';
import type { CardChargeOutcome } from '../payments/charging';
import type { Deps } from '../runtime/deps';
import { getIntent } from '../store/charge-intents';
import type { RechargeOutcome } from '../store/documents';
import { post } from '../store/ledger';
import { sendOnce } from '../store/mail-log';
import type { Store } from '../store/store';
import type { AccountContext } from './account-context';
import { loadAccountContext, paysItsOwnWay } from './account-context';
import { checkLowBalanceOf } from './low-balance-check';
import type { AlertOutcome } from './low-balance-check';
import { noticeKeys, noticeMail, rechargeRecipients } from './notices';

export interface RechargeRun {
  outcome: RechargeOutcome;
  /** Why nothing was charged, when nothing was. */
  reason: string | null;
  balanceAfter: number;
  alert: AlertOutcome;
  mailed: number;
}

/** Thrown when the gateway has not given a final answer yet: the job's retry (or the charge-recovery sweep) finishes it. */
export class RechargePendingError extends Error {}

const SOURCE = 'auto-recharge';

export async function runRecharge(deps: Deps, accountId: string, day: LocalDate): Promise<RechargeRun> {
  parseLocalDate(day);
  const context = await loadAccountContext(deps.store, accountId);
  const { account } = context;
  const key = topupKey(accountId, day);
  const month = day.slice(0, 7);
  const settings = account.billing.autoRecharge ?? null;
  const decision = decideRecharge({
    settings,
    balance: context.balance,
    today: await todaysCharge(deps.store, key),
    spentThisMonth: await spentThisMonth(deps.store, accountId, month, key),
    onItsDay: localDate(deps.now(), account.timezone) === day,
  });
  if (decision.action === 'none') {
    return { outcome: 'not-needed', reason: decision.reason, balanceAfter: context.balance, alert: await checkLowBalanceOf(deps, context), mailed: 0 };
  }
  const notify = noticeFor(deps, context);
  if (decision.action === 'skip-cap') {
    const notice = { kind: 'recharge-cap-reached' as const, amount: decision.amount, cap: decision.cap, spent: decision.spentThisMonth };
    const mail = await notify(noticeKeys.capReached(accountId, month), notice);
    const reason = `monthly cap ${formatMoney(decision.cap)}: ${formatMoney(decision.spentThisMonth)} recharged this month, ${formatMoney(decision.amount)} more would pass it`;
    return finish(deps, context, day, { outcome: 'cap-reached', amount: decision.amount, reason, mail });
  }
  const charged = decision.action === 'resume' ? await retryCharge(deps, key, account.billing.cardToken ?? '') : await recharge(deps, context, key, day, decision.amount);
  if (charged.status === 'refilled') {
    const mail = await notify(noticeKeys.paid(accountId, day), paidNotice(charged.amount, day, false, null));
    return finish(deps, context, day, { outcome: 'refilled', amount: charged.amount, reason: null, mail });
  }
  if (charged.status === 'pending') throw new RechargePendingError(`auto-recharge ${key}: no final answer from the gateway yet (${charged.reason})`);
  if (charged.status === 'paid') {
    const mail = await notify(noticeKeys.paid(accountId, day), paidNotice(charged.amount, day, true, charged.reference));
    return finish(deps, context, day, { outcome: 'paid', amount: charged.amount, reason: null, mail });
  }
  const mail = await notify(noticeKeys.declined(accountId, day), declinedNotice(charged.amount, day, charged.reason));
  return finish(deps, context, day, { outcome: charged.status, amount: charged.amount, reason: charged.reason, mail });
}

type RechargeResult = CardChargeOutcome | { status: 'refilled'; amount: number } | { status: 'no-card'; amount: number; reason: string };

/** The day's recharge: a card charge for an account that pays its own way, a limit top-up for a customer. */
async function recharge(deps: Deps, context: AccountContext, key: string, day: LocalDate, amount: number): Promise<RechargeResult> {
  const { account, payer } = context;
  if (!paysItsOwnWay(context)) {
    const description = `Auto-recharge of the credit limit on ${day} (no card charge: calls are billed to ${payer._id})`;
    const refill = await post(
      deps.store,
      { _id: key, accountId: account._id, amount, kind: 'topup', period: day.slice(0, 7), description, source: SOURCE, occurredAt: deps.now() },
      deps.now(),
    );
    return { status: 'refilled', amount: refill.posted ? refill.entry.amount : refill.existing.amount };
  }
  const token = account.billing.cardToken;
  if (!token) return { status: 'no-card', amount, reason: 'no card on file' };
  return chargeCard(deps, { causeKey: key, accountId: account._id, amount, token, description: `Auto-recharge ${day}`, ledgerKind: 'topup', period: day.slice(0, 7), source: SOURCE });
}

function nextDayOf(day: LocalDate): LocalDate {
  const { year, month, day: d } = parseLocalDate(day);
  return new Date(Date.UTC(year, month - 1, d + 1)).toISOString().slice(0, 10);
}

function paidNotice(amount: number, day: LocalDate, cardCharged: boolean, reference: string | null) {
  return { kind: 'recharge-paid' as const, amount, day, nextDay: nextDayOf(day), cardCharged, reference };
}

function declinedNotice(amount: number, day: LocalDate, reason: string) {
  return { kind: 'recharge-declined' as const, amount, day, nextDay: nextDayOf(day), reason };
}

type NoticeBody =
  | ReturnType<typeof paidNotice>
  | ReturnType<typeof declinedNotice>
  | { kind: 'recharge-cap-reached'; amount: number; cap: number; spent: number };

type Delivery = 'sent' | 'already-sent' | 'no-recipient';

/** Sends a recharge notice once under `key`, with the balance as it is after the run. */
function noticeFor(deps: Deps, context: AccountContext) {
  return async (key: string, body: NoticeBody): Promise<Delivery> => {
    const { account, payer } = context;
    const to = rechargeRecipients(account, payer);
    if (to.length === 0) {
      deps.logger.warn({ account: account._id, notice: body.kind }, 'recharge notice not sent: no billing contact');
      return 'no-recipient';
    }
    const { balance } = await loadAccountContext(deps.store, account._id);
    const threshold = account.billing.autoRecharge?.threshold ?? 0;
    return (await sendOnce(deps, key, noticeMail({ ...body, accountName: account.name, accountId: account._id, balance, threshold }, to))).status;
  };
}

async function finish(
  deps: Deps,
  context: AccountContext,
  day: LocalDate,
  run: { outcome: RechargeOutcome; amount: number; reason: string | null; mail: Delivery },
): Promise<RechargeRun> {
  const after = await loadAccountContext(deps.store, context.account._id);
  await deps.store.accounts.updateOne(
    { _id: context.account._id },
    { $set: { rechargeStatus: { date: day, outcome: run.outcome, amount: run.amount, reason: run.reason, balanceAfter: after.balance, at: deps.now() } } },
  );
  const declined = run.outcome === 'declined' || run.outcome === 'failed' || run.outcome === 'no-card';
  const alert = await checkLowBalanceOf(deps, after, { notifiedByDecline: declined && run.mail !== 'no-recipient' });
  return { outcome: run.outcome, reason: run.reason, balanceAfter: after.balance, alert, mailed: run.mail === 'sent' ? 1 : 0 };
}

async function todaysCharge(store: Store, key: string): Promise<TodaysCharge> {
  const intent = await getIntent(store, key);
  if (intent) return intent.state;
  // A customer's limit top-up has no card charge behind it: its ledger entry is the whole of it.
  return (await store.ledger.countDocuments({ _id: key }, { limit: 1 })) > 0 ? 'paid' : 'none';
}

/** What auto-recharge added in the local month, the day's own cause left out; charges still pending count. */
async function spentThisMonth(store: Store, accountId: string, month: string, excludedKey: string): Promise<number> {
  const credits = await store.ledger.find({ accountId, kind: 'topup', period: month, _id: { $ne: excludedKey } }, { projection: { amount: 1 } }).toArray();
  const credited = new Set(credits.map((c) => c._id));
  const pending = await store.chargeIntents
    .find({ accountId, ledgerKind: 'topup', period: month, state: 'pending', _id: { $ne: excludedKey } }, { projection: { amount: 1 } })
    .toArray();
  return [...credits, ...pending.filter((p) => !credited.has(p._id))].reduce((total, e) => total + e.amount, 0);
}
