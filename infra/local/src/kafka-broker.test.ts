import { randomUUID } from 'node:crypto';
import {
  Admin,
  Consumer,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './require-service.ts';
import { readServiceUrls } from './service-urls.ts';

describe('Kafka broker (real, KRaft)', () => {
  const urls = readServiceUrls();
  const topic = `poshub.test.${randomUUID()}`;
  const admin = new Admin({ clientId: 'poshub-test', bootstrapBrokers: urls.kafkaBrokers });

  beforeAll(async () => {
    await requireService('kafka', urls.kafkaBrokers[0]!);
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.close();
  });

  it('round-trips keyed messages through an idempotent acks=all producer, in order per key', async () => {
    const producer = new Producer({
      clientId: 'poshub-test',
      bootstrapBrokers: urls.kafkaBrokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      serializers: stringSerializers,
    });
    const stores = ['store-1', 'store-2', 'store-3'];
    const sent = stores.flatMap((store) =>
      [1, 2, 3, 4].map((seq) => ({ key: store, value: `${store}#${seq}` })),
    );
    try {
      await producer.send({ messages: sent.map((m) => ({ topic, ...m })) });
      // The broker assigned a producer id: idempotence (KIP-98) is really on, not just requested.
      expect(producer.producerId).toBeTypeOf('bigint');
      expect(producer.producerId! >= 0n).toBe(true);
    } finally {
      await producer.close();
    }

    const consumer = new Consumer({
      clientId: 'poshub-test',
      groupId: `poshub-test-${randomUUID()}`,
      bootstrapBrokers: urls.kafkaBrokers,
      deserializers: stringDeserializers,
    });
    const received = new Map<string, string[]>();
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      let count = 0;
      for await (const message of stream) {
        received.set(message.key, [...(received.get(message.key) ?? []), message.value]);
        await message.commit();
        if (++count === sent.length) break;
      }
      await stream.close();
    } finally {
      await consumer.close(true);
    }
    for (const store of stores) {
      expect(received.get(store)).toEqual([1, 2, 3, 4].map((seq) => `${store}#${seq}`));
    }
  });
});
