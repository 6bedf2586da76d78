/**
 * The "By billing unit" sheet of an account's workbook. Seam: returns null (no sheet) until the billing-unit
 * allocation is wired in.
 */
import type { AccountDoc } from '../store/documents';
import type { Store } from '../store/store';
import type { UnitBreakdown, WorkbookCall } from './account-workbook';

export function billingUnitBreakdown(_store: Store, _account: AccountDoc): Promise<UnitBreakdown<WorkbookCall> | null> {
  return Promise.resolve(null);
}
