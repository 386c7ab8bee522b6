/** RFC 9457 problem details, as the hub refuses a request; `problems` lists each one with its JSON pointer. */
export interface HubProblem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  problems?: Array<{ code: string; pointer: string; message: string }>;
}

/** The hub's answer to one accepted transaction. */
export interface AcceptedTransaction {
  id: string;
  type: string;
  /** `duplicate`: the hub already had this transaction (same business key, same content). */
  status: 'accepted' | 'duplicate';
  businessKey: string | null;
  dispatched: boolean;
}

/** The answer to a batch: one result per item, in the order sent. */
export interface BatchAnswer {
  accepted: number;
  refused: number;
  results: Array<{
    index: number;
    status: number;
    body: AcceptedTransaction | HubProblem;
    replayed?: boolean;
  }>;
}

/** A transaction as the hub stored it, with how far its delivery got. */
export interface StoredTransaction {
  event: { id: string; type: string; subject: string; data: unknown };
  receivedAt: string;
  delivery: { state: string };
}

/** A call's outcome: the answer, or the hub's problem (status 0: the hub could not be reached in time). */
export type HubResult<T> =
  | { ok: true; status: number; replayed: boolean; value: T }
  | { ok: false; status: number; problem: HubProblem };

/** What a till needs: where the hub is and its bearer token. */
export interface PosTerminalClientOptions {
  baseUrl: string;
  token: string;
  /** Each request's time limit. @default 10000 */
  timeoutMs?: number;
}

/** The three calls a till makes to the hub's ingest API. */
export interface PosTerminalClient {
  /** POST /v1/transactions: one canonical transaction; resend with the same key after a lost answer. */
  postTransaction(event: unknown, idempotencyKey: string): Promise<HubResult<AcceptedTransaction>>;
  /** POST /v1/transactions/batch: several, each with its own key (store-and-forward after being offline). */
  postBatch(
    items: ReadonlyArray<{ idempotencyKey: string; event: unknown }>,
  ): Promise<HubResult<BatchAnswer>>;
  /** GET /v1/transactions/{id}: what the hub stored and where it went. */
  getTransaction(id: string): Promise<HubResult<StoredTransaction>>;
}

/**
 * A minimal typed client of poshub's ingest API, as a POS terminal would embed it: bearer token, an
 * Idempotency-Key per transaction, a time limit on every request, refusals returned as problem details.
 */
export function posTerminalClient(options: PosTerminalClientOptions): PosTerminalClient {
  const base = options.baseUrl.replace(/\/$/, '');
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const problem = {
        type: 'about:blank',
        title: 'Hub unreachable',
        status: 0,
        detail: (error as Error).message,
      };
      return { ok: false, status: 0, problem } as HubResult<T>;
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const problem = (parsed as HubProblem | undefined) ?? {
        type: 'about:blank',
        title: response.statusText,
        status: response.status,
        detail: text.slice(0, 200),
      };
      return { ok: false, status: response.status, problem } as HubResult<T>;
    }
    const replayed = response.headers.get('idempotent-replayed') === 'true';
    return { ok: true, status: response.status, replayed, value: parsed as T } as HubResult<T>;
  };
  return {
    postTransaction: (event, idempotencyKey) =>
      call<AcceptedTransaction>('POST', '/v1/transactions', event, { 'idempotency-key': idempotencyKey }),
    postBatch: (items) => call<BatchAnswer>('POST', '/v1/transactions/batch', items),
    getTransaction: (id) => call<StoredTransaction>('GET', `/v1/transactions/${encodeURIComponent(id)}`),
  };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
