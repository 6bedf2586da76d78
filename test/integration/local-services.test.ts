/*
 * What the local services give the store, checked against the servers the global set-up started (or the real ones
 * named by REDIS_URL / MONGODB_URI: every assertion here must also hold on a real MongoDB 5+).
 *
 * mongo-java-server 1.47.0 (memory and H2 backends behave the same) does NOT support, so the store must not use:
 *  - transactions and sessions: the driver refuses with "Current topology does not support sessions";
 *  - change streams (watch): the server answers "Unknown error: null";
 *  - updates with an aggregation pipeline (updateOne(filter, [ { $set: ... } ])): ClassCastException on the server;
 *  - partial indexes: partialFilterExpression is accepted but ignored, so a partial unique index is enforced over
 *    every document (sparse unique indexes do work);
 *  - the `hello` command (the driver falls back to isMaster by itself, so nothing to do);
 *  - a correct `result.insertedCount` on a MongoBulkWriteError: it counts the failed inserts as inserted (5 of 5
 *    reported where 3 succeeded, 3 reported by an ordered insertMany that stopped after 1). Use `err.writeErrors`
 *    (indexes and codes are right) and `err.insertedIds` (computed by the driver from them) instead.
 * Also unlike a real server, concurrent findOneAndUpdate upserts on the same key never race into E11000 there; the
 * store must still retry that error for real MongoDB.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { MongoBulkWriteError, MongoClient, MongoServerError } from 'mongodb';
import type { Db, WriteError } from 'mongodb';
import { testMongoUrl, testRedisUrl, uniqueName } from '../support/services';

// Jest 30 ignores `testTimeout` inside a project entry of jest.config.js, and the 20,000-document and JVM-restart
// tests need well over the 5 s default on a loaded 2-core machine.
jest.setTimeout(60_000);

describe('Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('answers PING', async () => {
    expect(await redis.ping()).toBe('PONG');
  });

  it('never evicts keys, which BullMQ requires', async () => {
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });
});

describe('MongoDB features the store relies on', () => {
  let client: MongoClient;
  let db: Db;
  beforeAll(async () => {
    client = await MongoClient.connect(testMongoUrl());
    db = client.db(uniqueName('probe'));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('rejects a duplicate key in a unique index with code 11000', async () => {
    const c = db.collection('unique');
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertOne({ key: 'a' });
    const err = await c.insertOne({ key: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    // A missing field indexes as null, so only one document may lack it, as on a real server.
    await c.insertOne({ other: 1 });
    await expect(c.insertOne({ other: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  it('lets a sparse unique index skip documents without the field', async () => {
    const c = db.collection('sparse');
    await c.createIndex({ ref: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ n: 1 }, { n: 2 }, { ref: 'r' }]);
    await expect(c.insertOne({ ref: 'r' })).rejects.toMatchObject({ code: 11000 });
  });

  it('creates compound indexes and enforces them when unique', async () => {
    const c = db.collection('compound');
    await c.createIndex({ account: 1, period: -1 }, { unique: true, name: 'account_period' });
    await c.createIndex({ reseller: 1, dueAt: 1 });
    await c.insertMany([
      { account: 'a', period: '2024-01' },
      { account: 'a', period: '2024-02' },
      { account: 'b', period: '2024-01' },
    ]);
    await expect(c.insertOne({ account: 'a', period: '2024-01' })).rejects.toMatchObject({ code: 11000 });
    const indexes = (await c.listIndexes().toArray()) as { name: string; key: unknown; unique?: boolean }[];
    expect(indexes.map((i) => i.key)).toEqual(
      expect.arrayContaining([{ account: 1, period: -1 }, { reseller: 1, dueAt: 1 }]),
    );
    expect(indexes.find((i) => i.name === 'account_period')?.unique).toBe(true);
  });

  it('upserts with findOneAndUpdate, $inc and $setOnInsert, returning the document after the update', async () => {
    const c = db.collection<{ _id: string; count: number; createdBy: string }>('counters');
    const first = await c.findOneAndUpdate(
      { _id: 'renewals' },
      { $inc: { count: 1 }, $setOnInsert: { createdBy: 'first' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(first).toEqual({ _id: 'renewals', count: 1, createdBy: 'first' });
    const second = await c.findOneAndUpdate(
      { _id: 'renewals' },
      { $inc: { count: 5 }, $setOnInsert: { createdBy: 'second' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(second).toEqual({ _id: 'renewals', count: 6, createdBy: 'first' });
    const before = await c.findOneAndUpdate({ _id: 'renewals' }, { $inc: { count: 1 } }, { returnDocument: 'before' });
    expect(before?.count).toBe(6);
  });

  it('upserts a document built from the filter fields', async () => {
    const c = db.collection('totals');
    const doc = await c.findOneAndUpdate(
      { account: 'a', period: '2024-03' },
      { $inc: { total: 3 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc).toMatchObject({ account: 'a', period: '2024-03', total: 3 });
  });

  it('supports compare-and-set on a version field with updateOne', async () => {
    const c = db.collection<{ _id: string; version: number; balance: number }>('cas');
    await c.insertOne({ _id: 'acct', version: 1, balance: 10 });
    const won = await c.updateOne({ _id: 'acct', version: 1 }, { $set: { balance: 20 }, $inc: { version: 1 } });
    const lost = await c.updateOne({ _id: 'acct', version: 1 }, { $set: { balance: 30 }, $inc: { version: 1 } });
    expect([won.matchedCount, won.modifiedCount]).toEqual([1, 1]);
    expect([lost.matchedCount, lost.modifiedCount]).toEqual([0, 0]);
    expect(await c.findOne({ _id: 'acct' })).toEqual({ _id: 'acct', version: 2, balance: 20 });
  });

  it('reports which writes of an unordered bulkWrite hit duplicates, and applies the others', async () => {
    const c = db.collection('bulk');
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertOne({ key: 'k1' });
    const err = await c
      .bulkWrite(
        [
          { insertOne: { document: { key: 'k0' } } },
          { insertOne: { document: { key: 'k1' } } },
          { insertOne: { document: { key: 'k2' } } },
          { insertOne: { document: { key: 'k2' } } },
          { updateOne: { filter: { key: 'k0' }, update: { $set: { touched: true } } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulkErr = err as MongoBulkWriteError;
    expect(writeErrorsOf(bulkErr)).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(Object.keys(bulkErr.insertedIds).map(Number)).toEqual([0, 2]);
    expect(bulkErr.result.modifiedCount).toBe(1);
    expect((await c.find({}, { projection: { _id: 0 } }).sort({ key: 1 }).toArray())).toEqual([
      { key: 'k0', touched: true },
      { key: 'k1' },
      { key: 'k2' },
    ]);
  });

  it('reports bulkWrite upserts', async () => {
    const c = db.collection('bulk-upsert');
    await c.insertOne({ _id: 'old' as never, n: 1 });
    const result = await c.bulkWrite(
      [
        { updateOne: { filter: { _id: 'new' as never }, update: { $inc: { n: 1 } }, upsert: true } },
        { updateOne: { filter: { _id: 'old' as never }, update: { $inc: { n: 1 } }, upsert: true } },
      ],
      { ordered: false },
    );
    expect([result.upsertedCount, result.matchedCount, result.modifiedCount]).toEqual([1, 1, 1]);
    expect(result.upsertedIds).toEqual({ 0: 'new' });
  });

  it('reports which documents of an unordered insertMany were duplicates, and inserts the others', async () => {
    const c = db.collection('many');
    await c.createIndex({ key: 1 }, { unique: true });
    const err = await c
      .insertMany([{ key: 1 }, { key: 2 }, { key: 1 }, { key: 3 }, { key: 2 }], { ordered: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulkErr = err as MongoBulkWriteError;
    expect(writeErrorsOf(bulkErr)).toEqual([
      [2, 11000],
      [4, 11000],
    ]);
    expect(Object.keys(bulkErr.insertedIds).map(Number)).toEqual([0, 1, 3]);
    expect((await c.distinct('key')).sort()).toEqual([1, 2, 3]);
  });

  it('aggregates with $match, $group/$sum, $sort, $lookup, $unwind and $project', async () => {
    await db.collection('accounts').insertMany([
      { _id: 'a1' as never, name: 'Alpha', reseller: 'r1' },
      { _id: 'a2' as never, name: 'Beta', reseller: 'r1' },
      { _id: 'a3' as never, name: 'Gamma', reseller: 'r2' },
    ]);
    const ledger = db.collection('ledger');
    await ledger.insertMany([
      { account: 'a1', amount: 5 },
      { account: 'a1', amount: 7 },
      { account: 'a2', amount: 1 },
      { account: 'a3', amount: 100 },
      { account: 'a3', amount: -1, voided: true },
    ]);
    const rows = await ledger
      .aggregate([
        { $match: { voided: { $ne: true } } },
        { $group: { _id: '$account', total: { $sum: '$amount' }, entries: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $lookup: { from: 'accounts', localField: '_id', foreignField: '_id', as: 'account' } },
        { $unwind: '$account' },
        { $project: { _id: 0, account: '$_id', name: '$account.name', reseller: '$account.reseller', total: 1, entries: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { account: 'a3', name: 'Gamma', reseller: 'r2', total: 100, entries: 1 },
      { account: 'a1', name: 'Alpha', reseller: 'r1', total: 12, entries: 2 },
      { account: 'a2', name: 'Beta', reseller: 'r1', total: 1, entries: 1 },
    ]);
    const byReseller = await ledger
      .aggregate([
        { $lookup: { from: 'accounts', localField: 'account', foreignField: '_id', as: 'a' } },
        { $unwind: '$a' },
        { $group: { _id: '$a.reseller', total: { $sum: '$amount' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(byReseller).toEqual([
      { _id: 'r1', total: 13 },
      { _id: 'r2', total: 99 },
    ]);
  });

  it('pages a 20,000-document cursor in batches, and counts and distincts over it', async () => {
    const c = db.collection<{ i: number; group: number }>('big');
    await c.createIndex({ i: 1 });
    await c.insertMany(Array.from({ length: 20_000 }, (_, i) => ({ i, group: i % 7 })));

    const getMores: number[] = [];
    const monitored = await MongoClient.connect(testMongoUrl(), { monitorCommands: true });
    try {
      monitored.on('commandStarted', (e) => {
        if (e.commandName === 'getMore') getMores.push(1);
      });
      let seen = 0;
      let inOrder = true;
      for await (const doc of monitored.db(db.databaseName).collection<{ i: number }>('big').find({}, { batchSize: 1000 }).sort({ i: 1 })) {
        if (doc.i !== seen) inOrder = false;
        seen += 1;
      }
      expect(seen).toBe(20_000);
      expect(inOrder).toBe(true);
      // Proves the server really pages instead of returning everything in the first reply.
      expect(getMores.length).toBeGreaterThanOrEqual(19);
    } finally {
      await monitored.close();
    }

    expect(await c.countDocuments()).toBe(20_000);
    expect(await c.countDocuments({ group: 3 })).toBe(2_857);
    expect((await c.distinct('group', { i: { $lt: 100 } })).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('service processes never outlive their owner', () => {
  // A child Node process runs the real start-up code (TypeScript compiled on the fly with swc, as jest does).
  const childScript = `
    const fs = require('node:fs');
    const swc = require('@swc/core');
    require.extensions['.ts'] = (m, file) => m._compile(swc.transformSync(fs.readFileSync(file, 'utf8'), {
      filename: file, module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    }).code, file);
    require(process.argv[1]).startLocalServices({ persistent: false, log: () => {} })
      .then(() => console.log('STARTED'), (e) => { console.error(e); process.exit(1); });
  `;
  const indexPath = join(__dirname, '..', '..', 'scripts', 'services', 'index.ts');
  const owners: ChildProcess[] = [];
  // A failed assertion must not leave an owner (and so its services) running, or jest would never exit.
  afterEach(() => {
    for (const owner of owners.splice(0)) if (owner.exitCode === null && owner.signalCode === null) owner.kill('SIGKILL');
  });

  it.each([
    ['SIGKILL', null],
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('after %s of the owner', async (signal, expectedCode) => {
    const env = { ...process.env };
    delete env.REDIS_URL;
    delete env.MONGODB_URI;
    const owner = spawn(process.execPath, ['-e', childScript, indexPath], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    owners.push(owner);
    const exited = new Promise<number | null>((resolve) => owner.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('STARTED')) resolve();
      });
      void exited.then((code) => reject(new Error(`owner exited early (${code})`)));
    });
    const children = childrenOf(owner.pid!);
    expect(children.map((c) => c.name).sort()).toEqual(['java', 'redis-server']);

    owner.kill(signal);
    expect(await exited).toBe(expectedCode);
    await waitFor(() => children.every((c) => !alive(c.pid)), 10_000);
  });
});

function writeErrorsOf(err: MongoBulkWriteError): [number, number][] {
  const writeErrors: WriteError[] = ([] as WriteError[]).concat(err.writeErrors);
  return writeErrors.map((w): [number, number] => [w.index, w.code]).sort((a, b) => a[0] - b[0]);
}

function childrenOf(parent: number): { pid: number; name: string }[] {
  const found: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) found.push({ pid: Number(entry), name });
    } catch {
      // The process ended while we were looking.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill(0) until reaped by init; its state letter tells it is dead.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
