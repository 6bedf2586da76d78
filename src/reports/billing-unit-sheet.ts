/**
 * The "By billing unit" sheet of an account's workbook, from the billing-unit allocation (src/admin/billing-unit-report.ts
 * and src/domain/billing-units/): a row per unit, "Unassigned" and the account's total, exact amounts. Left out when the
 * account has no units. The allocation reads the account's calls itself, between the report's dates taken as the
 * account's local dates (the CDR sheet's period is the reseller's): for an account in another zone the two differ by
 * the hours between the zones.
 */
import { accountUnitCharges } from '../admin/billing-unit-report';
import { UNIT_REPORT_COLUMNS, unitReport } from '../domain/billing-units';
import type { ReportPeriod } from '../domain/reports/period';
import type { Table } from '../domain/reports/summary';
import { unitsOf } from '../store/billing-units';
import type { Store } from '../store/store';

export async function billingUnitTable(store: Store, accountId: string, period: Pick<ReportPeriod, 'from' | 'to'>): Promise<Table | null> {
  if ((await unitsOf(store, accountId)).length === 0) return null;
  const report = unitReport((await accountUnitCharges(store, accountId, period.from, period.to)).allocation);
  return {
    columns: UNIT_REPORT_COLUMNS.map((c) => ({ header: c.heading, width: Math.max(12, c.heading.length + 2), kind: c.kind })),
    rows: [...report.rows, report.total].map((row) => UNIT_REPORT_COLUMNS.map((c) => row[c.key])),
  };
}
