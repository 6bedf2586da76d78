/**
 * Builds a reseller report and mails it, once. Every step can be repeated: workbooks whose file is complete and
 * whose account is recorded are not built again, summaries and the archive are kept once complete, and the mail goes
 * through sendOnce under the request id. After the mail the work folder is removed and the request marked sent;
 * a run that finds it sent does nothing.
 *
 * The period is the reseller's (its local dates); each account's calls are shown in the account's own wall clock.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { localDayRange } from '../domain/calendar';
import { accountWorkbookName, archiveName, summaryNames } from '../domain/reports/file-names';
import { reportMailKey } from '../domain/reports/request';
import { summaryQuantities, summaryTable } from '../domain/reports/summary';
import type { AccountTally } from '../domain/reports/summary';
import { UsageByCountry } from '../domain/reports/usage-by-country';
import type { Deps } from '../runtime/deps';
import { getAccount } from '../store/accounts';
import type { ReportRequestDoc } from '../store/documents';
import { sendOnce } from '../store/mail-log';
import { quantitiesOf } from '../store/quantities';
import { markReportSent, recordReportAccount, recordReportFailure, reportAccounts } from '../store/report-requests';
import { writeAccountWorkbook } from './account-workbook';
import { billingUnitTable } from './billing-unit-sheet';
import { exists } from './built-file';
import { reportMail } from './report-mail';
import type { ReportFile } from './report-mail';
import { requestReport } from './request-report';
import type { ReportAsk } from './request-report';
import { writeSummaryCsv, writeSummaryWorkbook } from './summary-files';
import { zipFiles } from './zip-files';

export type ReportDeps = Pick<Deps, 'store' | 'mailer' | 'now' | 'config'>;

export interface ReportOptions {
  /** 0-100 as the report progresses (the job's progress). */
  progress?: (percent: number) => Promise<void>;
  /** Data rows per CDR sheet (tests use small sheets to see calls continue on "CDRs (2)"). */
  rowsPerSheet?: number;
}

export interface ReportOutcome {
  requestId: string;
  status: 'sent' | 'already-sent';
  accounts: number;
  calls: number;
  workbooksBuilt: number;
  workbooksKept: number;
  attachments: string[];
}

export async function runReport(deps: ReportDeps, ask: ReportAsk, options: ReportOptions = {}): Promise<ReportOutcome> {
  const request = await requestReport(deps, ask);
  if (request.status === 'sent') {
    return { requestId: request._id, status: 'already-sent', accounts: request.accountIds.length, calls: 0, workbooksBuilt: 0, workbooksKept: 0, attachments: (request.attachments ?? []).map((a) => a.filename) };
  }
  try {
    return await buildAndSend(deps, request, options);
  } catch (error) {
    await recordReportFailure(deps.store, request._id, (error as Error).message, deps.now());
    throw error;
  }
}

async function buildAndSend(deps: ReportDeps, request: ReportRequestDoc, options: ReportOptions): Promise<ReportOutcome> {
  const progress = options.progress ?? (async () => {});
  const dir = join(deps.config.reportWorkDir, request._id);
  await mkdir(dir, { recursive: true });
  const reseller = await getAccount(deps.store, request.resellerId);
  const startedAt = { $gte: localDayRange(request.from, reseller.timezone).start, $lt: localDayRange(request.to, reseller.timezone).end };

  const built = await reportAccounts(deps.store, request._id);
  const todo: string[] = [];
  for (const id of request.accountIds) {
    if (!built.has(id) || !(await exists(join(dir, accountWorkbookName(id, request))))) todo.push(id);
  }
  const accounts = new Map((await deps.store.accounts.find({ _id: { $in: todo } }).toArray()).map((a) => [a._id, a] as const));
  const quantities = await quantitiesOf(deps.store, todo);
  const expected = await countCalls(deps, todo, startedAt);
  let written = 0;
  const report = async (calls: number) => progress(Math.min(90, Math.floor((90 * (written + calls)) / Math.max(1, expected))));

  for (const id of todo) {
    const account = accounts.get(id);
    if (!account) throw new Error(`account ${id} of report ${request._id} no longer exists`);
    const file = accountWorkbookName(id, request);
    const stored = quantities.get(id) ?? null;
    const facts = { accountId: id, name: account.name, timezone: account.timezone, quantities: summaryQuantities(stored), quantitiesAt: stored?.updatedAt ?? null };
    const result = await writeAccountWorkbook(join(dir, file), {
      facts,
      period: request,
      calls: deps.store.cdrs.find({ accountId: id, startedAt }).sort({ startedAt: 1 }),
      billingUnits: await billingUnitTable(deps.store, id, request, reseller.timezone),
      ...(options.rowsPerSheet ? { rowsPerSheet: options.rowsPerSheet } : {}),
      onProgress: report,
    });
    // Recorded after the file is in place: an account is skipped only when both are there.
    await recordReportAccount(deps.store, { requestId: request._id, ...facts, countries: result.usage.byCountry(), file, sheets: result.sheets, builtAt: deps.now() });
    written += result.calls;
    await report(0);
  }

  const tallies = await accountTallies(deps, request);
  const names = summaryNames(request);
  const table = summaryTable(tallies);
  if (!(await exists(join(dir, names.csv)))) await writeSummaryCsv(join(dir, names.csv), table);
  if (!(await exists(join(dir, names.workbook)))) await writeSummaryWorkbook(join(dir, names.workbook), table);
  await progress(95);

  const files = await describeFiles(dir, [
    ...tallies.map((t) => ({ filename: accountWorkbookName(t.facts.accountId, request), what: `${t.facts.name}: calls, summary, by country` })),
    { filename: names.csv, what: 'summary of all accounts (CSV)' },
    { filename: names.workbook, what: 'summary of all accounts (Excel)' },
  ]);
  const archive = await archiveIfLarge(deps, dir, request, files);
  const overall = new UsageByCountry();
  for (const t of tallies) overall.addAll(t.usage);
  const message = reportMail({
    recipients: request.emails,
    resellerName: reseller.name,
    timezone: reseller.timezone,
    period: request,
    accountCount: tallies.length,
    usage: overall.total.total,
    files,
    archive,
  });
  const sent = await sendOnce(deps, reportMailKey(request._id), message);
  const attachments = (archive ? [archive] : files).map((f) => ({ filename: f.filename, bytes: f.bytes }));
  await markReportSent(deps.store, request._id, { attachments, messageId: sent.messageId }, deps.now());
  await rm(dir, { recursive: true, force: true });
  await progress(100);
  return {
    requestId: request._id,
    status: sent.status,
    accounts: tallies.length,
    calls: overall.total.total.calls,
    workbooksBuilt: todo.length,
    workbooksKept: request.accountIds.length - todo.length,
    attachments: attachments.map((a) => a.filename),
  };
}

async function countCalls(deps: ReportDeps, accountIds: readonly string[], startedAt: { $gte: Date; $lt: Date }): Promise<number> {
  let total = 0;
  for (const accountId of accountIds) total += await deps.store.cdrs.countDocuments({ accountId, startedAt });
  return total;
}

/** Every account of the request as recorded when its workbook was built, in the order of the request. */
async function accountTallies(deps: ReportDeps, request: ReportRequestDoc): Promise<AccountTally[]> {
  const built = await reportAccounts(deps.store, request._id);
  return request.accountIds.map((id) => {
    const doc = built.get(id);
    if (!doc) throw new Error(`report ${request._id}: account ${id} has no workbook recorded`);
    return {
      facts: { accountId: id, name: doc.name, timezone: doc.timezone, quantities: doc.quantities, quantitiesAt: doc.quantitiesAt },
      usage: UsageByCountry.fromCountries(doc.countries),
    };
  });
}

async function describeFiles(dir: string, files: readonly Omit<ReportFile, 'path' | 'bytes'>[]): Promise<ReportFile[]> {
  return Promise.all(
    files.map(async (f) => {
      const path = join(dir, f.filename);
      return { ...f, path, bytes: (await stat(path)).size };
    }),
  );
}

/** One archive instead of the files when they add up to more than REPORT_ZIP_THRESHOLD_BYTES. */
async function archiveIfLarge(deps: ReportDeps, dir: string, request: ReportRequestDoc, files: readonly ReportFile[]): Promise<ReportFile | null> {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  if (total <= deps.config.reportZipThresholdBytes) return null;
  const filename = archiveName(request);
  const path = join(dir, filename);
  if (!(await exists(path))) await zipFiles(path, files.map((f) => ({ path: f.path, name: f.filename })));
  return { filename, path, bytes: (await stat(path)).size, what: `${files.length} files` };
}

