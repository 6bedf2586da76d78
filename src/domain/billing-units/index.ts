/** Billing units: groups of an account's numbers and users, and its charges broken down by them. Pure. */
export type { AllocatedResource, AllocationInput, BillingUnitAllocation, BillingUnitMembers, ChargeTotals, HeldCharges, UnitCharges } from './allocation';
export { allocateToBillingUnits, BillingUnitAllocationError } from './allocation';
export type { UnitName } from './identifiers';
export { BillingUnitInputError, canonicalNumber, nameKey, phoneNumber, UNASSIGNED, unitName } from './identifiers';
export type { UnitReport, UnitReportColumn, UnitReportRow } from './report';
export { roundedToCents, TOTAL_LABEL, UNIT_REPORT_COLUMNS, unitReport } from './report';
export type { CallForUnits, UsageByNumber } from './usage';
export { addCall, attributedNumber, tallyCalls } from './usage';
