/**
 * Billing units and the numbers they hold. Without transactions, the one-unit-per-number rule lives in the key of
 * `unit_numbers` (`<account>/<number>`): of two units claiming a number at once, one insert wins and the other sees a
 * duplicate key; moving a number is a compare-and-set on its current unit, so a move never takes a number from a unit
 * that no longer holds it. Users are a set on the unit document, changed by single-document updates.
 */
import type { BillingUnitDoc, UnitNumberDoc } from './documents';
import { isDuplicateKey } from './duplicates';
import type { Store } from './store';

export function unitNumberId(accountId: string, number: string): string {
  return `${accountId}/${number}`;
}

export function unitsOf(store: Store, accountId: string): Promise<BillingUnitDoc[]> {
  return store.billingUnits.find({ accountId }).sort({ nameKey: 1, _id: 1 }).toArray();
}

export function unitsById(store: Store, ids: readonly string[]): Promise<BillingUnitDoc[]> {
  return store.billingUnits.find({ _id: { $in: [...ids] } }).toArray();
}

/** The account's numbers held by units: all of them, or one unit's. */
export function heldNumbers(store: Store, accountId: string, unitId?: string): Promise<UnitNumberDoc[]> {
  return store.unitNumbers.find(unitId === undefined ? { accountId } : { accountId, unitId }).sort({ number: 1 }).toArray();
}

export function holdersOf(store: Store, accountId: string, numbers: readonly string[]): Promise<UnitNumberDoc[]> {
  return store.unitNumbers.find({ _id: { $in: numbers.map((n) => unitNumberId(accountId, n)) } }).toArray();
}

/** False when the id or the account's name key is taken (the unique index `account_name`). */
export async function insertUnit(store: Store, unit: BillingUnitDoc): Promise<boolean> {
  try {
    await store.billingUnits.insertOne(unit);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** 'taken' when another unit of the account has the name key. */
export async function renameUnit(store: Store, unit: Pick<BillingUnitDoc, '_id' | 'accountId' | 'name' | 'nameKey'>, now: Date): Promise<'renamed' | 'missing' | 'taken'> {
  try {
    const result = await store.billingUnits.updateOne({ _id: unit._id, accountId: unit.accountId }, { $set: { name: unit.name, nameKey: unit.nameKey, updatedAt: now } });
    return result.matchedCount === 0 ? 'missing' : 'renamed';
  } catch (error) {
    if (isDuplicateKey(error)) return 'taken';
    throw error;
  }
}

/**
 * Removes the unit, then releases its numbers. In that order, an assignment racing the removal either has its
 * number released here or finds the unit gone when it checks after claiming (see unitExists) and releases it itself.
 */
export async function deleteUnit(store: Store, accountId: string, unitId: string): Promise<{ unit: BillingUnitDoc; released: number } | null> {
  const unit = await store.billingUnits.findOneAndDelete({ _id: unitId, accountId });
  if (!unit) return null;
  const released = await store.unitNumbers.deleteMany({ accountId, unitId });
  return { unit, released: released.deletedCount };
}

export async function unitExists(store: Store, unitId: string): Promise<boolean> {
  return (await store.billingUnits.countDocuments({ _id: unitId }, { limit: 1 })) > 0;
}

/** Takes a number no unit holds; when one does, returns the unit that holds it (null: it was released meanwhile). */
export async function claimNumber(store: Store, held: Omit<UnitNumberDoc, '_id'>): Promise<{ claimed: true } | { claimed: false; holder: string | null }> {
  const _id = unitNumberId(held.accountId, held.number);
  try {
    await store.unitNumbers.insertOne({ _id, ...held });
    return { claimed: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const holder = await store.unitNumbers.findOne({ _id });
    return { claimed: false, holder: holder?.unitId ?? null };
  }
}

/** Compare-and-set: moves the number only if `from` still holds it. */
export async function moveNumber(store: Store, accountId: string, number: string, from: string, to: string, now: Date): Promise<boolean> {
  const result = await store.unitNumbers.updateOne({ _id: unitNumberId(accountId, number), unitId: from }, { $set: { unitId: to, assignedAt: now } });
  return result.modifiedCount > 0;
}

/** Compare-and-delete: releases the number only if `unitId` holds it. */
export async function releaseNumber(store: Store, accountId: string, number: string, unitId: string): Promise<boolean> {
  const result = await store.unitNumbers.deleteOne({ _id: unitNumberId(accountId, number), unitId });
  return result.deletedCount > 0;
}

/** False when the unit no longer exists. */
export async function addUsers(store: Store, unitId: string, users: readonly string[], now: Date): Promise<boolean> {
  const result = await store.billingUnits.updateOne({ _id: unitId }, { $addToSet: { users: { $each: [...users] } }, $set: { updatedAt: now } });
  return result.matchedCount > 0;
}

export async function removeUsers(store: Store, unitId: string, users: readonly string[], now: Date): Promise<boolean> {
  const result = await store.billingUnits.updateOne({ _id: unitId }, { $pull: { users: { $in: [...users] } }, $set: { updatedAt: now } });
  return result.matchedCount > 0;
}
