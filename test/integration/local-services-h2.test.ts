import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startMongo } from '../../scripts/services/mongo';

// Restarted many times in a row, mongo-java-server's H2 backend lost the last write about once in four until the
// launcher committed before closing; this guards that.
describe('H2 backend (npm run services)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps data across a stop and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollkeeper-h2-'));
    dirs.push(dir);
    const h2File = join(dir, 'store.h2');
    const log = (): void => undefined;
    for (const expected of [1, 2, 3, 4, 5, 6]) {
      const mongo = await startMongo({ h2File, log });
      const client = await MongoClient.connect(mongo.url);
      try {
        const c = client.db('persist').collection('runs');
        await c.insertOne({ at: new Date() });
        expect(await c.countDocuments()).toBe(expected);
      } finally {
        await client.close();
        await mongo.stop();
      }
    }
  });
});

