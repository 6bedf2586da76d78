import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { Collection, Document, OptionalUnlessRequiredId, WriteError } from 'mongodb';

/** MongoDB's error code for a unique-key violation: how "this cause was already written" shows up. */
const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * Runs an upsert keyed by `_id`, once more if it loses the race to insert: two first upserts of one key may both try
 * the insert, and the loser must then update the winner's document instead of failing.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return upsert();
  }
}

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
