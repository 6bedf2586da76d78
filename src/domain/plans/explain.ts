import { formatRate } from '../money';
import type { Units } from '../money';
import type { DiscountSkip, Priced } from './price';
import type { Count } from './quantities';
import type { PlanItem } from './types';
import { ALL_ITEMS } from './types';

/*
 * The sentence behind each invoice line, for the invoice itself and for support: where the quantity came from,
 * which step/minimum/maximum shaped the billable count, which tier set the rate, which discounts applied.
 */

function quantityText(item: PlanItem, count: Count): string {
  const what = item.key === ALL_ITEMS ? ` (all ${item.category}${item.exceptions.length > 0 ? ` except ${item.exceptions.join(', ')}` : ''})` : '';
  const own = count.manual ? `${count.own} set manually` : `${count.own} in this account`;
  const parts = item.cascade ? ` = ${own} + ${count.cascaded} in sub-accounts` : count.manual ? ' (set manually)' : '';
  return `quantity ${count.quantity}${what}${parts}`;
}

function billableText(item: PlanItem, priced: Priced): string {
  if (priced.rateSource.kind === 'flat_rates' || priced.rateSource.kind === 'flat_rate') return 'billable 1 (flat rate)';
  const notes: string[] = [];
  if (priced.stepped !== priced.quantity) notes.push(`rounded up to a multiple of ${item.step}: ${priced.stepped}`);
  if (priced.limit?.kind === 'minimum') notes.push(`raised to the minimum ${priced.limit.value}`);
  if (priced.limit?.kind === 'maximum') notes.push(`capped at the maximum ${priced.limit.value}`);
  return notes.length === 0 ? `billable ${priced.billable}` : `billable ${priced.billable} (${notes.join(', ')})`;
}

function rateText(priced: Priced): string {
  const rate = formatRate(priced.rate);
  const source = priced.rateSource;
  switch (source.kind) {
    case 'flat_rates':
      return `flat rate ${rate} (flat_rates tier up to ${source.key})`;
    case 'flat_rate':
      return `flat rate ${rate}`;
    case 'rates':
      return `rate ${rate} (rates tier up to ${source.key})`;
    case 'rate':
      return `rate ${rate}`;
    case 'above_top_tier':
      return `no rate above the top tier ${source.top}, so billed at 0`;
    case 'none':
      return 'no rate, so billed at 0';
  }
}

function skipText(which: string, skip: DiscountSkip): string {
  return skip.kind === 'no_plan_rate'
    ? `${which} discount not applied (the plan's own rate is not above 0)`
    : `${which} discount not applied (billable below its minimum ${skip.minimum})`;
}

function discountTexts(priced: Priced, item: PlanItem): string[] {
  const texts: string[] = [];
  if (priced.singleSkipped !== undefined) texts.push(skipText('single', priced.singleSkipped));
  else if (item.singleDiscount !== undefined) texts.push(`single discount ${formatRate(priced.single)}`);
  if (priced.cumulativeSkipped !== undefined) texts.push(skipText('cumulative', priced.cumulativeSkipped));
  else if (item.cumulativeDiscount !== undefined) {
    const { quantity, rate, capped, tierKey } = priced.cumulative;
    const notes = [capped ? `capped at its maximum ${quantity}` : '', tierKey === undefined ? '' : `cumulative rates tier up to ${tierKey}`].filter(Boolean);
    texts.push(`cumulative discount ${quantity} x ${formatRate(rate)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
  }
  return texts;
}

function totalText(item: PlanItem, priced: Priced): string {
  let formula = `${priced.billable} x ${formatRate(priced.rate)}`;
  if (item.singleDiscount !== undefined && priced.singleSkipped === undefined) formula += ` - ${formatRate(priced.single)}`;
  if (item.cumulativeDiscount !== undefined && priced.cumulativeSkipped === undefined) {
    formula += ` - ${priced.cumulative.quantity} x ${formatRate(priced.cumulative.rate)}`;
  }
  return `total ${formula} = ${formatRate(priced.total)}`;
}

export interface ActivationTrace {
  readonly previousBillable: number;
  readonly charge: Units;
  readonly amount: Units;
}

function activationText(priced: Priced, activation: ActivationTrace): string {
  const change = `billable ${activation.previousBillable} -> ${priced.billable}`;
  if (activation.amount === 0 && priced.billable <= activation.previousBillable) return `no activation charge (${change})`;
  const added = priced.billable - activation.previousBillable;
  return `activation ${added} x ${formatRate(activation.charge)} = ${formatRate(activation.amount)} (${change})`;
}

export function explainLine(item: PlanItem, count: Count, priced: Priced, activation?: ActivationTrace): string {
  const parts = [quantityText(item, count), billableText(item, priced), rateText(priced), ...discountTexts(priced, item), totalText(item, priced)];
  if (activation !== undefined) parts.push(activationText(priced, activation));
  const renamed = item.item !== item.key ? `${item.category}/${item.key} reported as ${item.item}: ` : '';
  return `${renamed}${parts.join('; ')}`;
}
