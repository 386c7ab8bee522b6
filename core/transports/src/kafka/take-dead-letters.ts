import { Consumer, type ConsumerOptions, type Message, type MessagesStream } from '@platformatic/kafka';
import { messageFromHeaders } from '../dispatch-message.ts';
import type { DeadLetter } from '../transport.ts';
import { withTimeout } from '../with-timeout.ts';
import { KAFKA_HEADERS } from './kafka-names.ts';

type Record = Message<string, string, string, string>;

/** Options of {@link takeDeadLetters}. */
export interface TakeDeadLettersOptions {
  /** Client options of the reader, whose group id is the lane's dead-letter reader group. */
  client: ConsumerOptions<string, string, string, string>;
  topic: string;
  max: number;
  waitMs: number;
  /** Bound on joining, committing and leaving. */
  timeoutMs: number;
  /** Ends the wait early (the transport is closing): what arrived so far is returned and committed. */
  signal?: AbortSignal;
}

/** Once letters arrived, the read ends after this long without another (the fetch brought what there was). */
const QUIET_MS = 250;

/**
 * Reads up to `max` records from a lane's dead-letter topic as a member of the lane's reader group,
 * commits exactly what it returns and leaves the group. Records fetched beyond `max` stay uncommitted
 * for the next call. The group starts at the earliest record the first time.
 */
export async function takeDeadLetters(options: TakeDeadLettersOptions): Promise<DeadLetter[]> {
  const { client, topic, max, waitMs, timeoutMs, signal } = options;
  if (max < 1) return [];
  const consumer = new Consumer<string, string, string, string>(client);
  try {
    const started = Date.now();
    const stream = await withTimeout(
      consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false }),
      timeoutMs,
      `joining consumer group ${client.groupId}`,
    );
    const records = await collect(stream, max, started + waitMs, timeoutMs, signal);
    const lastOfPartition = new Map<number, Record>();
    for (const record of records) lastOfPartition.set(record.partition, record);
    await withTimeout(
      Promise.all([...lastOfPartition.values()].map((record) => Promise.resolve(record.commit()))),
      timeoutMs,
      'committing dead letters',
    );
    return records.map(deadLetterOf);
  } finally {
    await withTimeout(consumer.close(true), timeoutMs, 'closing dead-letter reader').catch(() => undefined);
  }
}

/**
 * Collects records until `max` arrived, or the stream went quiet after some arrived, or `deadline` passed
 * with none after at least one fetch (so a zero wait still looks once). Never longer than the deadline
 * plus `timeoutMs`, in case this member got no partition at all.
 */
function collect(
  stream: MessagesStream<string, string, string, string>,
  max: number,
  deadline: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Record[]> {
  return new Promise((resolve, reject) => {
    const got: Record[] = [];
    let fetched = false;
    let done = false;
    let quiet: NodeJS.Timeout | undefined;
    const timers = [
      setTimeout(() => check(), Math.max(0, deadline - Date.now())),
      setTimeout(() => finish(), Math.max(0, deadline - Date.now()) + timeoutMs),
    ];
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      stream.pause();
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(quiet);
      for (const timer of timers) clearTimeout(timer);
      if (error) reject(error);
      else resolve(got);
    };
    const check = () => {
      if (got.length >= max) finish();
      else if (got.length === 0 && fetched && Date.now() >= deadline) finish();
    };
    stream.on('data', (record) => {
      if (done) return;
      got.push(record);
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(), QUIET_MS);
      check();
    });
    // 'fetch' is emitted before the fetched records are pushed: look after they had their turn.
    stream.on('fetch', () =>
      setImmediate(() => {
        fetched = true;
        check();
      }),
    );
    stream.once('error', (error) => finish(error));
    const onAbort = () => finish();
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function deadLetterOf(record: Record): DeadLetter {
  const headers = Object.fromEntries(record.headers);
  const reason = headers[KAFKA_HEADERS.deadReason] ?? 'no reason recorded';
  const value = record.value ?? '';
  const message = messageFromHeaders(headers, value, 'ce_');
  if (!('error' in message)) return { message, reason };
  // Not one of ours (it was dead-lettered for that): hand it over as a JSON string so it is not lost.
  return {
    message: {
      id: `${record.topic}/${record.partition}/${record.offset}`,
      type: headers['ce_type'] ?? 'unknown',
      source: 'kafka',
      subject: record.key ?? headers['ce_subject'] ?? '',
      data: JSON.stringify(value),
    },
    reason: `${reason} (${message.error})`,
  };
}
