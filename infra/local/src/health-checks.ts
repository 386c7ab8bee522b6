import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  Admin,
  Consumer,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import amqp from 'amqplib';
import pg from 'pg';
import type { ServiceUrls } from './service-urls.ts';

/** The services `services.sh` runs, by the names its commands use. */
export type ServiceName = 'postgres' | 'rabbitmq' | 'kafka' | 'elasticmq' | 'oidc';

/**
 * `full` proves the service works end to end (Kafka: create a topic, produce with acks=all, consume);
 * `light` only reads, so checking a service that already runs changes nothing.
 */
export type HealthMode = 'full' | 'light';

/** One protocol-level check; resolves with a short detail, rejects with the reason it is unhealthy. */
export type HealthCheck = (urls: ServiceUrls, mode: HealthMode) => Promise<string>;

const HEALTH_TOPIC = 'poshub.health';

async function checkPostgres(urls: ServiceUrls): Promise<string> {
  const client = new pg.Client({ connectionString: urls.databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ sc: string; v: string }>(
      "select current_setting('synchronous_commit') as sc, current_setting('server_version') as v",
    );
    const row = rows[0];
    if (row?.sc !== 'on') throw new Error(`synchronous_commit is ${row?.sc}, expected on`);
    return `PostgreSQL ${row.v}, synchronous_commit=on`;
  } finally {
    await client.end();
  }
}

async function checkRabbitmq(urls: ServiceUrls): Promise<string> {
  const connection = await amqp.connect(urls.amqpUrl, { timeout: 5000 });
  try {
    const channel = await connection.createConfirmChannel();
    // A server-named exclusive queue disappears with the connection: the check leaves nothing behind.
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    channel.sendToQueue(queue, Buffer.from('health'), { persistent: true });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  const api = new URL('/api/overview', urls.rabbitmqManagementUrl);
  const auth = Buffer.from(`${decodeURIComponent(api.username)}:${decodeURIComponent(api.password)}`);
  api.username = '';
  api.password = '';
  const response = await fetch(api, {
    headers: { authorization: `Basic ${auth.toString('base64')}` },
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`management API answered ${response.status}`);
  const overview = (await response.json()) as { rabbitmq_version?: string };
  return `RabbitMQ ${overview.rabbitmq_version}, publisher confirm ok, management API ok`;
}

async function checkKafka(urls: ServiceUrls, mode: HealthMode): Promise<string> {
  const base = { bootstrapBrokers: urls.kafkaBrokers, retries: 1, timeout: 5000 };
  const admin = new Admin({ ...base, clientId: 'poshub-health' });
  try {
    const metadata = await admin.metadata({ topics: [] });
    if (mode === 'light') return `${metadata.brokers.size} broker(s)`;
    const existing = await admin.listTopics();
    if (!existing.includes(HEALTH_TOPIC)) {
      await admin.createTopics({ topics: [HEALTH_TOPIC], partitions: 1, replicas: 1 });
    }
  } finally {
    await admin.close();
  }
  const marker = `health-${process.pid}-${Date.now()}`;
  const producer = new Producer({
    ...base,
    clientId: 'poshub-health',
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: stringSerializers,
  });
  try {
    await producer.send({ messages: [{ topic: HEALTH_TOPIC, key: 'health', value: marker }] });
  } finally {
    await producer.close();
  }
  const consumer = new Consumer({
    ...base,
    clientId: 'poshub-health',
    groupId: marker,
    deserializers: stringDeserializers,
  });
  try {
    const stream = await consumer.consume({ topics: [HEALTH_TOPIC], mode: 'earliest', autocommit: false });
    try {
      for await (const message of stream) {
        if (message.value === marker) return 'topic created, produced with acks=all, consumed';
      }
    } finally {
      await stream.close();
    }
    throw new Error('the consumer stream ended before the produced message arrived');
  } finally {
    await consumer.close(true);
  }
}

async function checkElasticmq(urls: ServiceUrls): Promise<string> {
  const client = new SQSClient({
    endpoint: urls.sqs.endpoint,
    region: urls.sqs.region,
    credentials: { accessKeyId: urls.sqs.accessKeyId, secretAccessKey: urls.sqs.secretAccessKey },
  });
  try {
    const result = await client.send(new ListQueuesCommand({}), { abortSignal: AbortSignal.timeout(5000) });
    return `SQS API ok, ${result.QueueUrls?.length ?? 0} queue(s)`;
  } finally {
    client.destroy();
  }
}

async function checkOidc(urls: ServiceUrls): Promise<string> {
  const discoveryUrl = `${urls.oidc.issuer}/.well-known/openid-configuration`;
  const discovery = await fetch(discoveryUrl, { signal: AbortSignal.timeout(5000) });
  if (!discovery.ok) throw new Error(`${discoveryUrl} answered ${discovery.status}`);
  const meta = (await discovery.json()) as { issuer?: string; jwks_uri?: string };
  if (meta.issuer !== urls.oidc.issuer)
    throw new Error(`issuer is ${meta.issuer}, expected ${urls.oidc.issuer}`);
  const jwks = await fetch(meta.jwks_uri ?? urls.oidc.jwksUri, { signal: AbortSignal.timeout(5000) });
  const { keys } = (await jwks.json()) as { keys?: unknown[] };
  if (!keys?.length) throw new Error('the JWKS has no keys');
  return `discovery ok, ${keys.length} signing key(s)`;
}

/** The check for each service. */
export const healthChecks: Record<ServiceName, HealthCheck> = {
  postgres: checkPostgres,
  rabbitmq: checkRabbitmq,
  kafka: checkKafka,
  elasticmq: checkElasticmq,
  oidc: checkOidc,
};
