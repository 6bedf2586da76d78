/**
 * Managing an account's billing units: add, rename, remove, assign and release numbers and users. Numbers and users
 * must be in the account's inventory; a number belongs to one unit at most (moved only when asked), a user to any.
 * Every request is checked whole before anything is written, so a refused request changes nothing; only a request
 * that loses a race to another one at the same moment can end half done, and its error then says what was done.
 */
import { randomBytes } from 'node:crypto';
import { canonicalNumber, nameKey, phoneNumber, unitName } from '../domain/billing-units';
import { getAccount } from '../store/accounts';
import {
  addUsers,
  claimNumber,
  deleteUnit,
  heldNumbers,
  holdersOf,
  insertUnit,
  moveNumber,
  releaseNumber,
  removeUsers,
  renameUnit,
  unitExists,
  unitsById,
  unitsOf,
} from '../store/billing-units';
import type { BillingUnitDoc, InventoryDoc } from '../store/documents';
import { inventoryOf } from '../store/inventory';
import type { Store } from '../store/store';

/** A refused billing-unit operation; the message names the unit, number or user and why. */
export class BillingUnitError extends Error {}

/** How many times a number is re-read when other requests keep changing its unit under this one. */
const PLACEMENT_TRIES = 5;

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** A unit by its name (compared as unit names are) or, failing that, its id. */
export async function findUnit(store: Store, accountId: string, ref: string): Promise<BillingUnitDoc> {
  await getAccount(store, accountId);
  const units = await unitsOf(store, accountId);
  const key = nameKey(ref);
  const found = units.find((u) => u.nameKey === key) ?? units.find((u) => u._id === ref.trim());
  if (found) return found;
  const known = units.length === 0 ? 'it has none' : `its units: ${quoted(units.map((u) => u.name))}`;
  throw new BillingUnitError(`account "${accountId}" has no billing unit "${ref}" (${known})`);
}

export async function addBillingUnit(store: Store, accountId: string, nameText: string, now: Date): Promise<BillingUnitDoc> {
  await getAccount(store, accountId);
  const { name, key } = unitName(nameText, 'NAME');
  // 64 random bits: ids are never reused, so a number claimed for a removed unit can always be told apart.
  const unit: BillingUnitDoc = { _id: `bu-${randomBytes(8).toString('hex')}`, accountId, name, nameKey: key, users: [], createdAt: now, updatedAt: now };
  if (await insertUnit(store, unit)) return unit;
  throw await nameTaken(store, accountId, key);
}

async function nameTaken(store: Store, accountId: string, key: string): Promise<BillingUnitError> {
  const holder = (await unitsOf(store, accountId)).find((u) => u.nameKey === key);
  return new BillingUnitError(`account "${accountId}" already has a billing unit named "${holder?.name ?? key}"${holder ? ` (${holder._id})` : ''}`);
}

export async function renameBillingUnit(store: Store, accountId: string, ref: string, newName: string, now: Date): Promise<{ from: string; unit: BillingUnitDoc }> {
  const unit = await findUnit(store, accountId, ref);
  const { name, key } = unitName(newName, 'NEW_NAME');
  const outcome = await renameUnit(store, { _id: unit._id, accountId, name, nameKey: key }, now);
  if (outcome === 'taken') throw await nameTaken(store, accountId, key);
  if (outcome === 'missing') throw new BillingUnitError(`billing unit "${unit.name}" was removed meanwhile`);
  return { from: unit.name, unit: { ...unit, name, nameKey: key, updatedAt: now } };
}

/** Removes the unit and releases its numbers and users (they stay in the account's inventory). */
export async function removeBillingUnit(store: Store, accountId: string, ref: string): Promise<{ unit: BillingUnitDoc; numbers: number; users: number }> {
  const unit = await findUnit(store, accountId, ref);
  const removed = await deleteUnit(store, accountId, unit._id);
  if (!removed) throw new BillingUnitError(`billing unit "${unit.name}" was removed meanwhile`);
  return { unit: removed.unit, numbers: removed.released, users: removed.unit.users.length };
}

export interface MembersRequest {
  /** Phone numbers as people write them; E.164 once canonical. */
  readonly numbers: readonly string[];
  /** Users by inventory id, or by name when one user of the account has it. */
  readonly users: readonly string[];
}

export interface AssignOutcome {
  readonly unit: BillingUnitDoc;
  readonly assigned: string[];
  readonly moved: { number: string; from: string }[];
  /** Numbers and users the unit already had. */
  readonly already: string[];
  readonly usersAdded: string[];
}

/** The account's phone numbers, canonical, with their inventory items. */
function numbersIn(inventory: readonly InventoryDoc[]): Map<string, InventoryDoc> {
  return new Map(inventory.filter((i) => i.kind === 'phone_number' && i.label).map((i) => [canonicalNumber(i.label!), i]));
}

function checkNumbersInInventory(accountId: string, numbers: readonly string[], inventory: readonly InventoryDoc[]): string[] {
  const owned = numbersIn(inventory);
  return numbers.filter((n) => !owned.has(n)).map((n) => `--numbers: ${n} is not a phone number of account "${accountId}"`);
}

/** Inventory ids of the users named; problems name each user that is unknown or ambiguous. */
function resolveUsers(accountId: string, refs: readonly string[], inventory: readonly InventoryDoc[]): { ids: string[]; problems: string[] } {
  const users = inventory.filter((i) => i.kind === 'user');
  const ids: string[] = [];
  const problems: string[] = [];
  for (const ref of unique(refs.map((r) => r.trim()))) {
    const byId = users.find((u) => u._id === ref);
    const byName = byId ? [byId] : users.filter((u) => u.label === ref);
    if (byName.length === 1) ids.push(byName[0]!._id);
    else if (byName.length === 0) problems.push(`--users: account "${accountId}" has no user "${ref}" (by id or name)`);
    else problems.push(`--users: "${ref}" names ${byName.length} users of account "${accountId}" (${byName.map((u) => u._id).join(', ')}): give the id`);
  }
  return { ids: unique(ids), problems };
}

async function unitNames(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await unitsById(store, unique(ids))).map((u) => [u._id, u.name]));
}

type Placement = { kind: 'assigned' } | { kind: 'already' } | { kind: 'moved'; from: string } | { kind: 'refused'; holder: string };

/**
 * Puts one number in the unit. The claim is the insert of its `unit_numbers` key, so of two requests at once only
 * one claims it; with `move`, a number held elsewhere is moved by compare-and-set from the unit seen holding it.
 * A number held by a removed unit (a removal that died half-way) is free to take.
 */
async function placeNumber(store: Store, unit: BillingUnitDoc, number: string, move: boolean, now: Date): Promise<Placement> {
  for (let attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
    const claim = await claimNumber(store, { accountId: unit.accountId, number, unitId: unit._id, assignedAt: now });
    if (claim.claimed) return { kind: 'assigned' };
    if (claim.holder === null) continue;
    if (claim.holder === unit._id) return { kind: 'already' };
    const holderName = (await unitNames(store, [claim.holder])).get(claim.holder);
    if (holderName !== undefined && !move) return { kind: 'refused', holder: holderName };
    if (await moveNumber(store, unit.accountId, number, claim.holder, unit._id, now)) return { kind: 'moved', from: holderName ?? '(a removed unit)' };
  }
  throw new BillingUnitError(`number ${number} kept changing units while being assigned to "${unit.name}"; try again`);
}

function refusal(number: string, holder: string, unit: BillingUnitDoc): string {
  return `number ${number} is in billing unit "${holder}" (a number belongs to one unit; use --move to move it to "${unit.name}")`;
}

export async function assignToBillingUnit(store: Store, accountId: string, ref: string, request: MembersRequest & { move: boolean }, now: Date): Promise<AssignOutcome> {
  const numbers = unique(request.numbers.map((n) => phoneNumber(n, '--numbers')));
  const unit = await findUnit(store, accountId, ref);
  const inventory = await inventoryOf(store, accountId);
  const users = resolveUsers(accountId, request.users, inventory);
  const problems = [...checkNumbersInInventory(accountId, numbers, inventory), ...users.problems];
  if (!request.move) {
    const holders = (await holdersOf(store, accountId, numbers)).filter((h) => h.unitId !== unit._id);
    const names = await unitNames(store, holders.map((h) => h.unitId));
    for (const h of holders) if (names.has(h.unitId)) problems.push(refusal(h.number, names.get(h.unitId)!, unit));
  }
  if (problems.length > 0) throw new BillingUnitError(problems.join('\n'));

  const outcome: AssignOutcome = { unit, assigned: [], moved: [], already: [], usersAdded: [] };
  const refused: string[] = [];
  for (const number of numbers) {
    const placed = await placeNumber(store, unit, number, request.move, now);
    if (placed.kind === 'assigned') outcome.assigned.push(number);
    else if (placed.kind === 'moved') outcome.moved.push({ number, from: placed.from });
    else if (placed.kind === 'already') outcome.already.push(number);
    else refused.push(refusal(number, placed.holder, unit));
  }
  const usersBefore = new Set(unit.users);
  const unitStillThere = users.ids.length === 0 ? await unitExists(store, unit._id) : await addUsers(store, unit._id, users.ids, now);
  if (!unitStillThere) {
    const taken = [...outcome.assigned, ...outcome.moved.map((m) => m.number)];
    for (const number of taken) await releaseNumber(store, accountId, number, unit._id);
    const adrift = outcome.moved.map((m) => `${m.number} (from "${m.from}")`);
    throw new BillingUnitError(
      `billing unit "${unit.name}" was removed meanwhile; nothing was assigned${adrift.length > 0 ? `, and the numbers moved out of other units are now in none: ${adrift.join(', ')}` : ''}`,
    );
  }
  for (const id of users.ids) (usersBefore.has(id) ? outcome.already : outcome.usersAdded).push(id);
  if (refused.length > 0) {
    const done = [...outcome.assigned, ...outcome.moved.map((m) => m.number), ...outcome.usersAdded];
    throw new BillingUnitError(`${refused.join('\n')}${done.length > 0 ? `\nassigned to "${unit.name}" all the same: ${done.join(', ')}` : ''}`);
  }
  return outcome;
}

export interface UnassignOutcome {
  readonly unit: BillingUnitDoc;
  readonly numbers: string[];
  readonly users: string[];
}

/** Releases numbers and users from the unit; each must be in it (numbers may have left the inventory since). */
export async function unassignFromBillingUnit(store: Store, accountId: string, ref: string, request: MembersRequest, now: Date): Promise<UnassignOutcome> {
  const numbers = unique(request.numbers.map((n) => phoneNumber(n, '--numbers')));
  const unit = await findUnit(store, accountId, ref);
  const holders = new Map((await holdersOf(store, accountId, numbers)).map((h) => [h.number, h.unitId]));
  const names = await unitNames(store, [...holders.values()]);
  const problems = numbers.flatMap((n) => {
    const holder = holders.get(n);
    if (holder === unit._id) return [];
    const where = holder !== undefined && names.has(holder) ? `it is in "${names.get(holder)}"` : 'it is in no unit';
    return [`--numbers: ${n} is not in billing unit "${unit.name}" (${where})`];
  });
  const inventory = await inventoryOf(store, accountId);
  const members = new Set(unit.users);
  const users: string[] = [];
  for (const userRef of unique(request.users.map((u) => u.trim()))) {
    const ids = members.has(userRef) ? [userRef] : inventory.filter((i) => i.kind === 'user' && i.label === userRef && members.has(i._id)).map((i) => i._id);
    if (ids.length === 1) users.push(ids[0]!);
    else problems.push(`--users: "${userRef}" ${ids.length === 0 ? 'is not' : 'names more than one user'} in billing unit "${unit.name}"`);
  }
  if (problems.length > 0) throw new BillingUnitError(problems.join('\n'));
  const released: string[] = [];
  for (const number of numbers) if (await releaseNumber(store, accountId, number, unit._id)) released.push(number);
  if (users.length > 0) await removeUsers(store, unit._id, users, now);
  return { unit, numbers: released, users };
}

export interface UnitSummary {
  readonly unit: BillingUnitDoc;
  readonly numbers: number;
  readonly users: number;
}

export async function listBillingUnits(store: Store, accountId: string): Promise<UnitSummary[]> {
  await getAccount(store, accountId);
  const [units, held] = await Promise.all([unitsOf(store, accountId), heldNumbers(store, accountId)]);
  const counts = new Map<string, number>();
  for (const h of held) counts.set(h.unitId, (counts.get(h.unitId) ?? 0) + 1);
  return units.map((unit) => ({ unit, numbers: counts.get(unit._id) ?? 0, users: unit.users.length }));
}

export interface UnitDetails {
  readonly unit: BillingUnitDoc;
  /** `type` null: the number has left the account's inventory since it was assigned. */
  readonly numbers: { number: string; type: string | null }[];
  readonly users: { id: string; name: string | null; type: string | null }[];
}

export async function showBillingUnit(store: Store, accountId: string, ref: string): Promise<UnitDetails> {
  const unit = await findUnit(store, accountId, ref);
  const [held, inventory] = await Promise.all([heldNumbers(store, accountId, unit._id), inventoryOf(store, accountId)]);
  const owned = numbersIn(inventory);
  const users = new Map(inventory.filter((i) => i.kind === 'user').map((i) => [i._id, i]));
  return {
    unit,
    numbers: held.map((h) => ({ number: h.number, type: owned.get(h.number)?.type ?? null })),
    users: [...unit.users].sort().map((id) => ({ id, name: users.get(id)?.label ?? null, type: users.get(id)?.type ?? null })),
  };
}
