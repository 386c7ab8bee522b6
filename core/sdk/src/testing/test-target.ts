import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test target received. */
export interface RecordedCall {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** The idempotency header's value, when sent. */
  key?: string;
  /** A key already applied: answered from the record, not applied again. */
  duplicate: boolean;
  /** Applied by this call (first time its key was seen, answer 2xx or `apply`). */
  applied: boolean;
  /** The client went away before the answer (a timeout or an abort on its side). */
  abandoned: boolean;
  status?: number;
}

/** How the target answers a request whose key it has not applied yet. */
export type TargetAnswer =
  | {
      status: number;
      headers?: Record<string, string>;
      body?: string;
      /** Apply the request although the answer is an error (as if the answer got lost). */
      apply?: boolean;
      delayMs?: number;
    }
  | { hang: true };

/** A scriptable HTTP target on 127.0.0.1 that records calls and applies each idempotency key once. */
export interface TestTarget {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly calls: readonly RecordedCall[];
  /** Calls that took effect, in order (one per key). */
  readonly applied: readonly RecordedCall[];
  /** The default answer: 200, with the `okBody` of the options. */
  readonly okAnswer: TargetAnswer;
  /** Sets the answer to new requests (default 200); `n` counts requests from 1 since this call. */
  answer(script: TargetAnswer | ((call: RecordedCall, n: number) => TargetAnswer)): void;
  /** Forgets calls, applied keys and the script. */
  reset(): void;
  close(): Promise<void>;
}

/** Options of the test target. */
export interface TestTargetOptions {
  /** @default 'idempotency-key' */
  idempotencyHeader?: string;
  /**
   * What makes two requests the same write, when it is not a header: e.g. the path of an upsert by
   * external id (`PUT /record/v1/cashSale/eid:X`). Wins over `idempotencyHeader`.
   */
  keyOf?: (call: RecordedCall) => string | undefined;
  /** The body of the default 200 answer (e.g. a GraphQL API's `{"data":{}}`). @default empty */
  okBody?: string;
  /** Checks a request before anything else (e.g. a signature): a reason refuses it with 401. */
  verify?: (call: RecordedCall) => string | undefined;
}

/** Starts a test target on 127.0.0.1, on a free port. */
export async function startTestTarget(options: TestTargetOptions = {}): Promise<TestTarget> {
  const keyHeader = (options.idempotencyHeader ?? 'idempotency-key').toLowerCase();
  let calls: RecordedCall[] = [];
  let appliedKeys = new Set<string>();
  const ok = (): TargetAnswer => ({ status: 200, ...(options.okBody ? { body: options.okBody } : {}) });
  let script: (call: RecordedCall, n: number) => TargetAnswer = ok;
  let count = 0;

  const reply = (res: ServerResponse, call: RecordedCall, status: number, headers = {}, body = '') => {
    if (res.destroyed) return;
    call.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers,
      body,
      duplicate: false,
      applied: false,
      abandoned: false,
    };
    const key = options.keyOf ? options.keyOf(call) : headers[keyHeader];
    if (key) call.key = key;
    calls.push(call);
    res.on('close', () => {
      if (!res.writableFinished) call.abandoned = true;
    });
    const refused = options.verify?.(call);
    if (refused) return reply(res, call, 401, {}, JSON.stringify({ error: refused }));
    if (call.key && appliedKeys.has(call.key)) {
      call.duplicate = true;
      return reply(res, call, 200, {}, JSON.stringify({ duplicate: true }));
    }
    const answer = script(call, ++count);
    if ('hang' in answer) return;
    const apply = () => {
      if (res.destroyed) return;
      if ((answer.status >= 200 && answer.status < 300) || answer.apply) {
        if (call.key) appliedKeys.add(call.key);
        call.applied = true;
      }
      reply(res, call, answer.status, answer.headers, answer.body ?? '');
    };
    if (answer.delayMs) setTimeout(apply, answer.delayMs);
    else apply();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    okAnswer: ok(),
    get calls() {
      return calls;
    },
    get applied() {
      return calls.filter((c) => c.applied);
    },
    answer(next) {
      script = typeof next === 'function' ? next : () => next;
      count = 0;
    },
    reset() {
      calls = [];
      appliedKeys = new Set();
      count = 0;
      script = ok;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
