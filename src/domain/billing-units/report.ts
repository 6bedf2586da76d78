/**
 * The "by billing unit" report as rows: one per unit, "Unassigned", and the account's total. Pure; the writers
 * (table, CSV, workbook) share the columns defined here.
 */
import { roundToCentsKeepingSum } from '../apportion';
import { sum } from '../money';
import type { Units } from '../money';
import type { BillingUnitAllocation, HeldCharges } from './allocation';
import { UNASSIGNED } from './identifiers';

export interface UnitReportRow {
  readonly label: string;
  /** Empty for "Unassigned" and the total. */
  readonly unitId: string;
  readonly numbers: number;
  readonly users: number;
  readonly calls: number;
  readonly billingMinutes: number;
  /** The calls' customer cost. */
  readonly usage: Units;
  readonly recurring: Units;
  readonly total: Units;
}

export interface UnitReport {
  /** The units in the order given, then "Unassigned". */
  readonly rows: readonly UnitReportRow[];
  readonly total: UnitReportRow;
}

export const TOTAL_LABEL = 'Total';

export interface UnitReportColumn {
  readonly key: keyof UnitReportRow;
  readonly heading: string;
  readonly kind: 'text' | 'count' | 'money';
  /** Whether the rows add up to the total: not for numbers held outside the inventory, nor users in several units. */
  readonly adds: boolean;
}

export const UNIT_REPORT_COLUMNS: readonly UnitReportColumn[] = [
  { key: 'label', heading: 'Billing Unit', kind: 'text', adds: false },
  { key: 'unitId', heading: 'Unit ID', kind: 'text', adds: false },
  { key: 'numbers', heading: 'Numbers', kind: 'count', adds: false },
  { key: 'users', heading: 'Users', kind: 'count', adds: false },
  { key: 'calls', heading: 'Calls', kind: 'count', adds: true },
  { key: 'billingMinutes', heading: 'Billing Minutes', kind: 'count', adds: true },
  { key: 'usage', heading: 'Usage', kind: 'money', adds: true },
  { key: 'recurring', heading: 'Recurring (monthly)', kind: 'money', adds: true },
  { key: 'total', heading: 'Total', kind: 'money', adds: true },
];

function row(label: string, unitId: string, charges: HeldCharges): UnitReportRow {
  return {
    label,
    unitId,
    numbers: charges.numbers,
    users: charges.users,
    calls: charges.usage.calls,
    billingMinutes: charges.usage.billingMinutes,
    usage: charges.usage.customerCost,
    recurring: charges.recurring,
    total: charges.total,
  };
}

/** Exact amounts, to the unit: what a workbook stores. */
export function unitReport(allocation: BillingUnitAllocation): UnitReport {
  return {
    rows: [
      ...allocation.units.map((u) => row(u.unit.name, u.unit.id, u)),
      row(UNASSIGNED, '', allocation.unassigned),
    ],
    total: row(TOTAL_LABEL, '', allocation.account),
  };
}

/**
 * Usage and recurring rounded to whole cents so that each column adds up to its total (see roundToCentsKeepingSum),
 * and every total is usage + recurring as shown: what 2-decimal text (a table, a CSV) needs to add up when read.
 */
export function roundedToCents(report: UnitReport): UnitReport {
  const usage = roundToCentsKeepingSum(report.rows.map((r) => r.usage));
  const recurring = roundToCentsKeepingSum(report.rows.map((r) => r.recurring));
  const rows = report.rows.map((r, i) => ({ ...r, usage: usage[i]!, recurring: recurring[i]!, total: sum([usage[i]!, recurring[i]!]) }));
  const totalUsage = sum(usage);
  const totalRecurring = sum(recurring);
  return { rows, total: { ...report.total, usage: totalUsage, recurring: totalRecurring, total: sum([totalUsage, totalRecurring]) } };
}
