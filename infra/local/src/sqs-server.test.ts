import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './require-service.ts';
import { readServiceUrls } from './service-urls.ts';

describe('SQS server (ElasticMQ, real)', () => {
  const urls = readServiceUrls();
  const sqs = new SQSClient({
    endpoint: urls.sqs.endpoint,
    region: urls.sqs.region,
    credentials: { accessKeyId: urls.sqs.accessKeyId, secretAccessKey: urls.sqs.secretAccessKey },
  });
  const name = `poshub-test-${randomUUID().slice(0, 8)}`;
  let queueUrl = '';
  let dlqUrl = '';

  beforeAll(async () => {
    await requireService('elasticmq', urls.sqs.endpoint);
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: `${name}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }),
    );
    dlqUrl = dlq.QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${name}.fifo`,
        Attributes: {
          FifoQueue: 'true',
          ContentBasedDeduplication: 'false',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!['QueueArn'], maxReceiveCount: 1 }),
        },
      }),
    );
    queueUrl = main.QueueUrl!;
  });

  afterAll(async () => {
    for (const url of [queueUrl, dlqUrl].filter(Boolean)) {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    }
    sqs.destroy();
  });

  const send = (body: string, dedup: string) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageGroupId: 'store-1',
        MessageDeduplicationId: dedup,
      }),
    );

  it('drops a duplicate send, delivers once, and deletes on acknowledgement', async () => {
    const first = await send('sale-1', 'sale-1');
    const duplicate = await send('sale-1 again', 'sale-1');
    // SQS answers a deduplicated send like a success, with the first message's id.
    expect(duplicate.MessageId).toBe(first.MessageId);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['sale-1']);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! }),
    );

    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(after.Messages ?? []).toEqual([]);
  });

  it('moves a message that is received but never deleted to the dead-letter queue', async () => {
    await send('poison', 'poison-1');
    const firstTry = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1, WaitTimeSeconds: 1 }),
    );
    expect(firstTry.Messages?.map((m) => m.Body)).toEqual(['poison']);
    // Not deleted: once visible again it has used up maxReceiveCount=1, so the next receive redrives it.
    await new Promise((r) => setTimeout(r, 1500));
    const secondTry = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(secondTry.Messages ?? []).toEqual([]);

    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 2 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual(['poison']);
  });
});
