import type { Command } from 'commander';
import { payerOf } from '../../domain/cdr-charges';
import { formatMoney } from '../../domain/money';
import { getAccount, subtree } from '../../store/accounts';
import { balanceOf, balancesOfSubtree } from '../../store/balances';
import type { AccountDoc } from '../../store/documents';
import { println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

/** "funds" for an account that pays for itself; otherwise its credit is a limit, and the real money is its payer's. */
function role(account: AccountDoc, byId: ReadonlyMap<string, AccountDoc>): string {
  const payer = payerOf(account, byId);
  return payer === account._id ? 'funds' : `credit limit (billed to ${payer})`;
}

export function registerBalance(program: Command, io: CliIO): void {
  program
    .command('balance')
    .description("An account's balance: the sum of its ledger. --tree adds every account below it (one query).")
    .argument('<account>', 'account id')
    .option('--tree', 'the account and all its sub-accounts')
    .action((accountId: string, opts: { tree?: boolean }) =>
      withApp(io, async (app) => {
        const root = await getAccount(app.store, accountId);
        const above = await app.store.accounts.find({ _id: { $in: root.ancestors } }).toArray();
        const accounts = opts.tree ? await subtree(app.store, accountId) : [root];
        const byId = new Map([...above, ...accounts].map((a) => [a._id, a] as const));
        const balances = opts.tree ? await balancesOfSubtree(app.store, accountId) : [await balanceOf(app.store, accountId)];
        const byAccount = new Map(balances.map((b) => [b.accountId, b] as const));
        if (!opts.tree) {
          println(io.stdout, `${root._id} (${root.name}): ${formatMoney(byAccount.get(root._id)?.balance ?? 0)}, ${role(root, byId)}`);
          return;
        }
        // Parents before children, siblings by id: the tree reads top-down.
        const ordered = [...accounts].sort((a, b) => [...a.ancestors, a._id].join('/').localeCompare([...b.ancestors, b._id].join('/')));
        const depth = root.ancestors.length;
        println(
          io.stdout,
          renderTable(
            ['account', 'name', 'balance', 'entries', 'money'],
            ordered.map((a) => {
              const b = byAccount.get(a._id);
              return [`${'  '.repeat(a.ancestors.length - depth)}${a._id}`, a.name, formatMoney(b?.balance ?? 0), b?.entries ?? 0, role(a, byId)];
            }),
            ['left', 'left', 'right', 'right', 'left'],
          ),
        );
      }),
    );
}
