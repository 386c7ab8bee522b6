import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './require-service.ts';
import { readServiceUrls } from './service-urls.ts';

describe('RabbitMQ broker (real)', () => {
  const urls = readServiceUrls();
  const queue = `poshub.test.${randomUUID()}`;
  let connection: ChannelModel;

  beforeAll(async () => {
    await requireService('rabbitmq', urls.amqpUrl);
    connection = await amqp.connect(urls.amqpUrl);
  });

  afterAll(async () => {
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
    await connection.close();
  });

  it('confirms a persistent publish, redelivers a nacked message and removes it once acked', async () => {
    const publisher = await connection.createConfirmChannel();
    await publisher.assertQueue(queue, { durable: true });
    const body = JSON.stringify({ type: 'sale.completed.v1', id: randomUUID() });
    // The confirm callback fires when the broker has taken responsibility for the message.
    await new Promise<void>((resolve, reject) => {
      publisher.sendToQueue(queue, Buffer.from(body), { persistent: true, messageId: 'm-1' }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
    await publisher.close();

    const consumer = await connection.createChannel();
    await consumer.prefetch(1);
    const deliveries: ConsumeMessage[] = [];
    const acked = new Promise<void>((resolve) => {
      void consumer.consume(
        queue,
        (message) => {
          if (!message) return;
          deliveries.push(message);
          // First delivery: fail it back to the queue; second: ack, as a connector would after success.
          if (deliveries.length === 1) consumer.nack(message, false, true);
          else {
            consumer.ack(message);
            resolve();
          }
        },
        { noAck: false },
      );
    });
    await acked;
    expect(deliveries.map((d) => d.content.toString())).toEqual([body, body]);
    expect(deliveries.map((d) => d.fields.redelivered)).toEqual([false, true]);
    expect(deliveries[0]!.properties.messageId).toBe('m-1');

    await consumer.close();
    const check = await connection.createChannel();
    const { messageCount } = await check.checkQueue(queue);
    expect(messageCount).toBe(0);
    await check.close();
  });
});
