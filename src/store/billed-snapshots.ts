/**
 * What reconciliation last billed per account, and the step in flight. A step goes: open (compare-and-set on `seq`,
 * storing the new state and the exact ledger entries), post its entries, commit (the state becomes `billed`). Only one
 * step per sequence number can ever be opened, so its keys are unique; a run that dies after opening leaves the step
 * for the next run to finish with the same entries, which the ledger then drops as duplicates where they got in.
 */
import { MongoBulkWriteError } from 'mongodb';
import type { AnyBulkWriteOperation, WriteError } from 'mongodb';
import type { BilledSnapshotDoc, BilledStateDoc, ReconcileStepDoc } from './documents';
import { isDuplicateKey } from './duplicates';
import type { Store } from './store';

export async function snapshotsOf(store: Store, accountIds: readonly string[]): Promise<Map<string, BilledSnapshotDoc>> {
  if (accountIds.length === 0) return new Map();
  const found = await store.billedSnapshots.find({ _id: { $in: [...accountIds] } }).toArray();
  return new Map(found.map((s) => [s._id, s]));
}

/** What the account was last billed for, or null before its first reconciliation: what its renewal charges. */
export async function billedStateOf(store: Store, accountId: string): Promise<BilledStateDoc | null> {
  const snapshot = await store.billedSnapshots.findOne({ _id: accountId }, { projection: { billed: 1 } });
  return snapshot?.billed ?? null;
}

export interface StepToOpen {
  accountId: string;
  /** The `seq` the snapshot had when the step was computed: the step opens only if it still has it and nothing pending. */
  fromSeq: number;
  step: ReconcileStepDoc;
}

const DUPLICATE_KEY = 11000;

/** A lost race to create a first snapshot shows up as a duplicate `_id`; any other write error is real. */
function onlyDuplicates(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return errors.every((e: WriteError) => e.code === DUPLICATE_KEY);
  }
  return isDuplicateKey(error);
}

/**
 * Opens the steps in one unordered write; returns the accounts whose step is now this run's (`runId`). A step is
 * refused when another run opened or committed one first: that run's step stands, and this one is dropped.
 */
export async function openSteps(store: Store, runId: string, steps: readonly StepToOpen[]): Promise<Set<string>> {
  if (steps.length === 0) return new Set();
  const ops: AnyBulkWriteOperation<BilledSnapshotDoc>[] = steps.map(({ accountId, fromSeq, step }) => ({
    updateOne: {
      filter: { _id: accountId, seq: fromSeq, pending: null },
      update: { $set: { pending: step }, $setOnInsert: { billed: null } },
      upsert: fromSeq === 0,
    },
  }));
  try {
    await store.billedSnapshots.bulkWrite(ops, { ordered: false });
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
  }
  // Filtered here rather than in the query: a filter on `_id` alone is an index look-up on every server.
  const read = await store.billedSnapshots.find({ _id: { $in: steps.map((s) => s.accountId) } }, { projection: { 'pending.runId': 1 } }).toArray();
  return new Set(read.filter((s) => s.pending?.runId === runId).map((s) => s._id));
}

/** Makes each step's state the billed one. Lands only on the step itself, so committing twice (or late) is harmless. */
export async function commitSteps(store: Store, steps: readonly { accountId: string; step: ReconcileStepDoc }[]): Promise<void> {
  if (steps.length === 0) return;
  await store.billedSnapshots.bulkWrite(
    steps.map(({ accountId, step }) => ({
      updateOne: {
        filter: { _id: accountId, 'pending.runId': step.runId, 'pending.seq': step.seq },
        update: { $set: { seq: step.seq, billed: step.state, pending: null } },
      },
    })),
    { ordered: false },
  );
}
