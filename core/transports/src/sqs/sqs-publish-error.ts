/** One batch entry SQS did not accept. */
export interface RefusedEntry {
  /** Index of the message in the `publish`/`publishTo` call's per-lane list. */
  index: number;
  code: string;
  message: string;
  /** True when SQS blames the request (the entry will never be accepted as it is). */
  senderFault: boolean;
}

/** `publish`/`publishTo` rejected because SQS did not accept every message; the entries say which and why. */
export class SqsPublishError extends Error {
  readonly queueUrl: string;
  readonly refused: readonly RefusedEntry[];

  constructor(queueUrl: string, refused: readonly RefusedEntry[], attempts: number) {
    const first = refused[0];
    super(
      `SQS refused ${refused.length} message(s) for ${queueUrl} after ${attempts} attempt(s)` +
        (first ? `, first: ${first.code}: ${first.message}` : ''),
    );
    this.name = 'SqsPublishError';
    this.queueUrl = queueUrl;
    this.refused = refused;
  }
}
