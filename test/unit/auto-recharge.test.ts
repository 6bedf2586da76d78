import fc from 'fast-check';
import { MIN_RECHARGE_AMOUNT, RechargeSettingsError, checkRechargeSettings, decideRecharge, parseCentsAmount } from '../../src/domain/auto-recharge';
import type { RechargeInput, RechargeSettings, TodaysCharge } from '../../src/domain/auto-recharge';

const FLAGS = { threshold: '--threshold', amount: '--amount', monthlyCap: '--monthly-cap' };
const ON: RechargeSettings = { enabled: true, threshold: 100_000, amount: 250_000, monthlyCap: null };

function input(extra: Partial<RechargeInput>): RechargeInput {
  return { settings: ON, balance: 50_000, today: 'none', spentThisMonth: 0, onItsDay: true, ...extra };
}

describe('parseCentsAmount', () => {
  it('reads decimal text exactly, in whole cents', () => {
    expect(parseCentsAmount('--amount', '24.99')).toBe(249_900);
    expect(parseCentsAmount('--amount', '5')).toBe(50_000);
  });

  it.each([
    ['abc', '--amount: expected an amount such as 25 or 25.00 (got "abc")'],
    ['0', '--amount: must be more than 0 (got "0")'],
    ['-5', '--amount: must be more than 0 (got "-5")'],
    ['5.005', '--amount: whole cents only (got "5.005")'],
  ])('refuses %s naming the flag and the value', (text, message) => {
    expect(() => parseCentsAmount('--amount', text)).toThrow(new RechargeSettingsError(message));
  });
});

describe('checkRechargeSettings', () => {
  it('accepts $5.00 and more, with a cap of at least the amount', () => {
    expect(checkRechargeSettings({ ...ON, amount: MIN_RECHARGE_AMOUNT, monthlyCap: MIN_RECHARGE_AMOUNT }, FLAGS).amount).toBe(50_000);
  });

  it('refuses an amount under $5.00, a threshold of 0 and a cap that no recharge fits, naming the flag and value', () => {
    expect(() => checkRechargeSettings({ ...ON, amount: 49_900 }, FLAGS)).toThrow('--amount: must be at least $5.00 (got $4.99)');
    expect(() => checkRechargeSettings({ ...ON, threshold: 0 }, FLAGS)).toThrow('--threshold: must be more than 0 (got $0.00)');
    expect(() => checkRechargeSettings({ ...ON, monthlyCap: 100_000 }, FLAGS)).toThrow(/--monthly-cap: must be at least the amount \$25\.00.*\(got \$10\.00\)/);
  });
});

describe('decideRecharge', () => {
  it('charges exactly the amount when on and below the threshold', () => {
    expect(decideRecharge(input({}))).toEqual({ action: 'charge', amount: 250_000 });
  });

  it('does nothing at or above the threshold, when off, or with a zero amount or threshold', () => {
    expect(decideRecharge(input({ balance: 100_000 }))).toEqual({ action: 'none', reason: 'not-below-threshold' });
    expect(decideRecharge(input({ settings: { ...ON, enabled: false } }))).toEqual({ action: 'none', reason: 'disabled' });
    expect(decideRecharge(input({ settings: null }))).toEqual({ action: 'none', reason: 'disabled' });
    expect(decideRecharge(input({ settings: { ...ON, amount: 0 } }))).toEqual({ action: 'none', reason: 'disabled' });
    expect(decideRecharge(input({ settings: { ...ON, threshold: 0 }, balance: -1 }))).toEqual({ action: 'none', reason: 'disabled' });
  });

  it('skips a recharge that would pass the monthly cap, and allows one that reaches it exactly', () => {
    const capped = { ...ON, monthlyCap: 1_000_000 };
    expect(decideRecharge(input({ settings: capped, spentThisMonth: 750_000 }))).toEqual({ action: 'charge', amount: 250_000 });
    expect(decideRecharge(input({ settings: capped, spentThisMonth: 750_100 }))).toEqual({
      action: 'skip-cap',
      amount: 250_000,
      cap: 1_000_000,
      spentThisMonth: 750_100,
    });
  });

  it("finishes a charge of the day that was begun, whatever the balance, the settings or the clock say now", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 10 ** 9 }), fc.boolean(), fc.boolean(), (balance, enabled, onItsDay) => {
        expect(decideRecharge(input({ balance, settings: { ...ON, enabled }, today: 'pending', onItsDay }))).toEqual({ action: 'resume' });
      }),
    );
  });

  it('never charges twice in a day, never on a day that is over, never at or above the threshold, never past the cap', () => {
    const settings = fc.record({
      enabled: fc.boolean(),
      threshold: fc.integer({ min: 0, max: 10 ** 7 }),
      amount: fc.integer({ min: 0, max: 10 ** 7 }),
      monthlyCap: fc.option(fc.integer({ min: 0, max: 10 ** 8 }), { nil: null }),
    });
    const today = fc.constantFrom<TodaysCharge>('none', 'pending', 'paid', 'declined', 'failed');
    fc.assert(
      fc.property(settings, fc.integer({ min: -100_000_000, max: 10 ** 8 }), today, fc.integer({ min: 0, max: 10 ** 8 }), fc.boolean(), (s, balance, t, spent, onItsDay) => {
        const decision = decideRecharge({ settings: s, balance, today: t, spentThisMonth: spent, onItsDay });
        if (decision.action !== 'charge') return;
        expect(t).toBe('none');
        expect(onItsDay).toBe(true);
        expect(s.enabled && s.amount > 0 && s.threshold > 0).toBe(true);
        expect(balance).toBeLessThan(s.threshold);
        expect(decision.amount).toBe(s.amount);
        if (s.monthlyCap !== null) expect(spent + s.amount).toBeLessThanOrEqual(s.monthlyCap);
      }),
    );
  });
});
