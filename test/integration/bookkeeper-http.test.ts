import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createBookkeeper } from '../../src/bookkeeper';
import type { BookkeeperRequest } from '../../src/bookkeeper';
import { SIGNATURE_HEADER } from '../../src/bookkeeper/http-bookkeeper';
import { startBookkeeperServer } from '../support/bookkeeper-server';
import type { BookkeeperServer } from '../support/bookkeeper-server';

const SECRET = 'test-secret-0123456789';
let server: BookkeeperServer;

beforeAll(async () => {
  server = await startBookkeeperServer();
});

afterAll(() => server.close());

const request: BookkeeperRequest = {
  accountId: 'acme',
  syncId: 'acme.v7',
  recurring: 605_000,
  items: [
    { accountId: 'acme', category: 'devices', item: 'sip_device', name: 'SIP Device', quantity: 3, billable: 3, rate: 200_000, total: 600_000 },
    { accountId: 'acme-branch', category: 'phone_numbers', item: 'did_us', name: 'US DID', quantity: 1, billable: 1, rate: 5_000, total: 5_000 },
  ],
};

const bookkeeper = (url = server.url, timeoutMs = 30_000) => createBookkeeper({ kind: 'http', url, secret: SECRET, timeoutMs });

describe('the http bookkeeper', () => {
  it('POSTs the items as JSON, signed with HMAC-SHA256 of the body; 200 is good standing', async () => {
    server.answer({ status: 200 });
    const before = server.received.length;
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'good' });
    const sent = server.received[before]!;
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-sync-id']).toBe('acme.v7');
    expect(sent.headers['x-account-id']).toBe('acme');
    expect(sent.headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', SECRET).update(sent.body).digest('hex')}`);
    expect(JSON.parse(sent.body)).toEqual({
      account_id: 'acme',
      sync_id: 'acme.v7',
      recurring: '60.50',
      items: [
        { account_id: 'acme', category: 'devices', item: 'sip_device', name: 'SIP Device', quantity: 3, billable: 3, rate: '20.00', total: '60.00' },
        { account_id: 'acme-branch', category: 'phone_numbers', item: 'did_us', name: 'US DID', quantity: 1, billable: 1, rate: '0.50', total: '0.50' },
      ],
    });
  });

  it('takes any 2xx as good standing', async () => {
    server.answer({ status: 204 });
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'good' });
  });

  it('reads 402 as delinquent, with the reason the bookkeeper gives', async () => {
    server.answer({ status: 402, body: JSON.stringify({ reason: 'card expired' }) }, { status: 402, body: 'over credit limit\n' }, { status: 402 });
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'delinquent', reason: 'card expired' });
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'delinquent', reason: 'over credit limit' });
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'delinquent', reason: 'bookkeeper answered 402' });
  });

  it('retries on any other status, a refused connection and a time-out', async () => {
    server.answer({ status: 500 });
    await expect(bookkeeper().sync(request)).resolves.toEqual({ status: 'retry', reason: `bookkeeper ${server.url} answered 500` });
    server.answer({ status: 404 });
    expect(await bookkeeper().sync(request)).toEqual({ status: 'retry', reason: `bookkeeper ${server.url} answered 404` });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await bookkeeper(`http://127.0.0.1:${port}/sync`).sync(request)).toEqual({
      status: 'retry',
      reason: `bookkeeper http://127.0.0.1:${port}/sync: fetch failed (ECONNREFUSED)`,
    });

    server.answer({ status: 200, hang: true });
    await expect(bookkeeper(server.url, 200).sync(request)).resolves.toEqual({
      status: 'retry',
      reason: `bookkeeper ${server.url}: no answer within 200 ms`,
    });
  });

  it('local is the ledger alone: always good standing', async () => {
    await expect(createBookkeeper({ kind: 'local' }).sync(request)).resolves.toEqual({ status: 'good' });
  });
});
