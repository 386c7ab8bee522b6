import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request that went through the gate to the target. */
export interface PassedRequest {
  method: string;
  path: string;
  status: number;
  /** ms since the gate opened. */
  at: number;
}

/**
 * A loopback gate in front of a target (here a Pact stub): it forwards every request while the target is
 * up and records what went through, and while it is "down" it cuts each connection before answering (as a
 * host that went away does), so a test can take one target down at the network layer and see what reaches
 * it once it is back.
 */
export class TargetGate {
  readonly passed: PassedRequest[] = [];
  /** Connections cut while down. */
  refused = 0;
  #downUntil = 0;
  #server: Server | undefined;
  readonly #target: URL;
  readonly #opened = Date.now();

  constructor(targetUrl: string) {
    this.#target = new URL(targetUrl);
  }

  /** Starts the gate; resolves to its URL. */
  async open(): Promise<string> {
    const server = createServer((req, res) => {
      if (Date.now() < this.#downUntil) {
        this.refused++;
        req.socket.destroy();
        return;
      }
      const upstream = request(
        {
          host: this.#target.hostname,
          port: this.#target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: this.#target.host },
        },
        (answer) => {
          this.passed.push({
            method: req.method ?? '',
            path: req.url ?? '',
            status: answer.statusCode ?? 0,
            at: Date.now() - this.#opened,
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The target is unreachable for `ms` from now. */
  down(ms: number): void {
    this.#downUntil = Date.now() + ms;
  }

  get isDown(): boolean {
    return Date.now() < this.#downUntil;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
