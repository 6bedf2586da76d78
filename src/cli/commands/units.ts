import type { Command } from 'commander';
import { accountUnitCharges } from '../../admin/billing-unit-report';
import { unitReportText, writeUnitReportCsv, writeUnitReportXlsx } from '../../admin/billing-unit-report-files';
import {
  addBillingUnit,
  assignToBillingUnit,
  listBillingUnits,
  removeBillingUnit,
  renameBillingUnit,
  showBillingUnit,
  unassignFromBillingUnit,
} from '../../admin/billing-units';
import type { AssignOutcome } from '../../admin/billing-units';
import { BillingUnitInputError } from '../../domain/billing-units';
import { parseLocalDate } from '../../domain/calendar';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

/** `--numbers a,b --numbers c`: every value, split on commas. */
const collectList = (value: string, previous: string[]) => [...previous, ...value.split(',').map((v) => v.trim())];

interface MemberOptions {
  numbers: string[];
  users: string[];
}

function members(opts: MemberOptions): MemberOptions {
  for (const flag of ['numbers', 'users'] as const) {
    if (opts[flag].some((v) => v === '')) throw new UsageError(`--${flag}: expected a comma-separated list without empty entries (got "${opts[flag].join(',')}")`);
  }
  if (opts.numbers.length === 0 && opts.users.length === 0) throw new UsageError('give --numbers, --users or both');
  return opts;
}

/** Malformed names and numbers are usage errors (exit 2); refusals by the store's rules are failures (exit 1). */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BillingUnitInputError) throw new UsageError(error.message);
    throw error;
  }
}

function localDateOption(flag: string, text: string): string {
  try {
    parseLocalDate(text);
    return text;
  } catch {
    throw new UsageError(`${flag}: expected a date as YYYY-MM-DD (got ${JSON.stringify(text)})`);
  }
}

function assignSummary(o: AssignOutcome): string[] {
  const lines: string[] = [];
  if (o.assigned.length > 0) lines.push(`assigned to "${o.unit.name}": ${o.assigned.join(', ')}`);
  for (const m of o.moved) lines.push(`moved ${m.number} from "${m.from}" to "${o.unit.name}"`);
  if (o.usersAdded.length > 0) lines.push(`users added to "${o.unit.name}": ${o.usersAdded.join(', ')}`);
  if (o.already.length > 0) lines.push(`already in "${o.unit.name}": ${o.already.join(', ')}`);
  return lines;
}

function registerReport(units: Command, io: CliIO): void {
  units
    .command('report')
    .description(
      "An account's charges by billing unit: usage of the calls between two of its local dates (by the number each call used), " +
        'and one month of its recurring charges (each number and user its share of its plan lines), with what belongs to no unit as "Unassigned".',
    )
    .argument('<account>')
    .requiredOption('--from <date>', 'first local date (YYYY-MM-DD) of the calls, in the account’s time zone')
    .requiredOption('--to <date>', 'last local date (YYYY-MM-DD), included')
    .option('--csv <file>', 'write a CSV (money with 2 decimals) instead of the table')
    .option('--xlsx <file>', 'write an Excel workbook instead of the table')
    .action(async (accountId: string, opts: { from: string; to: string; csv?: string; xlsx?: string }) => {
      const from = localDateOption('--from', opts.from);
      const to = localDateOption('--to', opts.to);
      if (to < from) throw new UsageError(`--to: ${to} is before --from (${from})`);
      if (opts.csv !== undefined && opts.xlsx !== undefined) throw new UsageError('give --csv or --xlsx, not both');
      await withApp(io, async (app) => {
        const charges = await accountUnitCharges(app.store, accountId, from, to);
        if (opts.csv !== undefined) {
          const rows = await writeUnitReportCsv(opts.csv, charges);
          println(io.stdout, `${opts.csv}: ${rows} rows (${rows - 1} units and "Unassigned")`);
        } else if (opts.xlsx !== undefined) {
          await writeUnitReportXlsx(opts.xlsx, charges);
          println(io.stdout, `${opts.xlsx}: written`);
        } else {
          const { header, rows, total } = unitReportText(charges);
          const { account } = charges;
          println(io.stdout, `${account._id} (${account.name}): calls ${from} to ${to} (${account.timezone}); recurring: one month`);
          println(io.stdout, renderTable(header, [...rows, total], ['left', 'left', ...header.slice(2).map(() => 'right' as const)]));
        }
      });
    });
}

export function registerUnits(program: Command, io: CliIO): void {
  const units = program
    .command('units')
    .description('Billing units: group an account’s numbers and users (a branch, department, brand or client) and break its charges down by them.');

  units
    .command('list')
    .description("The account's billing units with how many numbers and users each holds.")
    .argument('<account>')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        const found = await listBillingUnits(app.store, accountId);
        println(
          io.stdout,
          found.length === 0 ? `(account "${accountId}" has no billing units)` : renderTable(['unit', 'id', 'numbers', 'users'], found.map((u) => [u.unit.name, u.unit._id, u.numbers, u.users])),
        );
      }),
    );

  units
    .command('add')
    .description('Add a billing unit; names are unique within the account, whatever their case or spacing.')
    .argument('<account>')
    .argument('<name>', 'up to 64 characters; "Unassigned" is reserved')
    .action((accountId: string, name: string) =>
      asUsage(() =>
        withApp(io, async (app) => {
          const unit = await addBillingUnit(app.store, accountId, name, app.deps.now());
          println(io.stdout, `billing unit "${unit.name}" added to ${accountId} (id ${unit._id})`);
        }),
      ),
    );

  units
    .command('rename')
    .description('Rename a billing unit (its id, numbers and users stay).')
    .argument('<account>')
    .argument('<unit>', 'the unit’s name or id')
    .argument('<new_name>')
    .action((accountId: string, unit: string, newName: string) =>
      asUsage(() =>
        withApp(io, async (app) => {
          const renamed = await renameBillingUnit(app.store, accountId, unit, newName, app.deps.now());
          println(io.stdout, `billing unit "${renamed.from}" renamed "${renamed.unit.name}"`);
        }),
      ),
    );

  units
    .command('remove')
    .description('Remove a billing unit; its numbers and users are released (they stay in the account).')
    .argument('<account>')
    .argument('<unit>', 'the unit’s name or id')
    .action((accountId: string, unit: string) =>
      withApp(io, async (app) => {
        const removed = await removeBillingUnit(app.store, accountId, unit);
        println(io.stdout, `billing unit "${removed.unit.name}" removed; released ${removed.numbers} number(s) and ${removed.users} user(s)`);
      }),
    );

  units
    .command('assign')
    .description('Assign numbers and users of the account to a unit. A number in another unit is refused unless --move.')
    .argument('<account>')
    .argument('<unit>', 'the unit’s name or id')
    .option('--numbers <list>', 'phone numbers, E.164, comma-separated', collectList, [])
    .option('--users <list>', 'users by inventory id or name, comma-separated', collectList, [])
    .option('--move', 'move numbers that are in another unit')
    .action((accountId: string, unit: string, opts: MemberOptions & { move?: boolean }) =>
      asUsage(() => {
        const request = { ...members(opts), move: opts.move === true };
        return withApp(io, async (app) => {
          const outcome = await assignToBillingUnit(app.store, accountId, unit, request, app.deps.now());
          for (const line of assignSummary(outcome)) println(io.stdout, line);
        });
      }),
    );

  units
    .command('unassign')
    .description('Release numbers and users from a unit.')
    .argument('<account>')
    .argument('<unit>', 'the unit’s name or id')
    .option('--numbers <list>', 'phone numbers, comma-separated', collectList, [])
    .option('--users <list>', 'users by inventory id or name, comma-separated', collectList, [])
    .action((accountId: string, unit: string, opts: MemberOptions) =>
      asUsage(() => {
        const request = members(opts);
        return withApp(io, async (app) => {
          const released = await unassignFromBillingUnit(app.store, accountId, unit, request, app.deps.now());
          println(io.stdout, `released from "${released.unit.name}": ${[...released.numbers, ...released.users].join(', ')}`);
        });
      }),
    );

  units
    .command('show')
    .description("A unit's numbers (with their type) and users.")
    .argument('<account>')
    .argument('<unit>', 'the unit’s name or id')
    .action((accountId: string, unit: string) =>
      withApp(io, async (app) => {
        const details = await showBillingUnit(app.store, accountId, unit);
        println(io.stdout, `${details.unit.name} (${details.unit._id}), account ${accountId}`);
        println(io.stdout, `numbers (${details.numbers.length}):`);
        if (details.numbers.length > 0) {
          println(io.stdout, renderTable(['number', 'type'], details.numbers.map((n) => [n.number, n.type ?? '(no longer in the inventory)'])));
        }
        println(io.stdout, `users (${details.users.length}):`);
        if (details.users.length > 0) {
          println(io.stdout, renderTable(['user', 'name', 'type'], details.users.map((u) => [u.id, u.name ?? '', u.type ?? '(no longer in the inventory)'])));
        }
      }),
    );

  registerReport(units, io);
}
