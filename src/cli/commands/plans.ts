import { basename } from 'node:path';
import type { Command } from 'commander';
import { assignPlanToAccount, importPlan, unassignPlanFromAccount } from '../../admin/plans';
import { evaluateScenario, issueToText, renderEvaluationTable, scenarioToJson, validatePlanDocument } from '../../domain/plans';
import type { Issue } from '../../domain/plans';
import { listPlans } from '../../store/plans';
import { AlreadyReported, println } from '../io';
import type { CliIO } from '../io';
import { readJsonFile } from '../read-json';
import { withApp } from '../session';
import { renderTable } from '../table';

function printIssues(stream: NodeJS.WritableStream, prefix: string, kind: 'error' | 'warning', issues: readonly Issue[]): void {
  for (const issue of issues) println(stream, `${prefix}${kind}: ${issueToText(issue)}`);
}

function nameOf(document: unknown, fallback: string): string {
  const name = (document as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

export function registerPlans(program: Command, io: CliIO): void {
  const plans = program.command('plans').description('KAZOO service plans: validate, price, import, assign.');

  plans
    .command('validate')
    .description('Check plan documents: errors (exit 1) and warnings for what KAZOO would silently get wrong.')
    .argument('<files...>', 'plan documents ({ "plan": {...}, "merge"?: {...} })')
    .action(async (files: string[]) => {
      let errors = 0;
      for (const file of files) {
        const report = validatePlanDocument(await readJsonFile(file));
        printIssues(io.stderr, `${file}: `, 'error', report.errors);
        printIssues(io.stdout, `${file}: `, 'warning', report.warnings);
        if (report.errors.length === 0) println(io.stdout, `${file}: valid${report.warnings.length > 0 ? `, ${report.warnings.length} warning(s)` : ''}`);
        errors += report.errors.length;
      }
      if (errors > 0) throw new AlreadyReported();
    });

  plans
    .command('evaluate')
    .description('Price a scenario: plans, overrides and quantities (and proposed quantities for activation charges).')
    .argument('<scenario>', 'scenario JSON: {"plans": [...], "overrides"?, "quantities": {account, cascade, manual}, "proposed"?}')
    .option('--json', 'print the items and totals as JSON (money as decimal strings)')
    .action(async (file: string, opts: { json?: boolean }) => {
      const result = evaluateScenario(await readJsonFile(file));
      // Warnings go to stderr so that --json output stays parseable.
      printIssues(io.stderr, '', 'warning', result.warnings);
      if (!result.ok) {
        printIssues(io.stderr, '', 'error', result.errors);
        throw new AlreadyReported();
      }
      println(io.stdout, opts.json ? JSON.stringify(scenarioToJson(result.evaluation), null, 2) : renderEvaluationTable(result.evaluation));
    });

  plans
    .command('import')
    .description('Store a plan document with its owner (a reseller or the master); the same id again replaces it.')
    .argument('<file>', 'plan document')
    .requiredOption('--owner <account>', 'the reseller (or master) that owns the plan')
    .option('--id <id>', 'plan id (default: the file name without .json)')
    .option('--name <name>', 'display name (default: the document\'s "name", else the id)')
    .action(async (file: string, opts: { owner: string; id?: string; name?: string }) => {
      const document = await readJsonFile(file);
      const id = opts.id ?? basename(file).replace(/\.json$/i, '');
      await withApp(io, async (app) => {
        const warnings = await importPlan(app.store, { id, ownerId: opts.owner, name: opts.name ?? nameOf(document, id), document }, app.deps.now());
        printIssues(io.stdout, `${file}: `, 'warning', warnings);
        println(io.stdout, `plan "${id}" imported for ${opts.owner}`);
      });
    });

  plans
    .command('assign')
    .description("Assign one of the account's reseller's plans to the account (marks it dirty).")
    .argument('<account>')
    .argument('<plan>')
    .option('--overrides <file>', 'per-account overrides shaped like the plan ({CATEGORY: {ITEM: {...}}})')
    .action(async (account: string, plan: string, opts: { overrides?: string }) => {
      const overrides = opts.overrides === undefined ? undefined : await readJsonFile(opts.overrides);
      await withApp(io, async (app) => {
        await assignPlanToAccount(app.store, account, plan, overrides, app.deps.now());
        println(io.stdout, `plan "${plan}" assigned to ${account}; the account is marked dirty for reconciliation`);
      });
    });

  plans
    .command('unassign')
    .description('Remove a plan from an account (marks it dirty).')
    .argument('<account>')
    .argument('<plan>')
    .action((account: string, plan: string) =>
      withApp(io, async (app) => {
        await unassignPlanFromAccount(app.store, account, plan, app.deps.now());
        println(io.stdout, `plan "${plan}" removed from ${account}; the account is marked dirty for reconciliation`);
      }),
    );

  plans
    .command('list')
    .description('The plans available, by owner.')
    .option('--owner <account>', 'only the plans of this reseller')
    .action((opts: { owner?: string }) =>
      withApp(io, async (app) => {
        const found = await listPlans(app.store, opts.owner);
        const counts = await app.store.planAssignments
          .aggregate<{ _id: string; n: number }>([{ $match: { planId: { $in: found.map((p) => p._id) } } }, { $group: { _id: '$planId', n: { $sum: 1 } } }])
          .toArray();
        const assigned = new Map(counts.map((c) => [c._id, c.n]));
        println(
          io.stdout,
          found.length === 0
            ? '(no plans)'
            : renderTable(['plan', 'owner', 'name', 'assigned to'], found.map((p) => [p._id, p.ownerId, p.name, assigned.get(p._id) ?? 0])),
        );
      }),
    );
}
