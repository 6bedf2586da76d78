import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { accountUnitCharges } from '../../src/admin/billing-unit-report';
import { addBillingUnit, assignToBillingUnit, BillingUnitError, removeBillingUnit } from '../../src/admin/billing-units';
import { countInventory } from '../../src/domain/inventory-count';
import { formatUnits } from '../../src/domain/money';
import { evaluate, mergePlans, parsePlanDocument } from '../../src/domain/plans';
import type { App } from '../../src/runtime/app';
import { upsertAccount } from '../../src/store/accounts';
import { claimNumber, moveNumber, releaseNumber } from '../../src/store/billing-units';
import type { CdrDoc, InventoryDoc } from '../../src/store/documents';
import { assignPlan, savePlan } from '../../src/store/plans';
import { runTollkeeper } from '../support/cli';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';

const env = isolatedEnv('units');
const dir = mkdtempSync(join(tmpdir(), 'tollkeeper-units-'));
const NOW = new Date('2026-11-10T12:00:00Z');
let app: App;

const ACCOUNT = 'dental';
const [A, B, C, T] = ['+13125550101', '+13125550102', '+13125550103', '+18885550104'];
const PLAN = {
  plan: {
    phone_numbers: { did_us: { rate: 1.5 }, tollfree_us: { rate: 5, minimum: 2 } },
    number_services: { e911: { rate: 0.99 } },
    users: { _all: { rate: 12.3333 } },
    devices: { _all: { rate: 20, cascade: true } },
    limits: { twoway_trunks: { rate: 7 } },
  },
};

function item(id: string, kind: InventoryDoc['kind'], type: string, extra: Partial<InventoryDoc> = {}): InventoryDoc {
  return { _id: `${ACCOUNT}/${id}`, accountId: ACCOUNT, kind, type, updatedAt: NOW, ...extra };
}

const INVENTORY: InventoryDoc[] = [
  item('number/a', 'phone_number', 'did_us', { label: A, features: ['e911'] }),
  item('number/b', 'phone_number', 'did_us', { label: B }),
  item('number/c', 'phone_number', 'did_us', { label: C }),
  item('number/t', 'phone_number', 'tollfree_us', { label: T }),
  item('user/1', 'user', 'admin', { label: 'ana' }),
  item('user/2', 'user', 'user', { label: 'ben' }),
  item('user/3', 'user', 'user', { label: 'cy' }),
  item('user/4', 'user', 'user', { label: 'ben' }),
  item('device/1', 'device', 'sip_device'),
  item('device/2', 'device', 'softphone'),
  item('limits', 'limits', 'trunks', { counts: { twoway_trunks: 2 } }),
];
const SUB_INVENTORY: InventoryDoc[] = [{ _id: 'branch/device/1', accountId: 'branch', kind: 'device', type: 'sip_device', updatedAt: NOW }];

beforeAll(async () => {
  app = await openTestApp(env, () => NOW);
  await upsertAccount(app.store, { id: 'master', name: 'Master', parentId: null, timezone: 'UTC' }, NOW);
  await upsertAccount(app.store, { id: 'reseller', name: 'Reseller', parentId: 'master', isReseller: true, timezone: 'America/New_York' }, NOW);
  await upsertAccount(app.store, { id: ACCOUNT, name: 'Lakeside Dental', parentId: 'reseller', timezone: 'America/Chicago' }, NOW);
  await upsertAccount(app.store, { id: 'branch', name: 'Dental branch', parentId: ACCOUNT, timezone: 'America/Chicago' }, NOW);
  await app.store.inventory.insertMany([...INVENTORY, ...SUB_INVENTORY]);
  await savePlan(app.store, { _id: 'retail', ownerId: 'reseller', name: 'Retail', document: PLAN }, NOW);
  await assignPlan(app.store, ACCOUNT, 'retail', null, NOW);
  // As reconciliation leaves them: the own counts, the sub-account's as cascade, and an operator's manual count.
  await app.store.quantities.insertOne({
    _id: ACCOUNT,
    account: countInventory(INVENTORY),
    cascade: countInventory(SUB_INVENTORY),
    manual: { limits: { twoway_trunks: 3 } },
    updatedAt: NOW,
  });
});

afterAll(async () => {
  await closeTestApp(app);
});

const units = (...args: string[]) => runTollkeeper(['units', ...args], env);

describe('tollkeeper units: managing units', () => {
  it('adds units with names unique whatever their case, and refuses the reserved name', async () => {
    expect((await units('add', ACCOUNT, 'Sales')).code).toBe(0);
    const again = await units('add', ACCOUNT, '  SALES ');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/account "dental" already has a billing unit named "Sales" \(bu-[0-9a-f]{16}\)/);
    const reserved = await units('add', ACCOUNT, 'unassigned');
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('NAME: "Unassigned" is reserved');
    expect((await units('add', 'nobody', 'Sales')).stderr).toContain('no account "nobody"');
    expect((await units('add', ACCOUNT, 'Help desk')).code).toBe(0);
    const renamed = await units('rename', ACCOUNT, 'help DESK', 'Support');
    expect(renamed.stdout).toContain('billing unit "Help desk" renamed "Support"');
    expect((await units('rename', ACCOUNT, 'Support', 'sales')).stderr).toContain('already has a billing unit named "Sales"');
  });

  it('assigns numbers and users of the inventory, naming every one it refuses', async () => {
    const assigned = await units('assign', ACCOUNT, 'Sales', '--numbers', `${A},+1 (888) 555-0104`, '--users', 'ana');
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain(`assigned to "Sales": ${A}, ${T}`);
    expect(assigned.stdout).toContain('users added to "Sales": dental/user/1');

    const unknown = await units('assign', ACCOUNT, 'Support', '--numbers', `${B},+15550000000`, '--users', 'zoe,ben');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--numbers: +15550000000 is not a phone number of account "dental"');
    expect(unknown.stderr).toContain('--users: account "dental" has no user "zoe"');
    expect(unknown.stderr).toContain('--users: "ben" names 2 users of account "dental" (dental/user/2, dental/user/4): give the id');
    const malformed = await units('assign', ACCOUNT, 'Support', '--numbers', '555-CALL');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--numbers: "555-CALL" is not a phone number in E.164 form');
    expect((await units('assign', ACCOUNT, 'Support')).code).toBe(2);
    expect((await units('assign', ACCOUNT, 'Nowhere', '--numbers', B)).stderr).toContain('account "dental" has no billing unit "Nowhere" (its units: "Sales", "Support")');

    const taken = await units('assign', ACCOUNT, 'Support', '--numbers', `${B},${A}`, '--users', 'cy');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`number ${A} is in billing unit "Sales" (a number belongs to one unit; use --move to move it to "Support")`);
    expect((await units('show', ACCOUNT, 'Support')).stdout).toContain('numbers (0):');

    expect((await units('assign', ACCOUNT, 'Support', '--numbers', B, '--users', 'cy,dental/user/2')).code).toBe(0);
    const show = await units('show', ACCOUNT, 'support');
    expect(show.stdout).toMatch(new RegExp(`\\+13125550102\\s*│\\s*did_us`));
    expect(show.stdout).toMatch(/dental\/user\/3\s*│\s*cy\s*│\s*user/);
  });

  it('moves a number only when asked, and releases numbers and users', async () => {
    expect((await units('add', ACCOUNT, 'Clinic')).code).toBe(0);
    const moved = await units('assign', ACCOUNT, 'Clinic', '--numbers', T, '--move');
    expect(moved.stdout).toContain(`moved ${T} from "Sales" to "Clinic"`);
    const notThere = await units('unassign', ACCOUNT, 'Sales', '--numbers', T, '--users', 'cy');
    expect(notThere.code).toBe(1);
    expect(notThere.stderr).toContain(`--numbers: ${T} is not in billing unit "Sales" (it is in "Clinic")`);
    expect(notThere.stderr).toContain('--users: "cy" is not in billing unit "Sales"');
    expect((await units('unassign', ACCOUNT, 'Clinic', '--numbers', T)).stdout).toContain(`released from "Clinic": ${T}`);
    expect((await units('assign', ACCOUNT, 'Sales', '--numbers', T, '--users', 'dental/user/2')).code).toBe(0);
    expect((await units('assign', ACCOUNT, 'Clinic', '--users', 'dental/user/2')).code).toBe(0);

    const listed = await units('list', ACCOUNT);
    expect(listed.stdout).toMatch(/Clinic\s*│\s*bu-\w+\s*│\s*0\s*│\s*1/);
    expect(listed.stdout).toMatch(/Sales\s*│\s*bu-\w+\s*│\s*2\s*│\s*2/);
    expect(listed.stdout).toMatch(/Support\s*│\s*bu-\w+\s*│\s*1\s*│\s*2/);
  });

  it('removing a unit releases its numbers for another unit', async () => {
    await units('add', ACCOUNT, 'Temp');
    expect((await units('assign', ACCOUNT, 'Temp', '--numbers', C)).code).toBe(0);
    expect((await units('remove', ACCOUNT, 'temp')).stdout).toContain('billing unit "Temp" removed; released 1 number(s) and 0 user(s)');
    expect(await app.store.unitNumbers.countDocuments({ number: C })).toBe(0);
    expect((await units('show', ACCOUNT, 'Temp')).code).toBe(1);
  });
});

describe('one unit per number, under concurrent requests', () => {
  it('of many units claiming one number at once, exactly one wins and the others are told which', async () => {
    const contenders = await Promise.all(Array.from({ length: 8 }, (_, i) => addBillingUnit(app.store, ACCOUNT, `Race ${i}`, NOW)));
    const results = await Promise.allSettled(contenders.map((u) => assignToBillingUnit(app.store, ACCOUNT, u._id, { numbers: [C], users: [], move: false }, NOW)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [contenders[i]!] : []));
    expect(won).toHaveLength(1);
    const held = await app.store.unitNumbers.find({ number: C }).toArray();
    expect(held.map((h) => h.unitId)).toEqual([won[0]!._id]);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(BillingUnitError);
        expect((r.reason as Error).message).toContain(`number ${C} is in billing unit "${won[0]!.name}"`);
      }
    }
    for (const u of contenders) await removeBillingUnit(app.store, ACCOUNT, u._id);
  });

  it('the store itself: of concurrent claims of one number, exactly one inserts and the others see who holds it', async () => {
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimNumber(app.store, { accountId: ACCOUNT, number: '+19995550000', unitId: `bu-claim-${i}`, assignedAt: NOW })),
    );
    const winners = claims.flatMap((c, i) => (c.claimed ? [`bu-claim-${i}`] : []));
    expect(winners).toHaveLength(1);
    expect(claims.filter((c) => !c.claimed)).toEqual(Array.from({ length: 9 }, () => ({ claimed: false, holder: winners[0] })));
    expect(await moveNumber(app.store, ACCOUNT, '+19995550000', 'bu-claim-not-holder', 'bu-x', NOW)).toBe(false);
    expect(await releaseNumber(app.store, ACCOUNT, '+19995550000', winners[0]!)).toBe(true);
  });

  it('two CLI runs assigning one number at once: one exits 0, the other 1 naming the winner', async () => {
    await units('add', ACCOUNT, 'North');
    await units('add', ACCOUNT, 'South');
    const [north, south] = await Promise.all([units('assign', ACCOUNT, 'North', '--numbers', C), units('assign', ACCOUNT, 'South', '--numbers', C)]);
    expect([north.code, south.code].sort()).toEqual([0, 1]);
    const loser = north.code === 1 ? north : south;
    expect(loser.stderr).toContain(`number ${C} is in billing unit "${north.code === 0 ? 'North' : 'South'}"`);
    expect(await app.store.unitNumbers.countDocuments({ number: C })).toBe(1);
  });

  it('concurrent moves leave the number in exactly one unit', async () => {
    const targets = await Promise.all(['East', 'West', 'Centre'].map((n) => addBillingUnit(app.store, ACCOUNT, n, NOW)));
    const results = await Promise.allSettled(targets.map((u) => assignToBillingUnit(app.store, ACCOUNT, u._id, { numbers: [C], users: [], move: true }, NOW)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const held = await app.store.unitNumbers.find({ number: C }).toArray();
    expect(held).toHaveLength(1);
    expect(targets.map((t) => t._id)).toContain(held[0]!.unitId);
    for (const name of ['North', 'South']) await removeBillingUnit(app.store, ACCOUNT, name);
    for (const u of targets) await removeBillingUnit(app.store, ACCOUNT, u._id);
  });

  it('an assignment racing the removal of its unit leaves no number held by a removed unit', async () => {
    for (let round = 0; round < 5; round++) {
      const unit = await addBillingUnit(app.store, ACCOUNT, 'Doomed', NOW);
      await Promise.allSettled([
        assignToBillingUnit(app.store, ACCOUNT, unit._id, { numbers: [C], users: ['dental/user/3'], move: false }, NOW),
        removeBillingUnit(app.store, ACCOUNT, unit._id),
      ]);
      await removeBillingUnit(app.store, ACCOUNT, unit._id).catch(() => undefined);
      expect(await app.store.unitNumbers.countDocuments({ unitId: unit._id })).toBe(0);
    }
  });

  it('of two units added with one name at once, one is refused', async () => {
    const results = await Promise.allSettled([addBillingUnit(app.store, ACCOUNT, 'Twin', NOW), addBillingUnit(app.store, ACCOUNT, 'TWIN', NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await app.store.billingUnits.countDocuments({ accountId: ACCOUNT, nameKey: 'twin' })).toBe(1);
    await removeBillingUnit(app.store, ACCOUNT, 'Twin');
  });
});

describe('tollkeeper units report: a month of calls and the plan, by unit', () => {
  // Chicago keeps daylight time (UTC-5) until 2026-11-01 02:00 local, so October ends at 2026-11-01T05:00Z.
  const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
  const NUMBERS = [A, B, C, T, '+442071234567'];
  let calls: CdrDoc[];

  beforeAll(async () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    calls = Array.from({ length: 400 }, (_, i): CdrDoc => {
      const number = NUMBERS[next(NUMBERS.length)]!;
      const inbound = next(2) === 0;
      const startedAt = new Date(Date.UTC(2026, 9, 1, 5, 0) + next(31 * 24 * 60) * 60_000);
      return {
        _id: `call-${i}`,
        accountId: ACCOUNT,
        startedAt,
        callerId: inbound ? '+14155550000' : number,
        toNumber: inbound ? number : '+14155550000',
        fromNumber: null,
        direction: inbound ? 'inbound' : 'outbound',
        country: 'US',
        billingSeconds: 1 + next(900),
        rate: 123,
        rateName: 'US',
        resellerCallType: 'per_minute',
        resellerCost: next(5_000),
        customerCallType: 'per_minute',
        customerCost: next(9_999),
        source: 'test',
        importedAt: NOW,
      };
    });
    // The month's edges in Chicago: the last minute of October is in, the first of November is out.
    calls.push({ ...calls[0]!, _id: 'edge-in', startedAt: new Date('2026-11-01T04:59:00Z'), customerCost: 11 });
    calls.push({ ...calls[0]!, _id: 'edge-out', startedAt: new Date('2026-11-01T05:00:00Z'), customerCost: 1_000_000 });
    calls.push({ ...calls[0]!, _id: 'other-account', accountId: 'branch', customerCost: 1_000_000 });
    await app.store.cdrs.insertMany(calls);
  });

  const inOctober = () => calls.filter((c) => c._id !== 'edge-out' && c.accountId === ACCOUNT);

  it('adds up to the account’s totals to the unit: recurring as priced by the plan, usage as the calls', async () => {
    const { allocation } = await accountUnitCharges(app.store, ACCOUNT, OCTOBER.from, OCTOBER.to);
    const parsed = parsePlanDocument(PLAN);
    if (!parsed.ok) throw new Error('plan');
    const expected = evaluate(mergePlans([parsed.document]), {
      account: countInventory(INVENTORY),
      cascade: countInventory(SUB_INVENTORY),
      manual: { limits: { twoway_trunks: 3 } },
    });
    const rows = [...allocation.units, allocation.unassigned];
    const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

    expect(allocation.account.recurring).toBe(expected.recurring);
    expect(sum(rows.map((r) => r.recurring))).toBe(expected.recurring);
    expect(allocation.account.usage.calls).toBe(inOctober().length);
    expect(allocation.account.usage.customerCost).toBe(sum(inOctober().map((c) => c.customerCost)));
    expect(sum(rows.map((r) => r.usage.customerCost))).toBe(allocation.account.usage.customerCost);
    expect(sum(rows.map((r) => r.usage.resellerCost))).toBe(sum(inOctober().map((c) => c.resellerCost)));
    expect(sum(rows.map((r) => r.total))).toBe(expected.recurring + allocation.account.usage.customerCost);

    // Sales: A and T, users 1 and 2; Support: B, users 2 and 3; Clinic: user 2. C and the foreign number: unassigned.
    const byName = new Map(allocation.units.map((u) => [u.unit.name, u]));
    const usageOf = (...numbers: string[]) => sum(inOctober().filter((c) => numbers.includes(c.direction === 'inbound' ? c.toNumber : c.callerId)).map((c) => c.customerCost));
    expect(byName.get('Sales')!.usage.customerCost).toBe(usageOf(A, T));
    expect(byName.get('Support')!.usage.customerCost).toBe(usageOf(B));
    expect(allocation.unassigned.usage.customerCost).toBe(usageOf(C, '+442071234567'));
    // Users at $12.3333: user 2 is in three units, 41,111 units each; devices (own and cascaded) and trunks stay unassigned.
    expect(byName.get('Clinic')!.recurring).toBe(41_111);
    expect(byName.get('Sales')!.recurring).toBe(15_000 + 9_900 + 100_000 + 123_333 + 41_111);
    expect(byName.get('Support')!.recurring).toBe(15_000 + 123_333 + 41_111);
    expect(allocation.unassigned.recurring).toBe(15_000 + 123_333 + 600_000 + 210_000);
  });

  it('prints a table, writes a CSV whose columns add up and a workbook with exact amounts', async () => {
    const table = await units('report', ACCOUNT, '--from', OCTOBER.from, '--to', OCTOBER.to);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('dental (Lakeside Dental): calls 2026-10-01 to 2026-10-31 (America/Chicago); recurring: one month');
    expect(table.stdout).toMatch(/Unassigned[^\n]*\n[^\n]*\n[^\n]*Total/);

    const csvPath = join(dir, 'units.csv');
    const csv = await units('report', ACCOUNT, '--from', OCTOBER.from, '--to', OCTOBER.to, '--csv', csvPath);
    expect(csv.code).toBe(0);
    const [header, ...lines] = readFileSync(csvPath, 'utf8').trim().split('\r\n').map((l) => l.split(','));
    expect(header).toEqual(['Billing Unit', 'Unit ID', 'Numbers', 'Users', 'Calls', 'Billing Minutes', 'Usage', 'Recurring (monthly)', 'Total']);
    expect(lines.map((l) => l[0])).toEqual(['Clinic', 'Sales', 'Support', 'Unassigned']);
    const { allocation } = await accountUnitCharges(app.store, ACCOUNT, OCTOBER.from, OCTOBER.to);
    const cents = (column: number) => lines.reduce((s, l) => s + Math.round(Number(l[column]) * 100), 0);
    expect(lines.every((l) => /^-?\d+\.\d\d$/.test(l[6]!) && /^-?\d+\.\d\d$/.test(l[8]!))).toBe(true);
    expect(cents(6) / 100).toBe(Number(formatUnits(allocation.account.usage.customerCost, 2)));
    expect(cents(7) / 100).toBe(Number(formatUnits(allocation.account.recurring, 2)));
    expect(cents(8)).toBe(cents(6) + cents(7));

    const xlsxPath = join(dir, 'units.xlsx');
    expect((await units('report', ACCOUNT, '--from', OCTOBER.from, '--to', OCTOBER.to, '--xlsx', xlsxPath)).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const sheet = workbook.getWorksheet('By billing unit')!;
    expect(sheet.getCell('A5').value).toBe('Unassigned');
    expect(sheet.getCell('H5').value).toBe(allocation.unassigned.recurring / 10_000);
    expect(sheet.getCell('H5').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('A6').value).toBe('Total');
    expect(sheet.getCell('I6').value).toMatchObject({ formula: 'SUM(I2:I5)', result: allocation.account.total / 10_000 });
  });

  it('refuses a malformed or reversed period (exit 2)', async () => {
    const bad = await units('report', ACCOUNT, '--from', '2026-10-32', '--to', '2026-10-31');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: expected a date as YYYY-MM-DD (got "2026-10-32")');
    expect((await units('report', ACCOUNT, '--from', '2026-10-31', '--to', '2026-10-01')).stderr).toContain('--to: 2026-10-01 is before --from (2026-10-31)');
  });
});
