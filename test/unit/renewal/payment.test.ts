import fc from 'fast-check';
import { centsToCover, nextPaymentStep } from '../../../src/domain/renewal/payment';
import type { PaymentSituation } from '../../../src/domain/renewal/payment';

const base = (over: Partial<PaymentSituation>): PaymentSituation => ({ mode: 'credit_then_card', total: 100_000, balance: 0, cardUsable: true, manual: false, ...over });

describe('nextPaymentStep', () => {
  it('credit_then_card: the balance when it covers the invoice, else the card for the rest in whole cents', () => {
    expect(nextPaymentStep(base({ balance: 100_000 }))).toEqual({ take: 'credit' });
    expect(nextPaymentStep(base({ balance: 30_001 }))).toEqual({ take: 'card', amount: 70_000 });
    expect(nextPaymentStep(base({ balance: 29_999 }))).toEqual({ take: 'card', amount: 70_100 });
    expect(nextPaymentStep(base({ balance: -50_000 }))).toEqual({ take: 'card', amount: 100_000 });
  });

  it('credit_then_card: a declined card or no card leaves the invoice unpaid, the balance untouched', () => {
    expect(nextPaymentStep(base({ balance: 40_000, cardUsable: false, cardFailure: 'card declined' }))).toMatchObject({ take: 'nothing', outcome: 'declined' });
    expect(nextPaymentStep(base({ balance: 40_000, cardUsable: false }))).toMatchObject({ take: 'nothing', outcome: 'no_card' });
  });

  it('card_then_credit: the card for all of it; after a decline, the balance if it covers the invoice', () => {
    expect(nextPaymentStep(base({ mode: 'card_then_credit', total: 100_050, balance: 1e9 }))).toEqual({ take: 'card', amount: 100_100 });
    const declined = { mode: 'card_then_credit' as const, cardUsable: false, cardFailure: 'card declined' };
    expect(nextPaymentStep(base({ ...declined, balance: 100_000 }))).toEqual({ take: 'credit' });
    const refused = nextPaymentStep(base({ ...declined, balance: 99_999 }));
    expect(refused).toMatchObject({ take: 'nothing', outcome: 'declined' });
    expect(refused).toHaveProperty('reason', expect.stringContaining('card declined') as unknown);
    expect(nextPaymentStep(base({ mode: 'card_then_credit', cardUsable: false, balance: 5 }))).toMatchObject({ take: 'nothing', outcome: 'insufficient_credit' });
  });

  it('self_managed: left open, unless an operator pays it from credit', () => {
    expect(nextPaymentStep(base({ mode: 'self_managed', balance: 1e9 }))).toMatchObject({ take: 'nothing', outcome: 'waiting' });
    expect(nextPaymentStep(base({ mode: 'self_managed', balance: 100_000, manual: true }))).toEqual({ take: 'credit' });
    expect(nextPaymentStep(base({ mode: 'self_managed', balance: 99_999, manual: true }))).toMatchObject({ outcome: 'insufficient_credit' });
  });

  it('property: whatever is taken, the card (whole cents) plus the balance covers the invoice and the card never exceeds it by a cent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('credit_then_card' as const, 'card_then_credit' as const),
        fc.integer({ min: 1, max: 1e10 }),
        fc.integer({ min: -1e10, max: 1e10 }),
        (mode, total, balance) => {
          const step = nextPaymentStep({ mode, total, balance, cardUsable: true, manual: false });
          if (step.take === 'credit') expect(balance).toBeGreaterThanOrEqual(total);
          if (step.take === 'card') {
            expect(step.amount % 100).toBe(0);
            expect(step.amount + Math.max(0, mode === 'credit_then_card' ? balance : 0)).toBeGreaterThanOrEqual(total);
            expect(step.amount).toBeLessThan(total + 100);
          }
          expect(step.take).not.toBe('nothing');
        },
      ),
    );
  });

  it('centsToCover rounds up to whole cents', () => {
    expect([1, 99, 100, 101, 250_000].map(centsToCover)).toEqual([100, 100, 100, 200, 250_000]);
  });
});
