/**
 * What the summaries say about an account: the seed's list of quantities, and usage totals split by country and by
 * how calls are billed. Rows are plain values (counts, integer money units, text); the CSV and workbook writers
 * render them by column kind. Pure.
 */
import type { LocalDate } from '../calendar';
import type { QuantityMap } from '../../store/documents';
import type { CellKind, ColumnSpec, RowValue } from './columns';
import { UsageByCountry } from './usage-by-country';
import type { SplitUsage } from './usage-by-country';
import type { Usage } from '../usage';

/** The seed's "Report Summary Details", after Account ID and Name, with where each count lives in KAZOO's quantities. */
export const SUMMARY_QUANTITIES: readonly { readonly label: string; readonly category: string; readonly item: string }[] = [
  { label: 'Branding White Label', category: 'branding', item: 'whitelabel' },
  { label: 'Toll-free US Numbers', category: 'phone_numbers', item: 'tollfree_us' },
  { label: 'US DIDs', category: 'phone_numbers', item: 'did_us' },
  { label: 'Dedicated IPs', category: 'ips', item: 'dedicated' },
  { label: 'E-911', category: 'number_services', item: 'e911' },
  { label: 'Outbound CNAM', category: 'number_services', item: 'outbound_cnam' },
  { label: 'Inbound CNAM', category: 'number_services', item: 'inbound_cnam' },
  { label: 'Ports', category: 'number_services', item: 'port' },
  { label: 'Local Number Services', category: 'number_services', item: 'local' },
  { label: 'Two-way Trunks', category: 'limits', item: 'twoway_trunks' },
  { label: 'Inbound Trunks', category: 'limits', item: 'inbound_trunks' },
  { label: 'Outbound Trunks', category: 'limits', item: 'outbound_trunks' },
  { label: 'SIP Devices', category: 'devices', item: 'sip_device' },
  { label: 'Landline Devices', category: 'devices', item: 'landline' },
  { label: 'Cellphone Devices', category: 'devices', item: 'cellphone' },
  { label: 'Softphone Devices', category: 'devices', item: 'softphone' },
  { label: 'Users', category: 'users', item: 'user' },
  { label: 'User Admins', category: 'users', item: 'admin' },
  { label: 'Ledgers Per Minute', category: 'ledgers', item: 'per-minute-voip' },
];

/**
 * The account's own counts as billing reads them: a manual quantity wins over the counted one, key by key. Sub-accounts
 * are not added in (each is a row of its own when selected). An account never counted reads as zeros.
 */
export function summaryQuantities(layers: { account: QuantityMap; manual: QuantityMap } | null): number[] {
  return SUMMARY_QUANTITIES.map(({ category, item }) => {
    const manual = layers?.manual[category]?.[item];
    return manual ?? layers?.account[category]?.[item] ?? 0;
  });
}

export interface AccountFacts {
  readonly accountId: string;
  readonly name: string;
  readonly timezone: string;
  /** Aligned with SUMMARY_QUANTITIES. */
  readonly quantities: readonly number[];
  /** When the quantities were last counted; null when never. */
  readonly quantitiesAt: Date | null;
}

const USAGE_PARTS: readonly { readonly label: string; readonly pick: (u: SplitUsage) => Usage }[] = [
  { label: '', pick: (u) => u.total },
  { label: 'Flat-rate ', pick: (u) => u.flatRate },
  { label: 'Per-minute ', pick: (u) => u.perMinute },
];

const USAGE_FIELDS: readonly { readonly label: string; readonly kind: CellKind; readonly width: number; readonly value: (u: Usage) => number }[] = [
  { label: 'Calls', kind: 'count', width: 10, value: (u) => u.calls },
  { label: 'Billing Minutes', kind: 'count', width: 12, value: (u) => u.billingMinutes },
  { label: 'Reseller Cost', kind: 'money', width: 14, value: (u) => u.resellerCost },
  { label: 'Customer Cost', kind: 'money', width: 14, value: (u) => u.customerCost },
];

/** Total, flat-rate and per-minute usage: calls, minutes, reseller cost, customer cost of each. */
export const USAGE_COLUMNS: readonly ColumnSpec[] = USAGE_PARTS.flatMap((part) =>
  USAGE_FIELDS.map((field) => ({ header: `${part.label}${field.label}`, width: field.width, kind: field.kind })),
);

/** Aligned with USAGE_COLUMNS; money in integer units. */
export function usageValues(usage: SplitUsage): number[] {
  return USAGE_PARTS.flatMap((part) => USAGE_FIELDS.map((field) => field.value(part.pick(usage))));
}

export const ALL_COUNTRIES = 'All countries';
/** Not an account id (ids have no spaces), so the cross-account rows can never be mistaken for an account's. */
export const ALL_ACCOUNTS = 'All accounts';

export interface Table {
  readonly columns: readonly ColumnSpec[];
  readonly rows: readonly (readonly RowValue[])[];
}

/** The account's "By country" sheet: a row per country, then the account's total. */
export function countryTable(usage: UsageByCountry): Table {
  return {
    columns: [{ header: 'Country', width: 16, kind: 'text' }, ...USAGE_COLUMNS],
    rows: [...usage.byCountry().map((c) => [c.country, ...usageValues(c)]), [ALL_COUNTRIES, ...usageValues(usage.total)]],
  };
}

export interface SummaryItem {
  readonly label: string;
  readonly kind: CellKind;
  readonly value: RowValue;
}

/** The account's "Summary" sheet: the seed's list, what the report covers, then the usage totals. */
export function accountSummary(facts: AccountFacts, period: { from: LocalDate; to: LocalDate }, usage: UsageByCountry): SummaryItem[] {
  const text = (label: string, value: string): SummaryItem => ({ label, kind: 'text', value });
  const totals = usageValues(usage.total);
  return [
    text('Account ID', facts.accountId),
    text('Name', facts.name),
    ...SUMMARY_QUANTITIES.map((q, i): SummaryItem => ({ label: q.label, kind: 'count', value: facts.quantities[i] ?? 0 })),
    text('Period From', period.from),
    text('Period To', period.to),
    text('Time Zone', facts.timezone),
    { label: 'Quantities Counted At', kind: 'datetime', value: facts.quantitiesAt },
    ...USAGE_COLUMNS.map((column, i): SummaryItem => ({ label: column.header, kind: column.kind, value: totals[i] ?? 0 })),
  ];
}

export interface AccountTally {
  readonly facts: AccountFacts;
  readonly usage: UsageByCountry;
}

export const SUMMARY_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { header: 'Account ID', width: 34, kind: 'text' },
  { header: 'Name', width: 28, kind: 'text' },
  { header: 'Country', width: 16, kind: 'text' },
  ...SUMMARY_QUANTITIES.map((q): ColumnSpec => ({ header: q.label, width: Math.max(8, q.label.length + 2), kind: 'count' })),
  ...USAGE_COLUMNS,
];

/**
 * The seed's "CSV Summary of all Accounts": per account a row with its quantities and usage ("All countries"), then
 * a row per country it called; after every account, the same for all accounts together. Country rows leave the
 * quantities empty: numbers and devices belong to an account, not to a country.
 */
export function summaryTable(accounts: readonly AccountTally[]): Table {
  const overall = new UsageByCountry();
  for (const account of accounts) overall.addAll(account.usage);
  const blank = SUMMARY_QUANTITIES.map(() => null);
  const block = (id: string, name: string, quantities: readonly RowValue[], usage: UsageByCountry): RowValue[][] => [
    [id, name, ALL_COUNTRIES, ...quantities, ...usageValues(usage.total)],
    ...usage.byCountry().map((c) => [id, name, c.country, ...blank, ...usageValues(c)]),
  ];
  const quantityTotals = SUMMARY_QUANTITIES.map((_, i) => accounts.reduce((total, a) => total + (a.facts.quantities[i] ?? 0), 0));
  return {
    columns: SUMMARY_TABLE_COLUMNS,
    rows: [...accounts.flatMap((a) => block(a.facts.accountId, a.facts.name, a.facts.quantities, a.usage)), ...block(ALL_ACCOUNTS, '', quantityTotals, overall)],
  };
}
