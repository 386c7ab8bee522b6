import { describe, expect, it } from 'vitest';
import { describeTransport, TransportConfigError, transportConfigFromEnv } from './transport-config.ts';

describe('transportConfigFromEnv', () => {
  it('defaults to the embedded queue', () => {
    expect(transportConfigFromEnv({})).toEqual({ kind: 'embedded' });
  });

  it('reads each broker from its variables', () => {
    expect(
      transportConfigFromEnv({
        POSHUB_TRANSPORT: 'Kafka',
        KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
        KAFKA_PARTITIONS: '12',
      }),
    ).toEqual({
      kind: 'kafka',
      brokers: ['127.0.0.1:19092', '127.0.0.1:19093'],
      namespace: 'poshub',
      partitions: 12,
    });
    expect(
      transportConfigFromEnv({
        POSHUB_TRANSPORT: 'rabbitmq',
        AMQP_URL: 'amqp://u:p@127.0.0.1:5672',
        POSHUB_TRANSPORT_NAMESPACE: 'shop-a',
      }),
    ).toEqual({ kind: 'rabbitmq', url: 'amqp://u:p@127.0.0.1:5672', namespace: 'shop-a' });
    expect(
      transportConfigFromEnv({
        POSHUB_TRANSPORT: 'sqs',
        SQS_REGION: 'eu-west-1',
        SQS_ENDPOINT: 'http://127.0.0.1:19324',
        SQS_ACCESS_KEY_ID: 'a',
        SQS_SECRET_ACCESS_KEY: 'b',
      }),
    ).toEqual({
      kind: 'sqs',
      namespace: 'poshub',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:19324',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  });

  it.each([
    [{ POSHUB_TRANSPORT: 'nats' }, /"nats" is not a transport \(one of embedded, kafka, rabbitmq, sqs\)/],
    [{ POSHUB_TRANSPORT: 'kafka' }, /needs KAFKA_BROKERS/],
    [{ POSHUB_TRANSPORT: 'kafka', KAFKA_BROKERS: 'http://x:1' }, /"http:\/\/x:1" is not host:port/],
    [
      { POSHUB_TRANSPORT: 'kafka', KAFKA_BROKERS: 'x:1', KAFKA_PARTITIONS: '0' },
      /KAFKA_PARTITIONS must be a positive/,
    ],
    [{ POSHUB_TRANSPORT: 'rabbitmq' }, /needs AMQP_URL/],
    [{ POSHUB_TRANSPORT: 'rabbitmq', AMQP_URL: 'http://x' }, /must start with amqp:\/\//],
    [{ POSHUB_TRANSPORT: 'sqs' }, /needs SQS_REGION/],
    [{ POSHUB_TRANSPORT: 'sqs', SQS_REGION: 'r', SQS_ACCESS_KEY_ID: 'a' }, /go together/],
  ])('refuses %o, naming what to fix', (env, message) => {
    expect(() => transportConfigFromEnv(env)).toThrow(TransportConfigError);
    expect(() => transportConfigFromEnv(env)).toThrow(message);
  });

  it('describes a transport without its credentials', () => {
    expect(
      describeTransport({ kind: 'rabbitmq', url: 'amqp://user:secret@127.0.0.1:56729', namespace: 'poshub' }),
    ).toBe('RabbitMQ 127.0.0.1:56729 (namespace poshub)');
  });
});
