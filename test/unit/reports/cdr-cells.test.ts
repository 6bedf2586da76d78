import fc from 'fast-check';
import { CDR_SHEET_COLUMNS, cdrCellsIn, cdrSheetName, wallClockIn } from '../../../src/domain/reports/cdr-cells';
import { csvText, workbookValue } from '../../../src/domain/reports/columns';
import type { ReportedCdr } from '../../../src/domain/reports/cdr-cells';

const CALL: ReportedCdr = {
  _id: 'call-1@pbx',
  startedAt: new Date('2026-03-08T06:59:30Z'),
  callerId: '+12125550100',
  toNumber: '+4930123456',
  billingSeconds: 61,
  rate: 125,
  rateName: 'DE-fixed',
  resellerCallType: 'per_minute',
  resellerCost: 250,
  customerCallType: 'flat_rate',
  customerCost: 0,
  resellerCostBreakdown: null,
  country: 'DE',
};

describe('CDR sheet row', () => {
  it("has the seed's columns in its order, then the country", () => {
    expect(CDR_SHEET_COLUMNS.map((c) => c.header)).toEqual([
      'Date/Time',
      'Call ID',
      'Caller ID',
      'To Number',
      'Billing Minutes',
      'Rate',
      'Rate Name',
      'Reseller Call Type',
      'Reseller Cost',
      'Customer Call Type',
      'Customer Cost',
      'Reseller Cost Breakdown',
      'Country',
    ]);
  });

  it('maps a call to typed cells in the account’s wall clock', () => {
    const cells = cdrCellsIn('America/New_York')(CALL);
    expect(cells).toEqual([
      new Date('2026-03-08T01:59:30Z'),
      'call-1@pbx',
      '+12125550100',
      '+4930123456',
      2,
      125,
      'DE-fixed',
      'per_minute',
      250,
      'flat_rate',
      0,
      '',
      'DE',
    ]);
    expect(cells.map((v, i) => workbookValue(CDR_SHEET_COLUMNS[i]!.kind, v)).slice(4, 11)).toEqual([2, 0.0125, 'DE-fixed', 'per_minute', 0.025, 'flat_rate', 0]);
    expect(cells.map((v, i) => csvText(CDR_SHEET_COLUMNS[i]!.kind, v)).slice(4, 11)).toEqual(['2', '0.0125', 'DE-fixed', 'per_minute', '0.0250', 'flat_rate', '0.00']);
  });

  it('follows DST: the same UTC hour reads an hour later after the spring change', () => {
    const wall = wallClockIn('America/New_York');
    expect(wall(new Date('2026-03-08T06:59:59Z')).toISOString()).toBe('2026-03-08T01:59:59.000Z');
    expect(wall(new Date('2026-03-08T07:00:00Z')).toISOString()).toBe('2026-03-08T03:00:00.000Z');
  });

  it('shows in UTC+offset exactly what luxon shows in the zone', () => {
    const zones = ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        const shown = wallClockIn(zone)(new Date(ms)).toISOString().slice(0, 19);
        const expected = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
          .format(new Date(ms))
          .replace(' ', 'T');
        expect(shown).toBe(expected);
      }),
    );
  });

  it('refuses a zone that is not IANA', () => {
    expect(() => cdrCellsIn('UTC+3')).toThrow('unknown IANA time zone: "UTC+3"');
  });
});

describe('cdrSheetName', () => {
  it('numbers the continuation sheets', () => {
    expect([0, 1, 2, 9].map(cdrSheetName)).toEqual(['CDRs', 'CDRs (2)', 'CDRs (3)', 'CDRs (10)']);
    expect(() => cdrSheetName(-1)).toThrow(RangeError);
  });
});
