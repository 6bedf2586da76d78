/**
 * Report files are written under a temporary name and renamed when complete, so a file under its real name is
 * always whole: a run killed half-way leaves only a `.partial` file, which the next run overwrites.
 */
import { access, rename, rm } from 'node:fs/promises';

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function buildFile<T>(path: string, build: (temporary: string) => Promise<T>): Promise<T> {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    const result = await build(temporary);
    await rename(temporary, path);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
