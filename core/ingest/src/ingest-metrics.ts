import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the ingest API, on a registry of its own. */
export interface IngestMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method'>;
  outcomes: Counter<'outcome'>;
  batchSize: Histogram;
}

/** Creates the metrics (and Node's default process metrics) on a fresh registry. */
export function createIngestMetrics(): IngestMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'poshub_' });
  return {
    registry,
    requests: new Counter({
      name: 'poshub_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'poshub_http_request_duration_seconds',
      help: 'HTTP request latency by route and method',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outcomes: new Counter({
      name: 'poshub_ingest_events_total',
      help: 'Submitted events by outcome (created, duplicate, replayed, conflict, key_reused, in_flight, refused)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'poshub_group_commit_batch_size',
      help: 'Events committed per PostgreSQL transaction',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
  };
}
