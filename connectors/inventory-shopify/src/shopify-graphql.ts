import { classifyResponse, type Failure, type HttpClient, permanent, retryable } from '@poshub/sdk';

/** A GraphQL answer's data, or the delivery failure it means. */
export type GraphqlResult<T> = { ok: true; data: T } | Failure;

interface GraphqlBody<T> {
  data?: T;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
  extensions?: {
    cost?: {
      requestedQueryCost?: number;
      throttleStatus?: { currentlyAvailable?: number; restoreRate?: number };
    };
  };
}

/**
 * One call of the Admin GraphQL API. HTTP errors follow the SDK's rules; a `THROTTLED` error (the leaky
 * bucket of query cost) is retryable after the time the bucket needs to refill for this query; other
 * top-level GraphQL errors are permanent (a query the API does not accept will not start to).
 */
export async function shopifyGraphql<T>(
  http: HttpClient,
  options: { url: string; accessToken: string; timeoutMs: number; now: number },
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphqlResult<T>> {
  const sent = await http.request({
    method: 'POST',
    url: options.url,
    json: { query, variables },
    timeoutMs: options.timeoutMs,
    headers: { 'x-shopify-access-token': options.accessToken },
  });
  if (!sent.ok) return sent;
  const byStatus = classifyResponse(sent.response, { now: options.now });
  if (!byStatus.ok) return byStatus;
  let body: GraphqlBody<T>;
  try {
    body = JSON.parse(sent.response.body) as GraphqlBody<T>;
  } catch {
    return retryable('shopify_bad_response', 'the answer was not JSON');
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
    const cost = body.extensions?.cost;
    const missing = (cost?.requestedQueryCost ?? 100) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
    const rate = cost?.throttleStatus?.restoreRate ?? 50;
    return retryable('shopify_throttled', 'query cost over the available bucket', {
      retryAfterMs: Math.max(1000, Math.ceil((missing / rate) * 1000)),
    });
  }
  if (errors.length > 0) {
    const first = errors[0]!;
    return permanent(
      `shopify_${(first.extensions?.code ?? 'graphql_error').toLowerCase()}`,
      (first.message ?? 'GraphQL error').slice(0, 300),
    );
  }
  return { ok: true, data: (body.data ?? {}) as T };
}
