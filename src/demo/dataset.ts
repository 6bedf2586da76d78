import type { AccountInput } from '../store/accounts';
import type { InventoryInput } from '../store/inventory';
import kazooExample from './plans/kazoo-example.json';
import resellerRetail from './plans/reseller-retail.json';
import { SeededRandom } from './random';

export interface DemoPlan {
  id: string;
  ownerId: string;
  name: string;
  document: Record<string, unknown>;
}

/** Auto-recharge and alert settings of a demo account, in dollars as an operator would type them. */
export interface DemoFunding {
  accountId: string;
  recharge?: { threshold: string; amount: string; monthlyCap?: string };
  alerts?: { threshold?: string; emails?: string[] };
}

export interface DemoDataset {
  accounts: AccountInput[];
  /** Accounts start with no credit, so these are under their thresholds until the first recharge. */
  funding: DemoFunding[];
  plans: DemoPlan[];
  assignments: { accountId: string; planId: string }[];
  inventory: InventoryInput[];
}

const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Tokyo'];
const BUSINESSES = [
  'Dental', 'Law Group', 'Bakery', 'Auto Repair', 'Veterinary', 'Realty', 'Architects', 'Clinic', 'Hotel', 'Logistics',
  'Accounting', 'Florist', 'Fitness', 'Insurance', 'Pharmacy',
];
const TOWNS = ['Springfield', 'Riverside', 'Fairview', 'Georgetown', 'Salem', 'Madison', 'Clinton', 'Franklin', 'Ashland', 'Dover'];
const DEVICE_TYPES = ['sip_device', 'sip_device', 'sip_device', 'softphone', 'cellphone', 'landline'];
const NUMBER_FEATURES = ['e911', 'inbound_cnam', 'outbound_cnam', 'port', 'local'];

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function inventoryFor(accountId: string, rnd: SeededRandom, size: number, areaCode: number): InventoryInput[] {
  const items: InventoryInput[] = [];
  for (let i = 1; i <= size; i++) {
    items.push({ _id: `${accountId}/device/${i}`, accountId, kind: 'device', type: rnd.pick(DEVICE_TYPES), label: `ext ${100 + i}` });
  }
  const numbers = rnd.int(1, Math.max(2, Math.ceil(size / 2)));
  for (let i = 1; i <= numbers; i++) {
    const tollfree = i === numbers && rnd.chance(0.4);
    const number = tollfree ? `+1888${String(rnd.int(1000000, 9999999))}` : `+1${areaCode}${String(rnd.int(2000000, 9999999))}`;
    const features = NUMBER_FEATURES.filter((f) => (f === 'e911' ? i === 1 : rnd.chance(0.25)));
    items.push({ _id: `${accountId}/number/${number}`, accountId, kind: 'phone_number', type: tollfree ? 'tollfree_us' : 'did_us', features, label: number });
  }
  const users = rnd.int(1, size + 2);
  for (let i = 1; i <= users; i++) {
    items.push({ _id: `${accountId}/user/${i}`, accountId, kind: 'user', type: i === 1 ? 'admin' : 'user', label: `user${i}` });
  }
  items.push({
    _id: `${accountId}/limits`,
    accountId,
    kind: 'limits',
    type: 'trunks',
    counts: { twoway_trunks: rnd.int(0, 4), inbound_trunks: rnd.int(0, 2), outbound_trunks: rnd.int(0, 2) },
  });
  if (rnd.chance(0.15)) items.push({ _id: `${accountId}/ip/1`, accountId, kind: 'ip', type: 'dedicated', label: `203.0.113.${rnd.int(2, 250)}` });
  return items;
}

/**
 * A realistic platform: a master, two resellers with about thirty customers across seven time zones (some with
 * their own sub-accounts), KAZOO's example plan at the master and a retail plan at each reseller, and inventory.
 */
export function demoDataset(seed = 2600): DemoDataset {
  const rnd = new SeededRandom(seed);
  const accounts: AccountInput[] = [
    {
      id: 'master',
      name: 'Tollkeeper Platform',
      parentId: null,
      timezone: 'UTC',
      billing: { paymentMode: 'credit_then_card', cardToken: 'tok_ok_master', contactEmail: 'billing@platform.example' },
    },
  ];
  const plans: DemoPlan[] = [{ id: 'master-standard', ownerId: 'master', name: 'Platform wholesale (KAZOO example)', document: kazooExample }];
  const assignments: DemoDataset['assignments'] = [];
  const inventory: InventoryInput[] = [];
  const resellers = [
    { id: 'acme-voice', name: 'Acme Voice', timezone: 'America/New_York', mode: 'card_then_credit' as const, token: 'tok_ok_acme' },
    { id: 'globex-telecom', name: 'Globex Telecom', timezone: 'Europe/Berlin', mode: 'credit_then_card' as const, token: 'tok_decline_globex' },
  ];
  for (const [r, reseller] of resellers.entries()) {
    accounts.push({
      id: reseller.id,
      name: reseller.name,
      parentId: 'master',
      isReseller: true,
      timezone: reseller.timezone,
      billing: { paymentMode: reseller.mode, cardToken: reseller.token, contactEmail: `billing@${reseller.id}.example` },
    });
    assignments.push({ accountId: reseller.id, planId: 'master-standard' });
    inventory.push({ _id: `${reseller.id}/branding`, accountId: reseller.id, kind: 'branding', type: 'whitelabel' });
    const retailPlan = `${reseller.id}-retail`;
    plans.push({ id: retailPlan, ownerId: reseller.id, name: `${reseller.name} retail`, document: resellerRetail });
    // The last customers are branches of a franchise customer: a three-level tree below the reseller.
    let franchiseId = reseller.id;
    for (let i = 0; i < 15; i++) {
      const name = `${TOWNS[(i + r * 3) % TOWNS.length] ?? 'Town'} ${BUSINESSES[(i * 7 + r) % BUSINESSES.length] ?? 'Co'}`;
      const parentId = i > 11 ? franchiseId : reseller.id;
      const id = slug(`${reseller.id.split('-')[0] ?? 'r'} ${name}`);
      if (i === 11) franchiseId = id;
      accounts.push({
        id,
        name,
        parentId,
        timezone: i % 5 === 0 ? reseller.timezone : rnd.pick(ZONES),
        billing: { paymentMode: 'self_managed', contactEmail: `office@${id}.example` },
      });
      assignments.push({ accountId: id, planId: retailPlan });
      inventory.push(...inventoryFor(id, rnd, rnd.int(2, 14), rnd.pick([212, 312, 415, 617, 702])));
    }
  }
  const funding: DemoFunding[] = [
    // Card accepted: recharged on the first sweep, with a receipt.
    { accountId: 'acme-voice', recharge: { threshold: '50.00', amount: '100.00', monthlyCap: '500.00' }, alerts: {} },
    // Card declined: the decline notice doubles as the low-balance alert.
    { accountId: 'globex-telecom', recharge: { threshold: '25.00', amount: '50.00' }, alerts: { emails: ['noc@globex-telecom.example'] } },
    // A customer below a reseller: its credit limit is topped up, no card is charged.
    { accountId: 'acme-springfield-dental', recharge: { threshold: '10.00', amount: '20.00' } },
    // Alerts only: a low-balance alert on the first sweep.
    { accountId: 'master', alerts: { threshold: '100.00' } },
  ];
  return { accounts, funding, plans, assignments, inventory };
}
