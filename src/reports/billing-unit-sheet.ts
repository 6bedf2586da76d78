/**
 * The "By billing unit" sheet of an account's workbook, from the billing-unit allocation (src/admin/billing-unit-report.ts
 * and src/domain/billing-units/): a row per unit, "Unassigned" and the account's total, exact amounts. Left out when the
 * account has no units. Its calls are those of the report's period in the reseller's zone, as on the CDR sheet, so
 * the sheets of one workbook count the same calls whatever the account's own zone.
 */
import { accountUnitCharges } from '../admin/billing-unit-report';
import { UNIT_REPORT_COLUMNS, unitReport } from '../domain/billing-units';
import type { ReportPeriod } from '../domain/reports/period';
import type { Table } from '../domain/reports/summary';
import { unitsOf } from '../store/billing-units';
import type { Store } from '../store/store';

export async function billingUnitTable(store: Store, accountId: string, period: Pick<ReportPeriod, 'from' | 'to'>, resellerZone: string): Promise<Table | null> {
  if ((await unitsOf(store, accountId)).length === 0) return null;
  const report = unitReport((await accountUnitCharges(store, accountId, period.from, period.to, resellerZone)).allocation);
  return {
    columns: UNIT_REPORT_COLUMNS.map((c) => ({ header: c.heading, width: Math.max(12, c.heading.length + 2), kind: c.kind })),
    rows: [...report.rows, report.total].map((row) => UNIT_REPORT_COLUMNS.map((c) => row[c.key])),
  };
}
