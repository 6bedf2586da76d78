import type { Command } from 'commander';
import { CalendarError, parseLocalDate } from '../../domain/calendar';
import type { LedgerKind } from '../../store/documents';
import { getAccount } from '../../store/accounts';
import { TRANSACTION_SORTS, USAGE_SORTS, exportTransactions, exportUsage } from '../../usage/exports';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';

const KINDS: readonly LedgerKind[] = ['manual_credit', 'topup', 'payment', 'renewal', 'proration', 'activation', 'per_minute', 'rollover', 'refund', 'adjustment'];

interface ExportOptions {
  from: string;
  to: string;
  sort: string;
  desc?: boolean;
  kind?: string;
  tree?: boolean;
  csv: string;
}

function localDateOption(flag: string, value: string): string {
  try {
    parseLocalDate(value);
    return value;
  } catch (error) {
    if (error instanceof CalendarError) throw new UsageError(`${flag}: expected a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
    throw error;
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: expected one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description("Download an account's transactions or usage between two of its local dates (both included) as CSV.")
    .argument('<what>', 'transactions or usage')
    .argument('<account>', 'account id')
    .requiredOption('--from <date>', 'first local date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last local date, YYYY-MM-DD')
    .option('--sort <field>', `transactions: ${Object.keys(TRANSACTION_SORTS).join('|')}; usage: ${Object.keys(USAGE_SORTS).join('|')}`, 'date')
    .option('--desc', 'sort descending')
    .option('--kind <kinds>', `transactions only: comma-separated (${KINDS.join(', ')}), e.g. per_minute or rollover`)
    .option('--tree', 'include every sub-account')
    .requiredOption('--csv <file>', 'where to write the CSV')
    .action((whatText: string, accountId: string, opts: ExportOptions) => {
      const what = oneOf('<what>', whatText, ['transactions', 'usage'] as const);
      const from = localDateOption('--from', opts.from);
      const to = localDateOption('--to', opts.to);
      if (to < from) throw new UsageError(`--to: expected a date on or after --from ${from} (got ${JSON.stringify(to)})`);
      const kinds = opts.kind === undefined ? [] : opts.kind.split(',').map((k) => oneOf('--kind', k.trim(), KINDS));
      if (what === 'usage' && kinds.length > 0) throw new UsageError('--kind: only for transactions');
      const sorts = Object.keys(what === 'usage' ? USAGE_SORTS : TRANSACTION_SORTS);
      const sort = oneOf('--sort', opts.sort, sorts);
      return withApp(io, async (app) => {
        const account = await getAccount(app.store, accountId);
        const query = { account, from, to, descending: opts.desc === true, tree: opts.tree === true };
        const rows =
          what === 'usage'
            ? await exportUsage(app.store, { ...query, sort: sort as keyof typeof USAGE_SORTS }, opts.csv)
            : await exportTransactions(app.store, { ...query, sort: sort as keyof typeof TRANSACTION_SORTS, kinds }, opts.csv);
        println(io.stdout, `${rows} ${what === 'usage' ? 'calls' : 'transactions'} of ${account._id}${opts.tree ? ' and its sub-accounts' : ''} from ${from} to ${to} (${account.timezone}) written to ${opts.csv}`);
      });
    });
}
