import type { Command } from 'commander';
import { localDate, localMonth } from '../../domain/calendar';
import { CauseKeyError } from '../../domain/cause-keys';
import { CreditRequestError, creditCauseKey, parseCreditAmount } from '../../domain/ledger-credit';
import { formatMoney } from '../../domain/money';
import { getAccount } from '../../store/accounts';
import { balanceOf } from '../../store/balances';
import { post } from '../../store/ledger';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CreditRequestError || error instanceof CauseKeyError) throw new UsageError(error.message);
    throw error;
  }
}

export function registerCredit(program: Command, io: CliIO): void {
  const credit = program.command('credit').description('Manual credit: operator-granted balance (at least $5).');
  credit
    .command('add')
    .description(
      'Credit an account. The request id makes it idempotent: the same request id credits once, however often it is run. ' +
        "Without --request-id one is derived from account, amount, reason and the account's local date.",
    )
    .argument('<account>', 'account id')
    .argument('<amount>', 'dollars as decimal text, whole cents, at least 5.00')
    .requiredOption('--reason <text>', 'why, shown on the transaction')
    .option('--request-id <id>', 'your handle for this credit (a ticket number); a new one credits again')
    .action((accountId: string, amountText: string, opts: { reason: string; requestId?: string }) => {
      const amount = usage(() => parseCreditAmount(amountText));
      return withApp(io, async (app) => {
        const account = await getAccount(app.store, accountId);
        const now = app.deps.now();
        const { requestId, key } = usage(() => creditCauseKey(account._id, amount, opts.reason, localDate(now, account.timezone), opts.requestId));
        const result = await post(
          app.store,
          {
            _id: key,
            accountId: account._id,
            amount,
            kind: 'manual_credit',
            period: localMonth(now, account.timezone),
            description: `Manual credit: ${opts.reason.trim()}`,
            source: 'cli credit add',
            occurredAt: now,
          },
          now,
        );
        if (!result.posted && result.conflict) {
          throw new Error(
            `request id ${requestId} was already used for ${formatMoney(result.existing.amount)} to ${result.existing.accountId}; nothing credited`,
          );
        }
        const { balance } = await balanceOf(app.store, account._id);
        if (result.posted) println(io.stdout, `Credited ${formatMoney(amount)} to ${account._id} (request id ${requestId}).`);
        else {
          println(
            io.stdout,
            `Already credited under request id ${requestId} on ${result.existing.createdAt.toISOString()}: nothing credited again. ` +
              'To credit again on purpose, pass a new --request-id.',
          );
        }
        println(io.stdout, `Balance of ${account._id}: ${formatMoney(balance)}`);
      });
    });
}
