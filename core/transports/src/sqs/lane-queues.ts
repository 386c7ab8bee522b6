import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LaneQueueNames } from './sqs-names.ts';
import { within } from './within.ts';

/** The URLs of a lane's FIFO queue and of its dead-letter queue. */
export interface LaneQueues {
  queueUrl: string;
  deadLetterUrl: string;
}

/** What {@link ensureLaneQueues} declares on the lane's queue. */
export interface LaneQueueSettings {
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  timeoutMs: number;
}

/** SQS's longest retention, for the dead-letter queue: an operator must have time to look at it. */
const FOURTEEN_DAYS_S = 14 * 24 * 3600;

/**
 * Creates the lane's dead-letter queue and its queue with a redrive policy to it, or brings existing ones
 * to these settings (CreateQueue refuses an existing name with other attributes), so setup is idempotent
 * and a changed option reaches queues declared by an older deployment.
 */
export async function ensureLaneQueues(
  client: SQSClient,
  names: LaneQueueNames,
  settings: LaneQueueSettings,
): Promise<LaneQueues> {
  const deadLetterUrl = await ensureQueue(
    client,
    names.deadLetters,
    { MessageRetentionPeriod: String(FOURTEEN_DAYS_S) },
    settings.timeoutMs,
  );
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
    within(settings.timeoutMs),
  );
  const deadLetterArn = Attributes?.['QueueArn'];
  if (!deadLetterArn) throw new Error(`SQS returned no QueueArn for ${deadLetterUrl}`);
  const queueUrl = await ensureQueue(
    client,
    names.queue,
    {
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: deadLetterArn,
        maxReceiveCount: settings.maxReceiveCount,
      }),
    },
    settings.timeoutMs,
  );
  return { queueUrl, deadLetterUrl };
}

/** The URLs of queues declared earlier (by this process or another); rejects when they do not exist. */
export async function findLaneQueues(
  client: SQSClient,
  names: LaneQueueNames,
  timeoutMs: number,
): Promise<LaneQueues> {
  const [queue, deadLetters] = await Promise.all([
    client.send(new GetQueueUrlCommand({ QueueName: names.queue }), within(timeoutMs)),
    client.send(new GetQueueUrlCommand({ QueueName: names.deadLetters }), within(timeoutMs)),
  ]);
  if (!queue.QueueUrl || !deadLetters.QueueUrl) throw new Error(`SQS returned no URL for ${names.queue}`);
  return { queueUrl: queue.QueueUrl, deadLetterUrl: deadLetters.QueueUrl };
}

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
  timeoutMs: number,
): Promise<string> {
  try {
    const created = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ...attributes } }),
      within(timeoutMs),
    );
    if (created.QueueUrl) return created.QueueUrl;
  } catch (error) {
    if ((error as Error).name !== 'QueueNameExists') throw error;
  }
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }), within(timeoutMs));
  if (!QueueUrl) throw new Error(`SQS returned no URL for ${name}`);
  await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }), within(timeoutMs));
  return QueueUrl;
}
