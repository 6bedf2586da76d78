import { MongoBulkWriteError } from 'mongodb';
import type { Collection, Document, OptionalUnlessRequiredId, WriteError } from 'mongodb';

/** MongoDB's error code for a unique-key violation: how "this cause was already written" shows up. */
export const DUPLICATE_KEY = 11000;

/**
 * An unordered insert that treats duplicate keys as "already there" and returns their indexes; any other write error
 * is thrown. The count of inserted documents is derived from the duplicates, not read from the result, because
 * mongo-java-server reports every document of a failed bulk insert as inserted.
 */
export async function insertManyKeepingNew<T extends Document & { _id: string }>(collection: Collection<T>, docs: readonly T[]): Promise<number[]> {
  if (docs.length === 0) return [];
  try {
    await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false });
    return [];
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((e: WriteError) => e.code !== DUPLICATE_KEY)) throw error;
    return writeErrors.map((e: WriteError) => e.index);
  }
}
