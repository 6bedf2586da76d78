import type { Units } from '../money';

/** The item key that prices a whole category. */
export const ALL_ITEMS = '_all';

/** Tier(T, x) tables: keys ascending, rates[i] belongs to keys[i]. */
export interface TierTable {
  readonly keys: readonly number[];
  readonly rates: readonly Units[];
}

export interface SingleDiscount {
  readonly rate?: Units;
  readonly minimum?: number;
}

export interface CumulativeDiscount {
  readonly rate?: Units;
  readonly rates?: TierTable;
  readonly maximum?: number;
  readonly minimum?: number;
}

/** One (category, item) of a merged plan with its money already in units. */
export interface PlanItem {
  readonly category: string;
  /** The key in the plan (`_all` included); quantities are looked up by it. */
  readonly key: string;
  /** The reported item: `as`, else the key. */
  readonly item: string;
  readonly name: string;
  readonly rate?: Units;
  readonly rates?: TierTable;
  readonly flatRate?: Units;
  readonly flatRates?: TierTable;
  readonly activationCharge?: Units;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly step: number;
  readonly cascade: boolean;
  readonly exceptions: readonly string[];
  readonly singleDiscount?: SingleDiscount;
  readonly cumulativeDiscount?: CumulativeDiscount;
}

/** A merged plan ready to price: items sorted by category then key, so key order in the JSON never matters. */
export interface Plan {
  readonly items: readonly PlanItem[];
}

/** `{ [category]: { [item]: count } }` */
export type Quantities = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** account: the account's own counts; cascade: summed over its sub-accounts; manual: operator-set, wins over account per key. */
export interface QuantityLayers {
  readonly account?: Quantities;
  readonly cascade?: Quantities;
  readonly manual?: Quantities;
}

/** A priced line as it is billed, stored and handed on (snapshot, invoice, bookkeeper): an evaluated line without its working. */
export interface PricedLine {
  readonly category: string;
  readonly item: string;
  readonly name: string;
  readonly quantity: number;
  readonly billable: number;
  readonly rate: Units;
  readonly total: Units;
}

export interface EvaluatedLine extends PricedLine {
  readonly discounts: {
    readonly single: Units;
    readonly cumulative: { readonly quantity: number; readonly rate: Units };
  };
  /** Present when the item has an `activation_charge`: max(0, Δbillable) x charge. */
  readonly activation?: Units;
  readonly explanation: string;
}

export interface Evaluation {
  readonly items: readonly EvaluatedLine[];
  /** Sum of line totals. */
  readonly recurring: Units;
  /** Sum of line activation charges. */
  readonly activation: Units;
}
