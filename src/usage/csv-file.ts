import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Resellers open these files in spreadsheets, and a caller id is text a caller controls: a cell that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, unless it is a plain number.
 */
function defused(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180: a cell is quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvLine(cells: readonly string[]): string {
  return `${cells
    .map(defused)
    .map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(',')}\r\n`;
}

/**
 * Writes rows as they come (bounded memory, backpressure respected) to a temporary file renamed into place at the
 * end, so a failed export never leaves a half-written file under the requested name. Returns the row count.
 */
export async function writeCsvFile(path: string, header: readonly string[], rows: AsyncIterable<readonly string[]>): Promise<number> {
  const temporary = `${path}.${process.pid}.partial`;
  const out = createWriteStream(temporary, { encoding: 'utf8' });
  let count = 0;
  try {
    out.write(csvLine(header));
    for await (const row of rows) {
      count++;
      if (!out.write(csvLine(row))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
    return count;
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
