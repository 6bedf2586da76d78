import fc from 'fast-check';
import { DEFAULT_ALERT_THRESHOLD, alertThreshold, applyAlertStep, stepAlert, thresholdsInForce } from '../../src/domain/low-balance';
import type { AlertState } from '../../src/domain/low-balance';

const RECHARGE = { enabled: true, threshold: 200_000, amount: 250_000, monthlyCap: null };

describe('alert threshold', () => {
  it("is the alert's own, else the recharge threshold when recharge is on, else $5.00", () => {
    expect(alertThreshold({ enabled: true, threshold: 70_000 }, RECHARGE)).toBe(70_000);
    expect(alertThreshold({ enabled: true, threshold: null }, RECHARGE)).toBe(200_000);
    expect(alertThreshold({ enabled: true, threshold: null }, { ...RECHARGE, enabled: false })).toBe(DEFAULT_ALERT_THRESHOLD);
    expect(alertThreshold(null, null)).toBe(50_000);
  });

  it('counts a feature that is off as a threshold of 0 for the kept gaps', () => {
    expect(thresholdsInForce(null, null)).toEqual({ recharge: 0, alert: 0 });
    expect(thresholdsInForce({ enabled: true, threshold: null }, RECHARGE)).toEqual({ recharge: 200_000, alert: 200_000 });
    expect(thresholdsInForce({ enabled: false, threshold: 1 }, { ...RECHARGE, enabled: false })).toEqual({ recharge: 0, alert: 0 });
  });
});

describe('the alert cycle', () => {
  const armed: AlertState = { state: 'armed', crossing: 0 };

  it('alerts at or below the threshold, then stays quiet until the balance recovers above it, then alerts the next crossing', () => {
    const path = [60_000, 50_000, 10_000, 50_000, 50_001, 40_000, 30_000];
    let state = armed;
    const actions: string[] = [];
    for (const balance of path) {
      const step = stepAlert(state, balance, 50_000);
      actions.push(step.action === 'none' ? '-' : `${step.action}#${step.crossing}`);
      state = applyAlertStep(state, step);
    }
    expect(actions).toEqual(['-', 'alert#0', '-', '-', 'rearm#1', 'alert#1', '-']);
  });

  it('never alerts while off', () => {
    expect(stepAlert({ state: 'off', crossing: 3 }, -1_000_000, 50_000)).toEqual({ action: 'none' });
  });

  it('alerts exactly once per crossing for any balance path: alerts = downward crossings, each with its own number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -200_000, max: 200_000 }), { maxLength: 60 }), fc.integer({ min: 0, max: 100_000 }), (path, threshold) => {
        let state = armed;
        const alerted: number[] = [];
        let low = false;
        let crossings = 0;
        for (const balance of path) {
          const step = stepAlert(state, balance, threshold);
          if (step.action === 'alert') alerted.push(step.crossing);
          state = applyAlertStep(state, step);
          // The reference: a crossing starts whenever the balance goes from above the threshold to at or below it.
          if (!low && balance <= threshold) crossings++;
          low = balance <= threshold;
        }
        expect(alerted).toEqual(Array.from({ length: crossings }, (_, i) => i));
      }),
    );
  });
});
