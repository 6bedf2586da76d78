import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Asks the kernel for an unused loopback port. There is an unavoidable window between closing this probe and the
 * caller's server binding the port, so callers that cannot bind port 0 themselves should retry on EADDRINUSE.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
