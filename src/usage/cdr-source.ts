import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { columnName, isKnownColumn } from '../domain/cdr-row';
import { ValidationError } from '../validation/format-issues';

export type CdrFormat = 'csv' | 'ndjson';

/** A record with the line it starts on, or a line that is not a record at all. */
export type SourceItem = { line: number; record: Record<string, unknown> } | { line: number; problem: string };

export function formatOf(path: string): CdrFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new ValidationError(`${path}: cannot tell the format from "${ext || '(no extension)'}": expected .csv, .ndjson or .jsonl`, []);
}

/** Streams the file record by record: memory stays bounded by one record, whatever the file's size. */
export function readCdrFile(path: string, format: CdrFormat = formatOf(path)): AsyncGenerator<SourceItem> {
  return format === 'csv' ? readCsv(path) : readNdjson(path);
}

async function* readNdjson(path: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, problem: `not JSON (${(error as Error).message})` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { line, problem: 'expected a JSON object' };
    else yield { line, record: value as Record<string, unknown> };
  }
}

async function* readCsv(path: string): AsyncGenerator<SourceItem> {
  const parser = createReadStream(path).pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | undefined;
  try {
    for await (const item of csvRecords(parser)) {
      if (!header) {
        header = checkedHeader(path, item.record);
        continue;
      }
      if (item.record.length !== header.length) {
        yield { line: item.line, problem: `expected ${header.length} fields as in the header, got ${item.record.length}` };
        continue;
      }
      const cells = item.record;
      yield { line: item.line, record: Object.fromEntries(header.map((name, i) => [name, cells[i]])) };
    }
  } catch (error) {
    // Past a broken quote nothing can be read reliably: what came before stays imported, a fixed file re-imports.
    if (error instanceof CsvError) throw new ValidationError(`${path}: ${error.message}`, []);
    throw error;
  }
}

async function* csvRecords(parser: AsyncIterable<unknown>): AsyncGenerator<{ line: number; record: string[] }> {
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // info.lines is where the record ends; a quoted cell may span lines.
    yield { line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0), record };
  }
}

/** A header naming an unknown column is refused as a whole: a misspelt cost column must not be rated silently. */
function checkedHeader(path: string, cells: string[]): string[] {
  const names = cells.map(columnName);
  const unknown = cells.filter((_, i) => !isKnownColumn(names[i] ?? ''));
  if (unknown.length > 0) {
    throw new ValidationError(`${path}: line 1: unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}`, []);
  }
  return names;
}
