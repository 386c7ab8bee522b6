import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver accepted. */
export interface ReceivedWebhook {
  id: string;
  /** The raw body, exactly as signed. */
  body: string;
  headers: IncomingMessage['headers'];
}

/** How the receiver answers a request that verified: as a live endpoint, a removed one, or a busy one. */
export type ReceiverMode = 'accepting' | 'gone' | 'busy';

/** A running receiver. */
export interface StandardWebhooksReceiver {
  /** The endpoint, e.g. http://127.0.0.1:40123/hooks/poshub */
  readonly url: string;
  /** The server's origin, e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  readonly received: readonly ReceivedWebhook[];
  /** Every refusal, with its reason (for failing tests with a useful message). */
  readonly refusals: readonly string[];
  mode: ReceiverMode;
  close(): Promise<void>;
}

/** Options of {@link startStandardWebhooksReceiver}. */
export interface ReceiverOptions {
  /** The signing secret, `whsec_<base64>`. */
  secret: string;
  /** @default '/hooks/poshub' */
  path?: string;
  /** How far a timestamp may be from now. @default 300 (the spec's recommendation) */
  toleranceSeconds?: number;
}

/** `v1,<base64>` HMAC-SHA256 of `<id>.<timestamp>.<body>` under a `whsec_` secret (Standard Webhooks). */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Why a request fails Standard Webhooks verification, or undefined when it passes: the three headers are
 * present, the timestamp is within the tolerance, and one of the space-separated `v1,` signatures matches
 * (compared in constant time).
 */
export function verificationFailure(
  secret: string,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    return 'webhook-id, webhook-timestamp and webhook-signature are required';
  if (!/^\d+$/.test(timestamp)) return 'webhook-timestamp is not Unix seconds';
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds)
    return 'webhook-timestamp is too old or new';
  const expected = Buffer.from(standardWebhookSignature(secret, id, Number(timestamp), body));
  const match = signature.split(' ').some((given) => {
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return match ? undefined : 'no matching signature';
}

/**
 * A webhook receiver written from the Standard Webhooks spec alone (not with the library the connector
 * signs with): it verifies the signature over the raw body and the timestamp, drops a `webhook-id` it has
 * seen, and takes a CloudEvents 1.0 JSON body. Answers 204, 410 when `mode` is `gone` (the endpoint was
 * removed) or 429 with `Retry-After: 30` when `busy`; 401 for a bad signature, 400 for a bad body.
 */
export async function startStandardWebhooksReceiver(
  options: ReceiverOptions,
): Promise<StandardWebhooksReceiver> {
  const path = options.path ?? '/hooks/poshub';
  const received: ReceivedWebhook[] = [];
  const refusals: string[] = [];
  const seen = new Set<string>();
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    refusals.push(reason);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reason }));
  };
  const receiver = {
    mode: 'accepting' as ReceiverMode,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== path)
        return refuse(res, 404, `no endpoint ${req.method} ${req.url}`);
      const id = header(req, 'webhook-id');
      const failure = verificationFailure(
        options.secret,
        { id, timestamp: header(req, 'webhook-timestamp'), signature: header(req, 'webhook-signature') },
        body,
        Math.floor(Date.now() / 1000),
        options.toleranceSeconds,
      );
      if (failure) return refuse(res, 401, failure);
      let event: { specversion?: unknown; id?: unknown; type?: unknown } | undefined;
      try {
        event = JSON.parse(body);
      } catch {
        return refuse(res, 400, 'the body is not JSON');
      }
      if (event?.specversion !== '1.0' || typeof event.id !== 'string' || typeof event.type !== 'string') {
        return refuse(res, 400, 'the body is not a CloudEvents 1.0 event');
      }
      if (receiver.mode === 'gone') return res.writeHead(410).end();
      if (receiver.mode === 'busy') return res.writeHead(429, { 'retry-after': '30' }).end();
      if (!seen.has(id!)) {
        seen.add(id!);
        received.push({ id: id!, body, headers: req.headers });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(receiver, {
    url: `${origin}${path}`,
    origin,
    received,
    refusals,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
