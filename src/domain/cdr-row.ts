/**
 * One CDR row as it comes from a file (CSV cells or an NDJSON object), validated and rated. Pure.
 *
 * Column names are matched loosely: "Call ID", "callId" and "call_id" are the same column (see `columnName`), so the
 * seed's report headings, camelCase JSON and snake_case all import. A per-minute cost the row does not carry is
 * computed from its rate with the per-minute formula (KAZOO's default increment and minimum); a flat-rate call
 * without a cost costs 0.
 */
import { z } from 'zod';
import { rateCall } from './call-rating';
import { assertAccountId } from './cause-keys';
import { parseUnitsDetailed } from './money';
import type { Units } from './money';
import { describeIssues } from '../validation/format-issues';

export type CallType = 'flat_rate' | 'per_minute';

export interface CdrRow {
  callId: string;
  accountId: string;
  startedAt: Date;
  callerId: string;
  toNumber: string;
  fromNumber: string | null;
  direction: 'inbound' | 'outbound';
  country: string;
  billingSeconds: number;
  rate: Units;
  rateName: string;
  resellerCallType: CallType;
  resellerCost: Units;
  customerCallType: CallType;
  customerCost: Units;
  resellerCostBreakdown: string | null;
  /** Which costs were computed here rather than read from the row. */
  rated: ('customer' | 'reseller')[];
}

/** The columns in the order reports write them, with the heading the seed's CDR report uses. */
export const CDR_COLUMNS = [
  ['date_time', 'Date/Time'],
  ['call_id', 'Call ID'],
  ['caller_id', 'Caller ID'],
  ['to_number', 'To Number'],
  ['billing_minutes', 'Billing Minutes'],
  ['billing_seconds', 'Billing Seconds'],
  ['rate', 'Rate'],
  ['rate_name', 'Rate Name'],
  ['reseller_call_type', 'Reseller Call Type'],
  ['reseller_cost', 'Reseller Cost'],
  ['customer_call_type', 'Customer Call Type'],
  ['customer_cost', 'Customer Cost'],
  ['reseller_cost_breakdown', 'Reseller Cost Breakdown'],
  ['account_id', 'Account ID'],
  ['direction', 'Direction'],
  ['country', 'Country'],
  ['from_number', 'From Number'],
] as const;

export type CdrColumn = (typeof CDR_COLUMNS)[number][0];

const ALIASES: Record<string, CdrColumn> = { datetime: 'date_time', started_at: 'date_time', from_caller_id: 'caller_id', account: 'account_id' };

/** "Call ID" / "callId" / "call-id" -> "call_id"; the seed's "(From) Caller ID" -> "caller_id". */
export function columnName(heading: string): string {
  const snake = heading
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ALIASES[snake] ?? snake;
}

const KNOWN = new Set<string>(CDR_COLUMNS.map(([c]) => c));

export function isKnownColumn(name: string): boolean {
  return KNOWN.has(name);
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(blankToUndefined, z.coerce.string().trim().min(1, 'some text').max(max, `at most ${max} characters`));
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.coerce.string().trim().max(max, `at most ${max} characters`).optional());

const MONEY = 'a decimal amount >= 0 with at most 4 decimals, such as 0.0125';
const money = () =>
  z.preprocess(
    blankToUndefined,
    z
      .union([z.string(), z.number()], MONEY)
      .transform((value, ctx) => {
        const parsed = (() => {
          try {
            return parseUnitsDetailed(value);
          } catch {
            return undefined;
          }
        })();
        if (!parsed || parsed.units < 0 || parsed.excessDigits) {
          ctx.addIssue({ code: 'custom', message: MONEY });
          return z.NEVER;
        }
        return parsed.units;
      })
      .optional(),
  );

const wholeNumber = () => z.preprocess(blankToUndefined, z.coerce.number('a whole number >= 0').int('a whole number >= 0').min(0, 'a whole number >= 0').optional());

const callType = z.preprocess(
  (v) => (typeof v === 'string' ? v.toLowerCase().replace(/[^a-z]/g, '') : v),
  z.enum(['flatrate', 'perminute'], 'flat_rate or per_minute').transform((v): CallType => (v === 'flatrate' ? 'flat_rate' : 'per_minute')),
);

const instant = z.preprocess(
  blankToUndefined,
  z
    .string('an ISO 8601 date-time with its offset, such as 2026-03-01T14:05:09Z')
    .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'an ISO 8601 date-time with its offset, such as 2026-03-01T14:05:09Z')
    .transform((v, ctx) => {
      const date = new Date(v.replace(' ', 'T'));
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'a real date and time' });
        return z.NEVER;
      }
      return date;
    }),
);

const rowSchema = z
  .strictObject({
    date_time: instant,
    call_id: text(256).refine((v) => /^[\x21-\x7e]+$/.test(v), 'visible ASCII characters without spaces'),
    caller_id: text(128),
    to_number: text(128),
    from_number: optionalText(128),
    billing_minutes: wholeNumber(),
    billing_seconds: wholeNumber(),
    rate: money(),
    rate_name: optionalText(128),
    reseller_call_type: callType,
    reseller_cost: money(),
    customer_call_type: callType,
    customer_cost: money(),
    reseller_cost_breakdown: optionalText(1024),
    account_id: text(64).refine((v) => {
      try {
        assertAccountId(v);
        return true;
      } catch {
        return false;
      }
    }, "an account id: letters, digits, '-' and '_'"),
    direction: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['inbound', 'outbound'], 'inbound or outbound')),
    country: text(64),
  })
  .superRefine((row, ctx) => {
    if (row.billing_seconds === undefined && row.billing_minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['billing_seconds'], message: 'billing seconds (or billing minutes) are required' });
    }
    if (row.billing_seconds !== undefined && row.billing_minutes !== undefined && Math.ceil(row.billing_seconds / 60) !== row.billing_minutes) {
      ctx.addIssue({ code: 'custom', path: ['billing_minutes'], message: `billing minutes must be the billing seconds rounded up (${Math.ceil(row.billing_seconds / 60)})` });
    }
    for (const side of ['customer', 'reseller'] as const) {
      if (row[`${side}_call_type`] === 'per_minute' && row[`${side}_cost`] === undefined && row.rate === undefined) {
        ctx.addIssue({ code: 'custom', path: ['rate'], message: `a rate is needed to rate a per-minute call without a ${side} cost` });
      }
    }
  });

type ParsedRow = z.output<typeof rowSchema>;

export type RowResult = { ok: true; row: CdrRow } | { ok: false; problems: string[] };

/** Validates one row given with any column spelling; problems name the column and the value. */
export function parseCdrRow(raw: Readonly<Record<string, unknown>>): RowResult {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = columnName(key);
    if (Object.hasOwn(input, name)) return { ok: false, problems: [`${key}: the same column as another one (${name})`] };
    input[name] = value;
  }
  const result = rowSchema.safeParse(input);
  if (!result.success) return { ok: false, problems: describeIssues(result.error.issues, input) };
  return { ok: true, row: toRow(result.data) };
}

function toRow(r: ParsedRow): CdrRow {
  const billingSeconds = r.billing_seconds ?? (r.billing_minutes ?? 0) * 60;
  const rate = r.rate ?? 0;
  const rated: CdrRow['rated'] = [];
  const cost = (side: 'customer' | 'reseller', type: CallType, given: Units | undefined): Units => {
    if (given !== undefined) return given;
    if (type === 'flat_rate') return 0;
    rated.push(side);
    return rateCall({ billingSeconds, rate }).cost;
  };
  return {
    callId: r.call_id,
    accountId: r.account_id,
    startedAt: r.date_time,
    callerId: r.caller_id,
    toNumber: r.to_number,
    fromNumber: r.from_number ?? null,
    direction: r.direction,
    country: r.country,
    billingSeconds,
    rate,
    rateName: r.rate_name ?? '',
    resellerCallType: r.reseller_call_type,
    customerCallType: r.customer_call_type,
    customerCost: cost('customer', r.customer_call_type, r.customer_cost),
    resellerCost: cost('reseller', r.reseller_call_type, r.reseller_cost),
    resellerCostBreakdown: r.reseller_cost_breakdown ?? null,
    rated,
  };
}
