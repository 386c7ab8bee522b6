import type { DeliveryDetail, DeliverySummary, ReplayPlan } from '@poshub/dispatch';
import type { ProblemBody } from '@poshub/ingest';

/** Where a delivery stands at one connector. */
export type DeliveryStatus = DeliverySummary['status'];

/** Every delivery status, in the order a delivery goes through them. */
export const DELIVERY_STATUSES = [
  'pending',
  'waiting',
  'released',
  'retrying',
  'applied',
  'dead',
  'skipped',
] as const satisfies readonly DeliveryStatus[];

// A status added to the ledger without being added above fails the type check here.
const _everyStatus: Exclude<DeliveryStatus, (typeof DELIVERY_STATUSES)[number]> extends never ? true : never =
  true;

/** One connector as `GET /v1/admin/connectors` lists it. */
export interface ConnectorSummary {
  id: string;
  types: string[];
  orderedPerStore: boolean;
  registeredAt: string | null;
  deliveries: Partial<Record<DeliveryStatus, number>>;
}

/** A page of `GET /v1/admin/deliveries`; `next` is the `after` of the following page. */
export interface DeliveryPage {
  items: DeliverySummary[];
  next: string | null;
}

/** Query of `GET /v1/admin/deliveries` (instants are ISO 8601 with an offset). */
export interface DeliveryQuery {
  connector?: string;
  status?: readonly DeliveryStatus[];
  store?: string;
  type?: string;
  errorType?: string;
  from?: string;
  to?: string;
  limit?: number;
  after?: string;
}

/** Body of `POST /v1/admin/replays`: at most one of eventIds, filter and since. */
export interface ReplayBody {
  connector: string;
  eventIds?: string[];
  filter?: Omit<DeliveryQuery, 'connector' | 'limit' | 'after'>;
  since?: string;
  dryRun: boolean;
  limit?: number;
}

/** Body of `POST /v1/admin/resyncs`. */
export interface ResyncBody {
  connector: string;
  entity: { kind: 'transaction' | 'sku' | 'customer'; id: string };
  since?: string;
  dryRun: boolean;
}

/** Why a call to the hub did not give the answer asked for: data for the caller to print. */
export type AdminFailure =
  /** The hub answered with problem+json. */
  | { kind: 'problem'; url: string; problem: ProblemBody }
  /** Nothing answered: `refused` when nothing listens there. */
  | { kind: 'unreachable'; url: string; refused: boolean; reason: string }
  /** Something answered, but not as the hub would. */
  | { kind: 'unexpected'; url: string; status: number; text: string };

/** The hub's answer, or why there is none. */
export type AdminResult<T> = { ok: true; value: T } | { ok: false; failure: AdminFailure };

/** A typed client of the hub's admin API (`/v1/admin`). */
export interface AdminClient {
  url: string;
  connectors(): Promise<AdminResult<{ connectors: ConnectorSummary[] }>>;
  deliveries(query: DeliveryQuery): Promise<AdminResult<DeliveryPage>>;
  delivery(connector: string, eventId: string): Promise<AdminResult<DeliveryDetail>>;
  editPayload(
    connector: string,
    eventId: string,
    edit: { data: unknown; reason: string },
  ): Promise<AdminResult<{ editId: string }>>;
  replay(body: ReplayBody): Promise<AdminResult<ReplayPlan>>;
  resync(body: ResyncBody): Promise<AdminResult<ReplayPlan>>;
  /** The embedded development issuer's public keys; null when the hub trusts another issuer. */
  devIssuerKeys(): Promise<AdminResult<{ keys: Array<{ kid?: string }> } | null>>;
}

/** A client of the hub at `url`; every call gives up after `timeoutMs` (default 30 s). */
export function adminClient(opts: {
  url: string;
  token: string | undefined;
  timeoutMs?: number;
}): AdminClient {
  const url = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

  async function call<T>(method: string, route: string, body?: unknown): Promise<AdminResult<T>> {
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${url}${route}`, {
        method,
        headers: {
          accept: 'application/json, application/problem+json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      return { ok: false, failure: unreachable(url, error, timeoutMs) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300 && json !== undefined) return { ok: true, value: json as T };
    if (isProblem(json)) return { ok: false, failure: { kind: 'problem', url, problem: json } };
    return { ok: false, failure: { kind: 'unexpected', url, status, text: text.slice(0, 300) } };
  }

  return {
    url,
    connectors: () => call('GET', '/v1/admin/connectors'),
    deliveries(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value === undefined) continue;
        params.set(key, Array.isArray(value) ? value.join(',') : String(value));
      }
      const qs = params.size > 0 ? `?${params}` : '';
      return call('GET', `/v1/admin/deliveries${qs}`);
    },
    delivery: (connector, eventId) => call('GET', `/v1/admin/deliveries/${path(connector, eventId)}`),
    editPayload: (connector, eventId, edit) =>
      call('PUT', `/v1/admin/deliveries/${path(connector, eventId)}/payload`, edit),
    replay: (body) => call('POST', '/v1/admin/replays', body),
    resync: (body) => call('POST', '/v1/admin/resyncs', body),
    async devIssuerKeys() {
      const r = await call<{ keys: Array<{ kid?: string }> }>('GET', '/dev-issuer/jwks.json');
      if (!r.ok && r.failure.kind === 'problem' && r.failure.problem.status === 404)
        return { ok: true, value: null };
      return r;
    },
  };
}

function isProblem(json: unknown): json is ProblemBody {
  return (
    typeof json === 'object' &&
    json !== null &&
    typeof (json as ProblemBody).title === 'string' &&
    typeof (json as ProblemBody).status === 'number'
  );
}

function unreachable(url: string, error: unknown, timeoutMs: number): AdminFailure {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') {
    return { kind: 'unreachable', url, refused: false, reason: `no answer within ${timeoutMs / 1000} s` };
  }
  const code = e.cause?.code;
  return {
    kind: 'unreachable',
    url,
    refused: code === 'ECONNREFUSED',
    reason: code ?? e.cause?.message ?? e.message,
  };
}
