/** Which transport carries dispatch, and where its broker is. */
export type TransportConfig =
  | { kind: 'embedded' }
  | { kind: 'kafka'; brokers: string[]; namespace: string; replicationFactor?: number; partitions?: number }
  | { kind: 'rabbitmq'; url: string; namespace: string }
  | {
      kind: 'sqs';
      namespace: string;
      region: string;
      endpoint?: string;
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

/** The transports poshub ships, as `POSHUB_TRANSPORT` names them. */
export const TRANSPORT_KINDS = ['embedded', 'kafka', 'rabbitmq', 'sqs'] as const;

/** A transport setting that cannot work, with the variable to fix. */
export class TransportConfigError extends Error {
  override name = 'TransportConfigError';
}

/**
 * Reads the transport from the environment: `POSHUB_TRANSPORT` (embedded by default), the broker's
 * location (`KAFKA_BROKERS`, `AMQP_URL`, `SQS_REGION` / `SQS_ENDPOINT`) and `POSHUB_TRANSPORT_NAMESPACE`,
 * the prefix of every topic, queue and group (default `poshub`). Throws {@link TransportConfigError}
 * naming the variable when a setting is missing or malformed.
 */
export function transportConfigFromEnv(env: NodeJS.ProcessEnv): TransportConfig {
  const kind = (env.POSHUB_TRANSPORT ?? 'embedded').trim().toLowerCase();
  const namespace = env.POSHUB_TRANSPORT_NAMESPACE?.trim() || 'poshub';
  const required = (name: string, why: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new TransportConfigError(`POSHUB_TRANSPORT=${kind} needs ${name} (${why})`);
    return value;
  };
  switch (kind) {
    case 'embedded':
      return { kind };
    case 'kafka': {
      const brokers = required('KAFKA_BROKERS', 'comma-separated host:port list')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      for (const b of brokers) {
        if (!/^[^\s:/]+:\d{1,5}$/.test(b)) {
          throw new TransportConfigError(`KAFKA_BROKERS: ${JSON.stringify(b)} is not host:port`);
        }
      }
      return {
        kind,
        brokers,
        namespace,
        ...optionalInt(env, 'KAFKA_REPLICATION_FACTOR', 'replicationFactor'),
        ...optionalInt(env, 'KAFKA_PARTITIONS', 'partitions'),
      };
    }
    case 'rabbitmq': {
      const url = required('AMQP_URL', 'amqp://user:password@host:5672/vhost');
      if (!/^amqps?:\/\//.test(url)) {
        throw new TransportConfigError('AMQP_URL must start with amqp:// or amqps://');
      }
      return { kind, url, namespace };
    }
    case 'sqs': {
      const region = env.SQS_REGION?.trim() || env.AWS_REGION?.trim();
      if (!region) throw new TransportConfigError('POSHUB_TRANSPORT=sqs needs SQS_REGION (or AWS_REGION)');
      const endpoint = env.SQS_ENDPOINT?.trim();
      const accessKeyId = env.SQS_ACCESS_KEY_ID?.trim();
      const secretAccessKey = env.SQS_SECRET_ACCESS_KEY?.trim();
      if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
        throw new TransportConfigError(
          'SQS_ACCESS_KEY_ID and SQS_SECRET_ACCESS_KEY go together (or leave both unset for the AWS default chain)',
        );
      }
      return {
        kind,
        namespace,
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      };
    }
    default:
      throw new TransportConfigError(
        `POSHUB_TRANSPORT=${JSON.stringify(kind)} is not a transport (one of ${TRANSPORT_KINDS.join(', ')})`,
      );
  }
}

/** Where the transport's messages go, for start-up output; no credentials. */
export function describeTransport(config: TransportConfig): string {
  switch (config.kind) {
    case 'embedded':
      return 'embedded PostgreSQL queue';
    case 'kafka':
      return `Kafka ${config.brokers.join(',')} (namespace ${config.namespace})`;
    case 'rabbitmq':
      return `RabbitMQ ${new URL(config.url).host} (namespace ${config.namespace})`;
    case 'sqs':
      return `SQS ${config.endpoint ?? config.region} (namespace ${config.namespace})`;
  }
}

function optionalInt<K extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  key: K,
): Partial<Record<K, number>> {
  const raw = env[name]?.trim();
  if (!raw) return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new TransportConfigError(`${name} must be a positive integer`);
  return { [key]: n } as Partial<Record<K, number>>;
}
