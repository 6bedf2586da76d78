import { csvLine } from '../../src/usage/csv-file';

describe('csvLine', () => {
  it('quotes only what needs it', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', '-3.00'])).toBe('a,"b,c","say ""hi""","two\nlines",-3.00\r\n');
  });
});

describe('csvLine against spreadsheet formulas', () => {
  it('defuses cells a spreadsheet would run, and leaves numbers and phone numbers alone', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '@SUM(A1)', '-2+3', '+15551234567', '-3.00', '\tx'])).toBe(
      `"'=HYPERLINK(""http://x"")",'@SUM(A1),'-2+3,+15551234567,-3.00,'\tx\r\n`,
    );
  });
});
