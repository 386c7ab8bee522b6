import { createServer, type Server } from 'node:http';

/** One call a connector made to the target. */
export interface Receipt {
  eventId: string;
  idempotencyKey: string;
  storeId: string;
  sequence: number;
  /** ms since the target started. */
  at: number;
  /** Wall-clock time of the call (Date.now()). */
  atEpochMs: number;
  /** Whether this call applied the event (the first with its idempotency key) or was absorbed. */
  applied: boolean;
}

/** What one connector's target saw. */
export interface TargetLedger {
  receipts: Receipt[];
  /** Event id -> the idempotency keys it was applied under (more than one would be a double effect). */
  appliedKeys: Map<string, Set<string>>;
  /** Event ids in the order they were first applied. */
  appliedOrder: Receipt[];
  refusedOnPurpose: number;
}

/**
 * A downstream system standing in for an ERP or a CRM, at the network layer on loopback: it applies each
 * event at most once per idempotency key, as a target honouring Idempotency-Key does, and records every
 * call so a test can count what was lost, applied twice, or absorbed. One call in `refuseEvery` is answered
 * 503 without applying, so retries are part of every run.
 */
export class RecordingTarget {
  readonly ledgers = new Map<string, TargetLedger>();
  readonly #refuseEvery: number;
  #server: Server | undefined;
  #calls = 0;
  readonly #started = Date.now();

  constructor(options: { refuseEvery?: number } = {}) {
    this.#refuseEvery = options.refuseEvery ?? 0;
  }

  ledger(connector: string): TargetLedger {
    let l = this.ledgers.get(connector);
    if (!l) {
      l = { receipts: [], appliedKeys: new Map(), appliedOrder: [], refusedOnPurpose: 0 };
      this.ledgers.set(connector, l);
    }
    return l;
  }

  /** Listens on 127.0.0.1 and returns the base URL; POST /<connector> with the event as the body. */
  async start(): Promise<string> {
    const keys = new Set<string>();
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const connector = decodeURIComponent((req.url ?? '/').slice(1));
        const key = req.headers['idempotency-key'];
        let event: { id?: string; data?: { key?: { storeId?: string; sequence?: string } } };
        try {
          event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400).end('not JSON');
          return;
        }
        if (typeof key !== 'string' || !event.id || !connector) {
          res.writeHead(400).end('idempotency-key header, event id and connector path required');
          return;
        }
        const ledger = this.ledger(connector);
        this.#calls++;
        if (this.#refuseEvery > 0 && this.#calls % this.#refuseEvery === 0) {
          ledger.refusedOnPurpose++;
          res.writeHead(503, { 'retry-after': '0' }).end('try again');
          return;
        }
        const scoped = `${connector}\u0000${key}`;
        const applied = !keys.has(scoped);
        keys.add(scoped);
        const receipt: Receipt = {
          eventId: event.id,
          idempotencyKey: key,
          storeId: event.data?.key?.storeId ?? '',
          sequence: Number(event.data?.key?.sequence ?? Number.NaN),
          at: Date.now() - this.#started,
          atEpochMs: Date.now(),
          applied,
        };
        ledger.receipts.push(receipt);
        if (applied) {
          ledger.appliedOrder.push(receipt);
          const set = ledger.appliedKeys.get(event.id) ?? new Set<string>();
          set.add(key);
          ledger.appliedKeys.set(event.id, set);
        }
        res.writeHead(applied ? 201 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
