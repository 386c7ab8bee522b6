import { connect } from 'node:net';
import { join } from 'node:path';

const LOG_DIR = join(
  process.env['POSHUB_DATA_DIR'] ?? join(import.meta.dirname, '..', '..', '..', '.data'),
  'logs',
);

/**
 * Resolves when something accepts TCP connections at the URL's host and port; otherwise rejects with an
 * error naming the service, how to start it and its log file, so integration tests fail loudly instead
 * of skipping when the services are down.
 */
export function requireService(name: string, url: string, timeoutMs = 3000): Promise<void> {
  const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port), timeout: timeoutMs });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new Error(
          `${name} is not reachable at ${host}:${port} (${why}). Start the local services with ` +
            `\`pnpm services up\`; see ${join(LOG_DIR, `${name}.log`)} if it does not come up.`,
        ),
      );
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => fail(error.message));
  });
}
