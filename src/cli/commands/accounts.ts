import type { Command } from 'commander';
import { resellerOf } from '../../domain/account-tree';
import { UNITS_PER_CENT, formatMoney, formatRate } from '../../domain/money';
import type { Quantities } from '../../domain/plans';
import { reconcileAccounts, reportCounts } from '../../reconciliation/engine';
import type { ReconcileOutcome } from '../../reconciliation/engine';
import { NotFoundError } from '../../store/accounts';
import { dirtyPage, markManyDirty } from '../../store/dirty-accounts';
import type { AccountDoc, BilledSnapshotDoc } from '../../store/documents';
import type { Store } from '../../store/store';
import { AlreadyReported, UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

async function existing(store: Store, ids: readonly string[]): Promise<AccountDoc[]> {
  const found = await store.accounts.find({ _id: { $in: [...ids] } }).toArray();
  const missing = ids.filter((id) => !found.some((a) => a._id === id));
  if (missing.length > 0) throw new NotFoundError(`no account ${missing.map((id) => JSON.stringify(id)).join(', ')}`);
  return found;
}

const money = (units: number) => formatMoney(units, units % UNITS_PER_CENT === 0 ? 2 : 4);

function quantitiesText(quantities: Quantities): string {
  const parts = Object.entries(quantities).flatMap(([category, items]) => Object.entries(items).map(([item, n]) => `${category}/${item}=${n}`));
  return parts.length === 0 ? '(none)' : parts.join(' ');
}

function showText(io: CliIO, account: AccountDoc, reseller: string | null, snapshot: BilledSnapshotDoc | null): void {
  const out = (line = '') => println(io.stdout, line);
  out(`${account._id} (${account.name})`);
  out(`  parent ${account.parentId ?? '(none: the master)'}, reseller ${reseller ?? '(none)'}, billed to ${account.billingAccountId ?? 'itself'}, zone ${account.timezone}`);
  out(`  standing: ${account.standing}${account.standingReason ? ` (${account.standingReason})` : ''}`);
  out(
    account.dirty
      ? `  dirty: yes, version ${account.dirtyVersion} since ${account.dirtyAt?.toISOString() ?? '?'} (last clean at version ${account.cleanVersion})`
      : `  dirty: no, clean at version ${account.cleanVersion}`,
  );
  const billed = snapshot?.billed;
  if (!billed) {
    out('  last billed: never reconciled');
  } else {
    out(
      `  last billed: step ${snapshot.seq} at ${billed.reconciledAt.toISOString()} (version ${billed.version}, charged to ${billed.payerId}); ` +
        `${billed.month}: ${money(billed.recurring)} a month, ${money(billed.covered)} covered`,
    );
    out(`  own counts: ${quantitiesText(billed.quantities.account)}`);
    out(`  cascade: ${quantitiesText(billed.quantities.cascade)}`);
    out(`  manual: ${quantitiesText(billed.quantities.manual)}`);
    if (billed.items.length > 0) {
      out(
        renderTable(
          ['item', 'name', 'quantity', 'billable', 'rate', 'total'],
          billed.items.map((i) => [`${i.category}/${i.item}`, i.name, i.quantity, i.billable, formatRate(i.rate), formatRate(i.total)]),
          ['left', 'left', 'right', 'right', 'right', 'right'],
        ),
      );
    }
  }
  if (snapshot?.pending) {
    out(`  open step ${snapshot.pending.seq} since ${snapshot.pending.openedAt.toISOString()} (${snapshot.pending.postings.length} entries): the next reconciliation finishes it`);
  }
}

function outcomeRow(o: ReconcileOutcome): (string | number)[] {
  switch (o.status) {
    case 'reconciled':
      return [o.accountId, o.status, `${o.steps} step(s), ${money(o.charged)} charged, ${o.standing}${o.clean ? '' : ', changed meanwhile: still dirty'}`];
    case 'forwarded':
      return [o.accountId, o.status, `billed to ${o.payerId}, which is dirtied`];
    case 'retry':
    case 'failed':
    case 'deferred':
      return [o.accountId, o.status, o.reason];
    default:
      return [o.accountId, o.status, ''];
  }
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number >= 1, got "${value}"`);
  return n;
}

export function registerAccounts(program: Command, io: CliIO): void {
  const accounts = program.command('accounts').description('Billing state of accounts: dirty flags, standing, what was last billed; reconcile by hand.');

  accounts
    .command('dirty')
    .description('Mark accounts changed so that the next reconcile scan bills them (an account billed to another dirties that one).')
    .argument('<accounts...>', 'account ids')
    .action((ids: string[]) =>
      withApp(io, async (app) => {
        await existing(app.store, ids);
        const dirtied = await markManyDirty(app.store, ids, app.deps.now());
        const after = await existing(app.store, dirtied);
        println(io.stdout, renderTable(['dirtied', 'version', 'since'], after.map((a) => [a._id, a.dirtyVersion, a.dirtyAt?.toISOString() ?? ''])));
      }),
    );

  accounts
    .command('show')
    .description("An account's standing, dirty state and last billed snapshot (items, quantities, the month's covered total).")
    .argument('<account>', 'account id')
    .option('--json', 'print one JSON document')
    .action((id: string, opts: { json?: boolean }) =>
      withApp(io, async (app) => {
        const [account] = await existing(app.store, [id]);
        const ancestors = await app.store.accounts.find({ _id: { $in: account!.ancestors } }).toArray();
        const reseller = resellerOf(account!, new Map(ancestors.map((a) => [a._id, a])));
        const snapshot = await app.store.billedSnapshots.findOne({ _id: id });
        if (opts.json) println(io.stdout, JSON.stringify({ account, reseller, snapshot }, null, 2));
        else showText(io, account!, reseller, snapshot);
      }),
    );

  accounts
    .command('reconcile')
    .description('Reconcile dirty accounts now, in this process, in batches (what the reconcile-account jobs do one by one).')
    .argument('[accounts...]', 'account ids (only dirty ones are reconciled)')
    .option('--all', 'every dirty account, however recent its last change')
    .option('--batch <n>', 'accounts per batch', '500')
    .action((ids: string[], opts: { all?: boolean; batch: string }) => {
      const batchSize = positiveInt(opts.batch, '--batch');
      if (ids.length > 0 === Boolean(opts.all)) throw new UsageError('say which accounts: account ids, or --all');
      return withApp(io, async (app) => {
        if (ids.length > 0) await existing(app.store, ids);
        const outcomes: ReconcileOutcome[] = [];
        const totals: Record<string, number> = {};
        const reconcile = async (batch: string[]) => {
          const report = await reconcileAccounts(app.deps, batch);
          outcomes.push(...report.outcomes);
          for (const [k, v] of Object.entries(reportCounts(report))) totals[k] = (totals[k] ?? 0) + v;
        };
        if (opts.all) {
          // Accounts a batch leaves dirty (a change meanwhile) are after the cursor's page or retried by the scan.
          for (let after: string | null = null; ; ) {
            const page = await dirtyPage(app.store, app.deps.now(), after, batchSize);
            if (page.length === 0) break;
            await reconcile(page.map((a) => a._id));
            after = page.at(-1)!._id;
          }
        } else {
          for (let i = 0; i < ids.length; i += batchSize) await reconcile(ids.slice(i, i + batchSize));
        }
        if (outcomes.length <= 50) println(io.stdout, renderTable(['account', 'outcome', 'details'], outcomes.map(outcomeRow)));
        println(io.stdout, Object.entries(totals).map(([k, v]) => (k === 'chargedUnits' ? `charged=${money(v)}` : `${k}=${v}`)).join(' '));
        if (outcomes.some((o) => o.status === 'failed' || o.status === 'retry')) throw new AlreadyReported();
      });
    });
}
