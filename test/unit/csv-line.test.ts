import { csvLine } from '../../src/usage/csv-file';

describe('csvLine', () => {
  it('quotes only what needs it', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', '-3.00'])).toBe('a,"b,c","say ""hi""","two\nlines",-3.00\r\n');
  });
});
