import { readFile } from 'node:fs/promises';
import { ValidationError } from '../validation/format-issues';

/** Reads a JSON file, naming the file in any error (missing, unreadable, not JSON). */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`${path}: cannot read: ${(error as Error).message}`, []);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`${path}: not valid JSON: ${(error as Error).message}`, []);
  }
}
