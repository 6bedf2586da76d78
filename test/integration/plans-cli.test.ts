import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kazooExample from '../../src/demo/plans/kazoo-example.json';
import type { App } from '../../src/runtime/app';
import { getAccount, upsertAccount } from '../../src/store/accounts';
import { assignmentsOf } from '../../src/store/plans';
import { runTollkeeper } from '../support/cli';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';

const env = isolatedEnv('plans');
const dir = mkdtempSync(join(tmpdir(), 'tollkeeper-plans-'));
const scenarioFile = join(__dirname, '../fixtures/plans/seed-003-scenario.json');
let app: App;

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

beforeAll(async () => {
  app = await openTestApp(env);
  const now = new Date('2026-11-10T12:00:00Z');
  await upsertAccount(app.store, { id: 'master', name: 'Master', parentId: null, timezone: 'UTC' }, now);
  await upsertAccount(app.store, { id: 'resellerA', name: 'Reseller A', parentId: 'master', isReseller: true, timezone: 'America/New_York' }, now);
  await upsertAccount(app.store, { id: 'resellerB', name: 'Reseller B', parentId: 'master', isReseller: true, timezone: 'Europe/Berlin' }, now);
  await upsertAccount(app.store, { id: 'dentist', name: 'Dentist', parentId: 'resellerA', timezone: 'America/Chicago' }, now);
});

afterAll(async () => {
  await closeTestApp(app);
});

describe('tollkeeper plans', () => {
  it("evaluates seed 003's plan at 9 DIDs, 1 toll-free and 14 SIP devices, line by line with totals", async () => {
    const table = await runTollkeeper(['plans', 'evaluate', scenarioFile], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SIP Device/);
    expect(table.stdout).toMatch(/US DID/);
    expect(table.stdout).toMatch(/US Tollfree/);

    const json = await runTollkeeper(['plans', 'evaluate', scenarioFile, '--json'], env);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { items: { item: string; quantity: number; billable: number; rate: string; total: string }[]; recurring: string };
    const line = (item: string) => result.items.find((i) => i.item === item);
    // 14 devices: tier 20 at $24.95 each; 9 DIDs at $1 less a cumulative $0.50 on 2; 1 toll-free raised to the minimum 10 at $5.
    expect(line('sip_devices')).toMatchObject({ quantity: 14, billable: 14, rate: '24.95', total: '349.30' });
    expect(line('did_us')).toMatchObject({ quantity: 9, billable: 9, total: '8.00' });
    expect(line('tollfree_us')).toMatchObject({ quantity: 1, billable: 10, total: '50.00' });
    expect(result.recurring).toBe('407.30');
  });

  it('rejects a plan with a non-numeric tier key (exit 1) and warns on seed 003 above 100 devices', async () => {
    const bad = writeJson('bad.json', { plan: { devices: { _all: { rates: { abc: 5 } } } } });
    const refused = await runTollkeeper(['plans', 'validate', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('plan.devices._all.rates["abc"]');

    const seed = writeJson('seed-003.json', kazooExample);
    const warned = await runTollkeeper(['plans', 'validate', seed], env);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/warning: plan\.devices\._all[^\n]*100/);
  });

  it('imports plans for resellers only, assigns only the reseller’s own plans, and dirties the account', async () => {
    const file = writeJson('retail.json', kazooExample);
    expect((await runTollkeeper(['plans', 'import', file, '--owner', 'dentist', '--id', 'nope'], env)).stderr).toContain('not a reseller');
    expect((await runTollkeeper(['plans', 'import', file, '--owner', 'resellerA', '--id', 'a-retail'], env)).code).toBe(0);
    expect((await runTollkeeper(['plans', 'import', file, '--owner', 'resellerB', '--id', 'b-retail'], env)).code).toBe(0);

    const foreign = await runTollkeeper(['plans', 'assign', 'dentist', 'b-retail'], env);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('belongs to "resellerB"');

    const before = (await getAccount(app.store, 'dentist')).dirtyVersion;
    const overrides = writeJson('overrides.json', { phone_numbers: { did_us: { rate: 0.75 } } });
    const assigned = await runTollkeeper(['plans', 'assign', 'dentist', 'a-retail', '--overrides', overrides], env);
    expect(assigned.code).toBe(0);
    expect(await assignmentsOf(app.store, 'dentist')).toMatchObject([{ planId: 'a-retail', overrides: { phone_numbers: { did_us: { rate: 0.75 } } } }]);
    const dirtied = await getAccount(app.store, 'dentist');
    expect(dirtied.dirty).toBe(true);
    expect(dirtied.dirtyVersion).toBe(before + 1);

    const listed = await runTollkeeper(['plans', 'list', '--owner', 'resellerA'], env);
    expect(listed.stdout).toMatch(/a-retail[^\n]*resellerA[^\n]*1/);

    expect((await runTollkeeper(['plans', 'unassign', 'dentist', 'a-retail'], env)).code).toBe(0);
    expect(await assignmentsOf(app.store, 'dentist')).toEqual([]);
    expect((await getAccount(app.store, 'dentist')).dirtyVersion).toBe(before + 2);
    expect((await runTollkeeper(['plans', 'unassign', 'dentist', 'a-retail'], env)).code).toBe(1);
  });
});
