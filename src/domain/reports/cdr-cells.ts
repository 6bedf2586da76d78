/**
 * One call as a row of the "CDRs" sheet: the seed's columns in its order, then the country (which ties the row to
 * the "By country" sheet). Pure.
 */
import { IANAZone } from 'luxon';
import { assertTimeZone } from '../calendar';
import { CDR_COLUMNS } from '../cdr-row';
import type { CdrColumn } from '../cdr-row';
import type { CdrDoc } from '../../store/documents';
import type { CellKind, ColumnSpec, RowValue } from './columns';
import { billingMinutes } from '../usage';

export type ReportedCdr = Pick<
  CdrDoc,
  | '_id'
  | 'startedAt'
  | 'callerId'
  | 'toNumber'
  | 'billingSeconds'
  | 'rate'
  | 'rateName'
  | 'resellerCallType'
  | 'resellerCost'
  | 'customerCallType'
  | 'customerCost'
  | 'resellerCostBreakdown'
  | 'country'
>;

/** Headings come from the CDR file format, so a sheet saved as CSV imports again (`cdrs import`). */
const LAYOUT: readonly [CdrColumn, number, CellKind][] = [
  ['date_time', 20, 'datetime'],
  ['call_id', 38, 'text'],
  ['caller_id', 18, 'text'],
  ['to_number', 18, 'text'],
  ['billing_minutes', 10, 'count'],
  ['rate', 10, 'rate'],
  ['rate_name', 22, 'text'],
  ['reseller_call_type', 12, 'text'],
  ['reseller_cost', 12, 'money'],
  ['customer_call_type', 12, 'text'],
  ['customer_cost', 12, 'money'],
  ['reseller_cost_breakdown', 40, 'text'],
  ['country', 10, 'text'],
];

const HEADINGS = new Map<string, string>(CDR_COLUMNS);

export const CDR_SHEET_COLUMNS: readonly ColumnSpec[] = LAYOUT.map(([column, width, kind]) => ({ header: HEADINGS.get(column) ?? column, width, kind }));

const MS_PER_MINUTE = 60_000;

/**
 * The instant moved by the zone's offset at that instant. Excel dates have no zone and exceljs writes a Date's UTC
 * fields, so the shifted Date makes Excel show the account's wall clock (DST included) rather than UTC.
 * The zone is checked once, not per row: a sheet may have a million rows.
 */
export function wallClockIn(zone: string): (instant: Date) => Date {
  const tz = IANAZone.create(assertTimeZone(zone));
  return (instant) => new Date(instant.getTime() + tz.offset(instant.getTime()) * MS_PER_MINUTE);
}

/** The row mapping for calls of an account in `zone`. */
export function cdrCellsIn(zone: string): (call: ReportedCdr) => RowValue[] {
  const wallClock = wallClockIn(zone);
  return (call) => [
    wallClock(call.startedAt),
    call._id,
    call.callerId,
    call.toNumber,
    billingMinutes(call.billingSeconds),
    call.rate,
    call.rateName,
    call.resellerCallType,
    call.resellerCost,
    call.customerCallType,
    call.customerCost,
    call.resellerCostBreakdown ?? '',
    call.country,
  ];
}

/** Excel's sheet size: 1,048,576 rows, the header included. */
export const EXCEL_MAX_ROWS = 1_048_576;

/** "CDRs", then "CDRs (2)", "CDRs (3)", ... for the calls that do not fit on the sheets before. */
export function cdrSheetName(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`sheet index must be a whole number >= 0: ${index}`);
  return index === 0 ? 'CDRs' : `CDRs (${index + 1})`;
}
