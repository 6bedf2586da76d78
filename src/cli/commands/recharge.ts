import type { Command } from 'commander';
import { RechargeSettingsError, checkRechargeSettings, parseCentsAmount } from '../../domain/auto-recharge';
import { alertThreshold } from '../../domain/low-balance';
import { formatMoney } from '../../domain/money';
import { MailError, checkMail } from '../../mail/mailer';
import { RECHARGE_FLAGS, setAlerts, setAutoRecharge } from '../../recharge/settings';
import { getAccount } from '../../store/accounts';
import { balanceOf } from '../../store/balances';
import type { AccountDoc } from '../../store/documents';
import { recomputeFunds } from '../../store/funds';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RechargeSettingsError || error instanceof MailError) throw new UsageError(error.message);
    throw error;
  }
}

function emailsFrom(list: string | undefined): string[] {
  if (list === undefined) return [];
  const emails = list.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (emails.length === 0) throw new UsageError(`--email: expected addresses separated by commas (got ${JSON.stringify(list)})`);
  for (const email of emails) {
    try {
      checkMail({ to: [email], subject: 'check', html: '', text: '' });
    } catch {
      throw new UsageError(`--email: not an e-mail address (got ${JSON.stringify(email)})`);
    }
  }
  return emails;
}

function settingsRows(account: AccountDoc, balance: number): string[][] {
  const recharge = account.billing.autoRecharge;
  const alerts = account.billing.alerts;
  const status = account.rechargeStatus;
  return [
    ['balance', formatMoney(balance)],
    ['auto-recharge', recharge?.enabled ? `on: below ${formatMoney(recharge.threshold)} add ${formatMoney(recharge.amount)}` : 'off'],
    ['monthly cap', typeof recharge?.monthlyCap === 'number' ? formatMoney(recharge.monthlyCap) : 'none'],
    ['alerts', alerts?.enabled ? `on: at or below ${formatMoney(alertThreshold(alerts, recharge ?? null))} to ${alerts.emails.join(', ') || 'the billing contact'}` : 'off'],
    ['alert state', account.lowBalance ? `${account.lowBalance.state} (crossing ${account.lowBalance.crossing})` : '-'],
    ['last recharge', status ? `${status.date}: ${status.outcome} ${formatMoney(status.amount)}${status.reason ? ` (${status.reason})` : ''}` : '-'],
  ];
}

function show(io: CliIO, account: AccountDoc, balance: number): void {
  println(io.stdout, renderTable([account._id, account.name], settingsRows(account, balance)));
}

export function registerRecharge(program: Command, io: CliIO): void {
  const recharge = program.command('recharge').description('Daily auto-recharge: charge a set amount when the balance falls below a threshold, at most once a local day.');

  recharge
    .command('set')
    .description('Turn auto-recharge on (or change it). A customer below a reseller has no card: its credit limit is topped up instead.')
    .argument('<account>', 'account id')
    .requiredOption('--threshold <amount>', 'recharge when the balance is below this, e.g. 10.00 (more than 0)')
    .requiredOption('--amount <amount>', 'charge exactly this, whole cents, at least 5.00')
    .option('--monthly-cap <amount>', 'at most this much auto-recharge per local month')
    .action((accountId: string, opts: { threshold: string; amount: string; monthlyCap?: string }) => {
      const change = usage(() => {
        const values = {
          enabled: true as const,
          threshold: parseCentsAmount('--threshold', opts.threshold),
          amount: parseCentsAmount('--amount', opts.amount),
          monthlyCap: opts.monthlyCap === undefined ? null : parseCentsAmount('--monthly-cap', opts.monthlyCap),
        };
        checkRechargeSettings(values, RECHARGE_FLAGS);
        return values;
      });
      return withApp(io, async (app) => {
        const account = await setAutoRecharge(app.store, accountId, change, app.deps.now());
        show(io, account, (await balanceOf(app.store, accountId)).balance);
      });
    });

  recharge
    .command('off')
    .description('Turn auto-recharge off (the last settings are kept for the record).')
    .argument('<account>', 'account id')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        const account = await setAutoRecharge(app.store, accountId, { enabled: false }, app.deps.now());
        show(io, account, (await balanceOf(app.store, accountId)).balance);
      }),
    );

  recharge
    .command('show')
    .description("An account's balance, auto-recharge and alert settings, and what the last recharge did.")
    .argument('<account>', 'account id')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        show(io, await getAccount(app.store, accountId), (await balanceOf(app.store, accountId)).balance);
      }),
    );

  recharge
    .command('repair')
    .description("Set an account's kept balance (what the sweep searches) to the sum of its ledger; safe while the worker runs.")
    .argument('<account>', 'account id')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        const result = await recomputeFunds(app.store, accountId, app.deps.now());
        if (result.status === 'missing') throw new UsageError(`no account "${accountId}"`);
        if (result.status === 'busy') throw new Error(`${accountId}: a ledger writer is at work on the account; try again in a few minutes`);
        println(io.stdout, `${accountId}: kept balance ${formatMoney(result.before)} -> ${formatMoney(result.after)} (the ledger's sum)`);
      }),
    );
}

export function registerAlerts(program: Command, io: CliIO): void {
  const alerts = program.command('alerts').description('Low-balance alerts: one e-mail per crossing of the threshold, re-armed when the balance recovers.');

  alerts
    .command('set')
    .description('Turn low-balance alerts on (or change them).')
    .argument('<account>', 'account id')
    .option('--threshold <amount>', 'alert at or below this (default: the auto-recharge threshold when it is on, else 5.00)')
    .option('--email <list>', 'comma-separated recipients (default: the billing contact)')
    .action((accountId: string, opts: { threshold?: string; email?: string }) => {
      const threshold = opts.threshold === undefined ? null : usage(() => parseCentsAmount('--threshold', opts.threshold ?? ''));
      const emails = emailsFrom(opts.email);
      return withApp(io, async (app) => {
        const current = await getAccount(app.store, accountId);
        if (emails.length === 0 && !current.billing.contactEmail) {
          throw new UsageError(`--email: ${accountId} has no billing contact, so give the recipients (got nothing)`);
        }
        const account = await setAlerts(app.store, accountId, { enabled: true, threshold, emails }, app.deps.now());
        show(io, account, (await balanceOf(app.store, accountId)).balance);
      });
    });

  alerts
    .command('off')
    .description('Turn low-balance alerts off.')
    .argument('<account>', 'account id')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        const account = await setAlerts(app.store, accountId, { enabled: false }, app.deps.now());
        show(io, account, (await balanceOf(app.store, accountId)).balance);
      }),
    );
}
