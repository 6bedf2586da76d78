/**
 * Attachments over the size threshold travel as one zip archive, written by yazl straight from the files on disk
 * (nothing is held in memory). Workbooks are zip files already, so they are stored, not deflated again.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { buildFile } from './built-file';

export interface ZipEntry {
  /** The file on disk. */
  path: string;
  /** Its name in the archive. */
  name: string;
}

export function zipFiles(path: string, entries: readonly ZipEntry[]): Promise<void> {
  return buildFile(path, async (temporary) => {
    const zip = new yazl.ZipFile();
    for (const entry of entries) zip.addFile(entry.path, entry.name, { compress: !entry.name.endsWith('.xlsx') });
    // A file that cannot be read is reported on the ZipFile, not on its output stream.
    const unreadable = once(zip, 'error').then(([error]: unknown[]) => Promise.reject(error as Error));
    const written = pipeline(zip.outputStream, createWriteStream(temporary));
    zip.end();
    await Promise.race([written, unreadable]);
  });
}
