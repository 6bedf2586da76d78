import { rateCall } from '../domain/call-rating';
import { parseUnits, formatUnits } from '../domain/money';
import type { DemoDataset } from './dataset';
import { SeededRandom } from './random';

/** A destination class: how the platform bills the reseller (wholesale) and what the reseller charges its customer. */
interface Destination {
  country: string;
  prefix: string;
  rateName: string;
  type: 'flat_rate' | 'per_minute';
  customerRate: string;
  wholesaleRate: string;
  weight: number;
}

const DESTINATIONS: readonly Destination[] = [
  { country: 'US', prefix: '+1312', rateName: 'US local', type: 'flat_rate', customerRate: '0', wholesaleRate: '0', weight: 60 },
  { country: 'US', prefix: '+1888', rateName: 'US toll-free inbound', type: 'per_minute', customerRate: '0.0290', wholesaleRate: '0.0180', weight: 12 },
  { country: 'GB', prefix: '+4420', rateName: 'United Kingdom fixed', type: 'per_minute', customerRate: '0.0350', wholesaleRate: '0.0125', weight: 8 },
  { country: 'DE', prefix: '+4930', rateName: 'Germany fixed', type: 'per_minute', customerRate: '0.0390', wholesaleRate: '0.0140', weight: 6 },
  { country: 'MX', prefix: '+5255', rateName: 'Mexico City', type: 'per_minute', customerRate: '0.0450', wholesaleRate: '0.0210', weight: 6 },
  { country: 'JP', prefix: '+8131', rateName: 'Japan fixed', type: 'per_minute', customerRate: '0.0790', wholesaleRate: '0.0410', weight: 4 },
  { country: 'IN', prefix: '+9122', rateName: 'India Mumbai', type: 'per_minute', customerRate: '0.0550', wholesaleRate: '0.0290', weight: 4 },
];

function pickDestination(rnd: SeededRandom): Destination {
  let roll = rnd.int(1, DESTINATIONS.reduce((n, d) => n + d.weight, 0));
  for (const d of DESTINATIONS) {
    roll -= d.weight;
    if (roll <= 0) return d;
  }
  return DESTINATIONS[0] as Destination;
}

/**
 * A month of calls for every customer (not the resellers or the master) in the platform's CDR import format, for the
 * month before `monthStart`: mostly flat-rate US calls, some toll-free and international per-minute ones.
 */
export function demoCalls(data: DemoDataset, monthStart: Date, seed = 1001): Record<string, string | number>[] {
  const rnd = new SeededRandom(seed);
  const monthMs = 30 * 24 * 3600 * 1000;
  const from = monthStart.getTime() - monthMs;
  const customers = data.accounts.filter((a) => a.parentId !== null && a.parentId !== 'master');
  const numbersOf = new Map<string, string[]>();
  for (const item of data.inventory) {
    if (item.kind === 'phone_number' && item.label) numbersOf.set(item.accountId, [...(numbersOf.get(item.accountId) ?? []), item.label]);
  }
  const rows: Record<string, string | number>[] = [];
  for (const account of customers) {
    const numbers = numbersOf.get(account.id) ?? ['+13125550100'];
    const calls = rnd.int(15, 60);
    for (let i = 0; i < calls; i++) {
      const destination = pickDestination(rnd);
      const inbound = destination.rateName.includes('inbound');
      const own = rnd.pick(numbers);
      const other = `${destination.prefix}${String(rnd.int(1000000, 9999999))}`;
      const billingSeconds = rnd.chance(0.1) ? rnd.int(0, 5) : rnd.int(20, 1800);
      const wholesale = rateCall({ billingSeconds, rate: parseUnits(destination.wholesaleRate) });
      rows.push({
        date_time: new Date(from + Math.floor(rnd.next() * monthMs)).toISOString(),
        call_id: `demo-${account.id}-${i}`,
        caller_id: inbound ? other : own,
        to_number: inbound ? own : other,
        from_number: inbound ? other : own,
        billing_seconds: billingSeconds,
        rate: destination.customerRate,
        rate_name: destination.rateName,
        reseller_call_type: destination.type,
        reseller_cost: destination.type === 'flat_rate' ? '0' : formatUnits(wholesale.cost, 4),
        customer_call_type: destination.type,
        reseller_cost_breakdown: destination.type === 'flat_rate' ? 'included in trunks' : `${destination.wholesaleRate}/min wholesale`,
        account_id: account.id,
        direction: inbound ? 'inbound' : 'outbound',
        country: destination.country,
      });
    }
  }
  return rows;
}
