import type { Database } from '@poshub/store';
import { EmbeddedTransport, type Transport } from '@poshub/transports';
import type { Kysely } from 'kysely';
import type { TransportConfig } from './transport-config.ts';

/**
 * Creates the configured transport. A broker's client library is loaded only when that broker is chosen,
 * so the embedded default starts without them. Errors the transport survives go to `onError`.
 */
export async function openTransport(
  config: TransportConfig,
  db: Kysely<Database>,
  onError: (error: Error) => void,
): Promise<Transport> {
  switch (config.kind) {
    case 'embedded':
      return new EmbeddedTransport(db);
    case 'kafka': {
      const { KafkaTransport } = await import('@poshub/transports/kafka');
      return new KafkaTransport({
        brokers: config.brokers,
        namespace: config.namespace,
        ...(config.partitions ? { partitions: config.partitions } : {}),
        ...(config.replicationFactor ? { replicationFactor: config.replicationFactor } : {}),
      });
    }
    case 'rabbitmq': {
      const { RabbitmqTransport } = await import('@poshub/transports/rabbitmq');
      return new RabbitmqTransport({ url: config.url, namespace: config.namespace, onError });
    }
    case 'sqs': {
      const { SqsTransport } = await import('@poshub/transports/sqs');
      return new SqsTransport({
        namespace: config.namespace,
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
      });
    }
  }
}
