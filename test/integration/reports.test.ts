import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import yauzl from 'yauzl';
import { addBillingUnit } from '../../src/admin/billing-units';
import { SeededRandom } from '../../src/demo/random';
import { CDR_SHEET_COLUMNS } from '../../src/domain/reports/cdr-cells';
import { parseUnits } from '../../src/domain/money';
import { runReport } from '../../src/reports/run-report';
import type { App } from '../../src/runtime/app';
import { upsertAccount } from '../../src/store/accounts';
import type { CdrDoc, QuantitiesDoc } from '../../src/store/documents';
import { startWorkers } from '../../src/worker/worker-host';
import type { WorkerHost } from '../../src/worker/worker-host';
import { runTollkeeper } from '../support/cli';
import { startTestSmtp } from '../support/smtp';
import type { TestSmtp } from '../support/smtp';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { untilJobState } from '../support/until';

const NOW = new Date('2026-04-10T12:00:00Z');
const ZONES: Record<string, string> = { c1: 'Europe/Berlin', c2: 'America/Los_Angeles', c3: 'UTC' };
// acme's March 2026 in New York: EST until the 8th, EDT after.
const MARCH = { $gte: new Date('2026-03-01T05:00:00Z'), $lt: new Date('2026-04-01T04:00:00Z') };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let smtp: TestSmtp;
let env: NodeJS.ProcessEnv;
let app: App;
let host: WorkerHost;
let workDir: string;

function calls(accountId: string, count: number, seed: number): CdrDoc[] {
  const seeded = new SeededRandom(seed);
  const next = () => seeded.next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const start = Date.parse('2026-02-28T20:00:00Z');
  const span = Date.parse('2026-04-01T10:00:00Z') - start;
  return Array.from({ length: count }, (_, i) => ({
    _id: `${accountId}-call-${i}@pbx.example`,
    accountId,
    // Whole distinct seconds: the CDR sheet's order is then the only possible one.
    startedAt: new Date(start + Math.floor((next() * span) / 1000 / count) * 1000 * count + i * 1000),
    callerId: `+1212555${String(1000 + i).slice(-4)}`,
    toNumber: `+49301234${String(i).padStart(3, '0')}`,
    direction: pick(['inbound', 'outbound'] as const),
    country: pick(['US', 'DE', 'MX', 'GB']),
    billingSeconds: Math.floor(next() * 3600),
    rate: pick([0, 125, 4500, 20_000]),
    rateName: pick(['US-local', 'DE-fixed', 'MX-mobile']),
    resellerCallType: pick(['flat_rate', 'per_minute'] as const),
    resellerCost: Math.floor(next() * 50_000),
    customerCallType: pick(['flat_rate', 'per_minute'] as const),
    customerCost: Math.floor(next() * 80_000),
    resellerCostBreakdown: next() < 0.3 ? 'base 0.0125/min; surcharge 0.01' : null,
    source: 'test',
    importedAt: NOW,
  }));
}

const QUANTITIES: QuantitiesDoc[] = [
  {
    _id: 'c1',
    account: { devices: { sip_device: 5, softphone: 2 }, phone_numbers: { did_us: 3, tollfree_us: 1 }, users: { user: 4, admin: 1 }, branding: { whitelabel: 1 } },
    cascade: {},
    manual: { devices: { softphone: 7 } },
    updatedAt: new Date('2026-04-01T00:00:00Z'),
  },
  { _id: 'c2', account: { limits: { twoway_trunks: 2 }, number_services: { e911: 3, port: 1 }, ledgers: { 'per-minute-voip': 12 } }, cascade: {}, manual: {}, updatedAt: new Date('2026-04-02T00:00:00Z') },
];

beforeAll(async () => {
  smtp = await startTestSmtp();
  workDir = mkdtempSync(join(tmpdir(), 'tk-reports-'));
  env = isolatedEnv('reports', { SMTP_URL: smtp.url, REPORT_WORK_DIR: workDir, REPORT_ZIP_THRESHOLD_BYTES: String(50 * 1024 * 1024) });
  app = await openTestApp(env, () => NOW);
  const s = app.store;
  await upsertAccount(s, { id: 'master', name: 'Platform', parentId: null, timezone: 'UTC' }, NOW);
  await upsertAccount(s, { id: 'acme', name: 'Acme Voice', parentId: 'master', isReseller: true, timezone: 'America/New_York', billing: { contactEmail: 'billing@acme.example' } }, NOW);
  await upsertAccount(s, { id: 'c1', name: 'Berlin Bakery', parentId: 'acme', timezone: ZONES.c1! }, NOW);
  await upsertAccount(s, { id: 'c2', name: 'LA Lawyers', parentId: 'acme', timezone: ZONES.c2! }, NOW);
  await upsertAccount(s, { id: 'c3', name: 'Bakery Branch, "Mitte"', parentId: 'c1', timezone: ZONES.c3! }, NOW);
  await upsertAccount(s, { id: 'globex', name: 'Globex', parentId: 'master', isReseller: true, timezone: 'Europe/Berlin' }, NOW);
  await upsertAccount(s, { id: 'g1', name: 'Globex Customer', parentId: 'globex', timezone: 'Europe/Berlin' }, NOW);
  await s.cdrs.insertMany([...calls('c1', 60, 1), ...calls('c2', 45, 2), ...calls('c3', 20, 3), ...calls('g1', 10, 4)]);
  await s.quantities.insertMany(QUANTITIES);
  host = startWorkers(app.deps, app.redis, { queues: ['reports'], concurrency: 1 });
});

afterAll(async () => {
  await host.close(5000);
  await closeTestApp(app);
  await smtp.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function workbook(content: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  return book;
}

function attachment(mail: ParsedMail, name: string): Buffer {
  const found = mail.attachments.find((a) => a.filename === name);
  if (!found) throw new Error(`no attachment ${name} in ${mail.attachments.map((a) => a.filename).join(', ')}`);
  return found.content;
}

async function storedCalls(accountId: string): Promise<CdrDoc[]> {
  return app.store.cdrs.find({ accountId, startedAt: MARCH }).sort({ startedAt: 1 }).toArray();
}

interface Totals {
  calls: number;
  minutes: number;
  reseller: number;
  customer: number;
}

function totals(list: readonly CdrDoc[]): Totals {
  return list.reduce((t, c) => ({ calls: t.calls + 1, minutes: t.minutes + Math.ceil(c.billingSeconds / 60), reseller: t.reseller + c.resellerCost, customer: t.customer + c.customerCost }), {
    calls: 0,
    minutes: 0,
    reseller: 0,
    customer: 0,
  });
}

const dollars = (units: number) => units / 10_000;

describe('a report of 3 accounts, requested on the CLI, run by the worker, mailed over SMTP', () => {
  let mail: ParsedMail;

  beforeAll(async () => {
    const run = await runTollkeeper(['report', '--reseller', 'acme', '--accounts', 'c1,c2,c3', '--from', '2026-03-01', '--to', '2026-03-31', '--email', 'owner@acme.example', '--wait'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^report report-acme-2026-03-01-2026-03-31-[0-9a-f]{12} enqueued as job/);
    mail = (await smtp.waitFor(1))[0]!;
  });

  it('mails the workbooks and the CSV to the destination, listing them', () => {
    expect(mail.to).toMatchObject({ text: 'owner@acme.example' });
    expect(mail.subject).toBe('Usage report 2026-03-01 to 2026-03-31: 3 accounts');
    const names = mail.attachments.map((a) => a.filename);
    expect(names).toEqual([
      'c1_2026-03-01_2026-03-31.xlsx',
      'c2_2026-03-01_2026-03-31.xlsx',
      'c3_2026-03-01_2026-03-31.xlsx',
      'summary_acme_2026-03-01_2026-03-31.csv',
      'summary_acme_2026-03-01_2026-03-31.xlsx',
    ]);
    for (const name of names) expect(mail.text).toContain(name!);
    expect(mail.html).toContain('Berlin Bakery');
    expect(mail.attachments[0]!.contentType).toBe(XLSX);
  });

  it.each(['c1', 'c2', 'c3'])("%s: every CDR cell is the stored call's, dates in the account's wall clock", async (accountId) => {
    const book = await workbook(attachment(mail, `${accountId}_2026-03-01_2026-03-31.xlsx`));
    expect(book.worksheets.map((w) => w.name)).toEqual(['CDRs', 'Summary', 'By country']);
    const sheet = book.getWorksheet('CDRs')!;
    const expected = await storedCalls(accountId);
    expect(expected.length).toBeGreaterThan(5);
    expect(sheet.rowCount).toBe(expected.length + 1);
    // The headings themselves are pinned by the unit test of CDR_SHEET_COLUMNS; the file must carry them.
    expect(sheet.getRow(1).values).toEqual([undefined, ...CDR_SHEET_COLUMNS.map((c) => c.header)]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:M${expected.length + 1}`);
    expected.forEach((call, i) => {
      const row = sheet.getRow(i + 2);
      const offset = DateTime.fromJSDate(call.startedAt, { zone: ZONES[accountId] }).offset;
      expect(row.getCell(1).value).toEqual(new Date(call.startedAt.getTime() + offset * 60_000));
      expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect(row.values).toEqual([
        undefined,
        row.getCell(1).value,
        call._id,
        call.callerId,
        call.toNumber,
        Math.ceil(call.billingSeconds / 60),
        dollars(call.rate),
        call.rateName,
        call.resellerCallType,
        dollars(call.resellerCost),
        call.customerCallType,
        dollars(call.customerCost),
        ...(call.resellerCostBreakdown ? [call.resellerCostBreakdown] : [undefined]),
        call.country,
      ]);
      expect([row.getCell(6).numFmt, row.getCell(9).numFmt, row.getCell(11).numFmt]).toEqual(['0.0000', '#,##0.00', '#,##0.00']);
    });
  });

  it.each(['c1', 'c2', 'c3'])('%s: Summary and By country agree with the stored quantities and calls', async (accountId) => {
    const book = await workbook(attachment(mail, `${accountId}_2026-03-01_2026-03-31.xlsx`));
    const items = new Map<string, unknown>();
    book.getWorksheet('Summary')!.eachRow((row, n) => n > 1 && items.set(row.getCell(1).text, row.getCell(2).value));
    const q = QUANTITIES.find((d) => d._id === accountId);
    const qty = (category: string, item: string) => q?.manual[category]?.[item] ?? q?.account[category]?.[item] ?? 0;
    expect(items.get('Account ID')).toBe(accountId);
    expect(items.get('Softphone Devices')).toBe(qty('devices', 'softphone'));
    for (const [label, category, item] of [
      ['SIP Devices', 'devices', 'sip_device'],
      ['US DIDs', 'phone_numbers', 'did_us'],
      ['Toll-free US Numbers', 'phone_numbers', 'tollfree_us'],
      ['Users', 'users', 'user'],
      ['User Admins', 'users', 'admin'],
      ['Branding White Label', 'branding', 'whitelabel'],
      ['Two-way Trunks', 'limits', 'twoway_trunks'],
      ['E-911', 'number_services', 'e911'],
      ['Ports', 'number_services', 'port'],
      ['Ledgers Per Minute', 'ledgers', 'per-minute-voip'],
    ] as const) {
      expect([label, items.get(label)]).toEqual([label, qty(category, item)]);
    }
    const all = await storedCalls(accountId);
    const t = totals(all);
    expect([items.get('Calls'), items.get('Billing Minutes'), items.get('Reseller Cost'), items.get('Customer Cost')]).toEqual([t.calls, t.minutes, dollars(t.reseller), dollars(t.customer)]);
    expect(items.get('Per-minute Calls')).toBe(all.filter((c) => c.resellerCallType === 'per_minute').length);

    const byCountry = book.getWorksheet('By country')!;
    const countries = [...new Set(all.map((c) => c.country))].sort();
    expect(byCountry.rowCount).toBe(countries.length + 2);
    countries.forEach((country, i) => {
      const mine = all.filter((c) => c.country === country);
      const flat = totals(mine.filter((c) => c.resellerCallType === 'flat_rate'));
      const perMinute = totals(mine.filter((c) => c.resellerCallType === 'per_minute'));
      const sum = totals(mine);
      const row = (byCountry.getRow(i + 2).values as unknown[]).slice(1);
      expect(row).toEqual([country, ...[sum, flat, perMinute].flatMap((x) => [x.calls, x.minutes, dollars(x.reseller), dollars(x.customer)])]);
    });
    expect(byCountry.getRow(countries.length + 2).getCell(1).value).toBe('All countries');
  });

  it('the CSV summary parses and adds up: account rows, their country rows, the all-accounts rows', async () => {
    const rows = parse<Record<string, string>>(attachment(mail, 'summary_acme_2026-03-01_2026-03-31.csv'), { columns: true, bom: true });
    const all: CdrDoc[] = [];
    for (const accountId of ['c1', 'c2', 'c3']) {
      const mine = await storedCalls(accountId);
      all.push(...mine);
      const own = rows.filter((r) => r['Account ID'] === accountId);
      const t = totals(mine);
      expect(own[0]).toMatchObject({ Country: 'All countries', Calls: String(t.calls), 'Billing Minutes': String(t.minutes) });
      expect(parseUnits(own[0]!['Reseller Cost']!)).toBe(t.reseller);
      expect(parseUnits(own[0]!['Customer Cost']!)).toBe(t.customer);
      expect(own[0]!['SIP Devices']).toBe(String(QUANTITIES.find((d) => d._id === accountId)?.account.devices?.sip_device ?? 0));
      for (const row of own.slice(1)) {
        const inCountry = totals(mine.filter((c) => c.country === row.Country));
        expect([row.Calls, parseUnits(row['Customer Cost']!), row['SIP Devices']]).toEqual([String(inCountry.calls), inCountry.customer, '']);
      }
      expect(own.slice(1).map((r) => r.Country)).toEqual([...new Set(mine.map((c) => c.country))].sort());
    }
    const overall = rows.find((r) => r['Account ID'] === 'All accounts' && r.Country === 'All countries')!;
    const t = totals(all);
    expect([overall.Calls, overall['Billing Minutes'], parseUnits(overall['Reseller Cost']!), parseUnits(overall['Customer Cost']!)]).toEqual([String(t.calls), String(t.minutes), t.reseller, t.customer]);
    expect(overall['SIP Devices']).toBe('5');
    expect(overall['Softphone Devices']).toBe('7');

    const book = await workbook(attachment(mail, 'summary_acme_2026-03-01_2026-03-31.xlsx'));
    const sheet = book.getWorksheet('Summary')!;
    expect(sheet.rowCount).toBe(rows.length + 1);
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    const total = Array.from({ length: sheet.rowCount }, (_, i) => cells(i + 1)).find((r) => r[0] === 'All accounts' && r[2] === 'All countries')!;
    const header = cells(1) as string[];
    const at = (name: string) => total[header.indexOf(name)];
    expect([at('Calls'), at('Billing Minutes'), at('Reseller Cost'), at('Customer Cost'), at('SIP Devices'), at('Name')]).toEqual([t.calls, t.minutes, dollars(t.reseller), dollars(t.customer), 5, undefined]);
  });

  it('asked again, it sends nothing: the request is answered as already sent', async () => {
    const again = await runTollkeeper(['report', '--reseller', 'acme', '--accounts', 'c3,c2,c1', '--from', '2026-03-01', '--to', '2026-03-31', '--email', 'owner@acme.example'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already sent to owner@acme.example');
    const ask = { resellerId: 'acme', accounts: ['c1', 'c2', 'c3'], all: false, from: '2026-03-01', to: '2026-03-31', emails: ['owner@acme.example'] };
    expect((await runReport(app.deps, ask)).status).toBe('already-sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(1);
    expect(readdirSync(workDir)).toEqual([]);
  });
});

describe('refusals', () => {
  it("refuses an account outside the reseller's tree: exit 2, nothing stored, enqueued or sent", async () => {
    const before = smtp.messages.length;
    const run = await runTollkeeper(['report', '--reseller', 'acme', '--accounts', 'c1,g1', '--from', '2026-03-01', '--to', '2026-03-31', '--email', 'owner@acme.example'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: accounts: "g1": not accounts of reseller acme; a reseller reports only on its own accounts\n');
    expect(await app.store.reportRequests.countDocuments({ accountIds: 'g1' })).toBe(0);
    expect(await app.producer.queue('reports').getJobCountByTypes('waiting', 'active', 'delayed')).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before);
  });

  it('a job enqueued by another client with such an account is rejected, not retried, and mails nothing', async () => {
    const before = smtp.messages.length;
    const job = await app.producer.enqueue('report', { resellerId: 'globex', accounts: ['c2'], from: '2026-03-01', to: '2026-03-31', emails: ['x@globex.example'] });
    await untilJobState(app.producer.queue('reports'), job.id!, 'failed');
    const run = await app.store.jobRuns.findOne({ jobId: job.id! });
    expect(run).toMatchObject({ outcome: 'rejected', error: 'accounts: "c2": not accounts of reseller globex; a reseller reports only on its own accounts' });
    expect(smtp.messages).toHaveLength(before);
  });

  it.each([
    [['--from', '2026-03-31', '--to', '2026-03-01'], 'to: 2026-03-01 is before from (2026-03-31)'],
    // The CLI runs on the real clock: tomorrow, wherever acme is, is after today.
    [['--from', '2026-03-01', '--to', new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)], 'is after today ('],
    [['--from', '2024-01-01', '--to', '2026-03-01'], 'a report covers at most 366'],
    [['--from', '2026-03-1', '--to', '2026-03-31'], 'from: a date as YYYY-MM-DD'],
  ])('refuses the period %j', async (period, message) => {
    const run = await runTollkeeper(['report', '--reseller', 'acme', '--all', ...period, '--email', 'owner@acme.example'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('restartable', () => {
  it('a send that fails leaves the workbooks; the rerun mails once without rebuilding them', async () => {
    const before = smtp.messages.length;
    const args = ['report', '--reseller', 'acme', '--all', '--from', '2026-03-01', '--to', '2026-03-15', '--email', 'owner@acme.example', '--now'];
    const down = await runTollkeeper(args, { ...env, SMTP_URL: 'smtp://127.0.0.1:9' });
    expect(down.code).toBe(1);
    const [folder] = readdirSync(workDir);
    const files = readdirSync(join(workDir, folder!)).sort();
    expect(files).toEqual(['c1_2026-03-01_2026-03-15.xlsx', 'c2_2026-03-01_2026-03-15.xlsx', 'c3_2026-03-01_2026-03-15.xlsx', 'summary_acme_2026-03-01_2026-03-15.csv', 'summary_acme_2026-03-01_2026-03-15.xlsx']);
    const first = new Map(files.map((f) => [f, { bytes: readFileSync(join(workDir, folder!, f)), mtime: statSync(join(workDir, folder!, f)).mtimeMs }]));
    expect((await app.store.reportRequests.findOne({ _id: folder! }))?.error).toMatch(/ECONNREFUSED|connect/);
    // exceljs stamps the time into a workbook: a rebuilt one would differ from the first.
    await new Promise((r) => setTimeout(r, 1100));

    const up = await runTollkeeper(args, env);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    for (const [name, file] of first) expect(attachment(mail!, name).equals(file.bytes)).toBe(true);
    expect(await app.store.reportRequests.findOne({ _id: folder! })).toMatchObject({ status: 'sent', error: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 1);
  });
});

describe('large reports', () => {
  it('continues calls on "CDRs (2)", ... when a sheet is full', async () => {
    const before = smtp.messages.length;
    const ask = { resellerId: 'acme', accounts: ['c1'], all: false, from: '2026-03-01', to: '2026-03-31', emails: ['owner@acme.example'], requestId: 'small-sheets' };
    const outcome = await runReport(app.deps, ask, { rowsPerSheet: 7 });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const book = await workbook(attachment(mail!, 'c1_2026-03-01_2026-03-31.xlsx'));
    const expected = await storedCalls('c1');
    const cdrSheets = book.worksheets.filter((w) => w.name.startsWith('CDRs'));
    expect(cdrSheets.map((w) => w.name)).toEqual(Array.from({ length: Math.ceil(expected.length / 7) }, (_, i) => (i === 0 ? 'CDRs' : `CDRs (${i + 1})`)));
    const ids = cdrSheets.flatMap((w) => {
      expect(w.getRow(1).getCell(2).value).toBe('Call ID');
      return w.getSheetValues().slice(2).map((r) => (r as unknown[])[2]);
    });
    expect(ids).toEqual(expected.map((c) => c._id));
    expect(outcome.calls).toBe(expected.length);
  });

  it('adds "By billing unit" from the billing-unit allocation when the account has units', async () => {
    const before = smtp.messages.length;
    await addBillingUnit(app.store, 'c3', 'Sales', NOW);
    // Two calls on the evening of 31 March in New York, already April in c3's own zone (UTC).
    const edges = calls('c3', 2, 99).map((call, i) => ({ ...call, _id: `c3-edge-${i}@pbx.example`, startedAt: new Date(Date.UTC(2026, 3, 1, 2 + i)) }));
    await app.store.cdrs.insertMany(edges);
    try {
      await runReport(app.deps, { resellerId: 'acme', accounts: ['c3'], all: false, from: '2026-03-01', to: '2026-03-31', emails: ['owner@acme.example'], requestId: 'units' });
    } finally {
      await app.store.cdrs.deleteMany({ _id: { $in: edges.map((e) => e._id) } });
    }
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const book = await workbook(attachment(mail!, 'c3_2026-03-01_2026-03-31.xlsx'));
    expect(book.worksheets.map((w) => w.name)).toEqual(['CDRs', 'Summary', 'By country', 'By billing unit']);
    const sheet = book.getWorksheet('By billing unit')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Billing Unit');
    expect([2, 3, 4].map((n) => sheet.getRow(n).getCell(1).value)).toEqual(['Sales', 'Unassigned', 'Total']);
    // Both sheets count March in New York, the report's period, though c3 keeps UTC: the edge calls included.
    const cdrRows = book.getWorksheet('CDRs')!.rowCount - 1;
    expect(cdrRows).toBe((await storedCalls('c3')).length + 2);
    expect(sheet.getRow(4).getCell(5).value).toBe(cdrRows);
  });

  it('zips the attachments into one archive above REPORT_ZIP_THRESHOLD_BYTES', async () => {
    const before = smtp.messages.length;
    const zipping = await openTestApp({ ...env, REPORT_ZIP_THRESHOLD_BYTES: '1000' }, () => NOW);
    try {
      const ask = { resellerId: 'acme', all: true, from: '2026-03-01', to: '2026-03-31', emails: ['owner@acme.example'], requestId: 'zipped' };
      await runReport(zipping.deps, ask);
    } finally {
      await zipping.close();
    }
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.attachments.map((a) => a.filename)).toEqual(['report_acme_2026-03-01_2026-03-31.zip']);
    const entries = await zipEntries(mail!.attachments[0]!.content);
    expect([...entries.keys()]).toEqual(['c1_2026-03-01_2026-03-31.xlsx', 'c2_2026-03-01_2026-03-31.xlsx', 'c3_2026-03-01_2026-03-31.xlsx', 'summary_acme_2026-03-01_2026-03-31.csv', 'summary_acme_2026-03-01_2026-03-31.xlsx']);
    const book = await workbook(entries.get('c2_2026-03-01_2026-03-31.xlsx')!);
    expect(book.getWorksheet('CDRs')!.rowCount).toBe((await storedCalls('c2')).length + 1);
    expect(mail!.text).toContain('one zip archive, report_acme_2026-03-01_2026-03-31.zip');
  });
});

function zipEntries(content: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(content, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}
