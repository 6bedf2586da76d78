/**
 * How report cells are shown: each column has a kind, and each kind one Excel number format. The workbooks keep
 * numbers and dates as numbers and dates (so a reseller can sum, filter and re-price them); only the format decides
 * how many decimals are shown. Pure.
 */
import { formatRate, formatUnits, UNITS_PER_DOLLAR } from '../money';
import type { Units } from '../money';

export type CellKind = 'text' | 'count' | 'money' | 'rate' | 'datetime' | 'date';

/** A cell as the domain has it: money in integer units, counts, text, a date; null for an empty cell. */
export type RowValue = string | number | Date | null;

export interface ColumnSpec {
  readonly header: string;
  /** In characters, as Excel measures column widths. */
  readonly width: number;
  readonly kind: CellKind;
}

/** Money with 2 decimals and rates with 4, as the billing semantics show them; the cell keeps every digit. */
export const NUMBER_FORMATS: Readonly<Record<CellKind, string | undefined>> = {
  text: undefined,
  count: '#,##0',
  money: '#,##0.00',
  rate: '0.0000',
  datetime: 'yyyy-mm-dd hh:mm:ss',
  date: 'yyyy-mm-dd',
};

/** Units as the number of dollars a cell holds: exact for any amount with up to 4 decimals, as all units are. */
export function dollars(units: Units): number {
  return units / UNITS_PER_DOLLAR;
}

const IN_UNITS: ReadonlySet<CellKind> = new Set(['money', 'rate']);

/** What an Excel cell holds: money and rates as dollars, everything else as it is. */
export function workbookValue(kind: CellKind, value: RowValue): RowValue {
  return IN_UNITS.has(kind) && typeof value === 'number' ? dollars(value) : value;
}

/**
 * CSV text: money with 2 decimals, or 4 when it has fractions of a cent (per-minute costs often do), so that the rows
 * add up to the totals exactly.
 */
export function csvText(kind: CellKind, value: RowValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (kind === 'money' && typeof value === 'number') return formatRate(value);
  if (kind === 'rate' && typeof value === 'number') return formatUnits(value, 4);
  return String(value);
}
