import { DeleteQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { assertSqsNamespace, namespaceQueuePrefix } from './sqs-names.ts';
import type { SqsConnection } from './sqs-transport.ts';
import { within } from './within.ts';

/**
 * Deletes every queue of a namespace (lanes and dead-letter queues, messages included) and returns their
 * URLs: the cleanup of a test run. Only that namespace's queues match the prefix (see `laneQueueNames`).
 */
export async function deleteSqsNamespace(
  connection: SqsConnection,
  namespace: string,
  timeoutMs = 10_000,
): Promise<string[]> {
  assertSqsNamespace(namespace);
  const client = new SQSClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  });
  try {
    const urls: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListQueuesCommand({
          QueueNamePrefix: namespaceQueuePrefix(namespace),
          MaxResults: 1000,
          NextToken: nextToken,
        }),
        within(timeoutMs),
      );
      urls.push(...(page.QueueUrls ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    for (const url of urls) await client.send(new DeleteQueueCommand({ QueueUrl: url }), within(timeoutMs));
    return urls;
  } finally {
    client.destroy();
  }
}
