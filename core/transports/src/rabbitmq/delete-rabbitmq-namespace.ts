import { assertNamespace } from './rabbitmq-names.ts';

/** Where the management API is and which vhost the namespace lives in. */
export interface RabbitmqManagementTarget {
  /** e.g. `http://user:password@host:15672`. */
  managementUrl: string;
  /** Default `/`. */
  vhost?: string;
  /** Bounds each HTTP call. Default 10,000. */
  timeoutMs?: number;
}

/**
 * Deletes every queue and exchange whose name starts with `<namespace>.` (what a transport with that
 * namespace declares): test cleanup, or retiring a deployment. Lists through the management API because
 * AMQP cannot list; the namespace is validated first so an empty prefix can never match everything.
 */
export async function deleteRabbitmqNamespace(
  target: RabbitmqManagementTarget,
  namespace: string,
): Promise<{ queues: string[]; exchanges: string[] }> {
  assertNamespace(namespace);
  const api = managementApi(target);
  const prefix = `${namespace}.`;
  const deleted = { queues: [] as string[], exchanges: [] as string[] };
  for (const kind of ['queues', 'exchanges'] as const) {
    const listed = (await api('GET', `/api/${kind}/${api.vhost}?columns=name`)) as Array<{ name: string }>;
    for (const { name } of listed) {
      if (!name.startsWith(prefix)) continue;
      await api('DELETE', `/api/${kind}/${api.vhost}/${encodeURIComponent(name)}`);
      deleted[kind].push(name);
    }
  }
  return deleted;
}

function managementApi(target: RabbitmqManagementTarget) {
  const base = new URL(target.managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`);
  base.username = '';
  base.password = '';
  const call = async (method: 'GET' | 'DELETE', path: string): Promise<unknown> => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Basic ${auth.toString('base64')}` },
      signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
    });
    // A queue deleted meanwhile (by another cleanup) is fine.
    if (method === 'DELETE' && response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`RabbitMQ management API ${method} ${path} answered ${response.status}`);
    return method === 'GET' ? response.json() : undefined;
  };
  return Object.assign(call, { vhost: encodeURIComponent(target.vhost ?? '/') });
}
