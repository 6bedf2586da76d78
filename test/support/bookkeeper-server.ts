import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSync {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  /** Never answer: for time-outs. */
  hang?: boolean;
}

export interface BookkeeperServer {
  url: string;
  received: ReceivedSync[];
  /** What the next requests get, in order; the last one repeats. */
  answer(...answers: Answer[]): void;
  close(): Promise<void>;
}

/** A bookkeeper on loopback: records every request and answers as told. */
export async function startBookkeeperServer(): Promise<BookkeeperServer> {
  const received: ReceivedSync[] = [];
  let answers: Answer[] = [{ status: 200 }];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (next.hang) return;
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sync`,
    received,
    answer: (...next) => {
      answers = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
