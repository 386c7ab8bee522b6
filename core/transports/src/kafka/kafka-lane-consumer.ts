import {
  Consumer,
  type ConsumerOptions,
  type GroupAssignment,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { messageFromHeaders } from '../dispatch-message.ts';
import { KeyedRunner } from '../keyed-runner.ts';
import { settleDelivery } from '../settle-delivery.ts';
import type { DeliveryHandler, LaneConsumer } from '../transport.ts';
import { withTimeout } from '../with-timeout.ts';
import { KAFKA_HEADERS } from './kafka-names.ts';
import { NotBeforeQueue } from './not-before-queue.ts';
import { PartitionOffsets } from './partition-offsets.ts';

type Record = Message<string, string, string, string>;

/** A record as it is produced again elsewhere (retry or dead-letter topic), headers and all. */
export interface ForwardedRecord {
  key: string;
  value: string;
  headers: { [name: string]: string };
}

/** Where a lane consumer sends what the handler did not acknowledge; each resolves once the broker acked. */
export interface DispositionSink {
  retry(record: ForwardedRecord, delayMs: number, nextDeliveryCount: number): Promise<void>;
  dead(record: ForwardedRecord, reason: string): Promise<void>;
}

/** Options of {@link KafkaLaneConsumer}. */
export interface KafkaLaneConsumerOptions {
  /** Client options of the lane's group member (brokers, group id, session and fetch settings). */
  client: ConsumerOptions<string, string, string, string>;
  /** The family topics the lane's types live in. */
  familyTopics: readonly string[];
  /** The lane's retry topic: every record there is for this lane, whatever its type. */
  retryTopic: string;
  /** The lane's types: family records of other types belong to other lanes and are skipped. */
  types: ReadonlySet<string>;
  handler: DeliveryHandler;
  maxInFlight: number;
  /** False: a store's messages may run concurrently (see ConsumeOptions.perStoreOrder). */
  perStoreOrder: boolean;
  /** Retry records held until their not-before time, at most; reading stops while this many wait. */
  maxDelayed: number;
  sink: DispositionSink;
  /** Bound on joining the group and on leaving it. */
  timeoutMs: number;
}

/** One consumer-group membership and its stream; replaced wholesale when the client gives up on it. */
interface Session {
  consumer: Consumer<string, string, string, string>;
  stream: MessagesStream<string, string, string, string>;
  /** The partitions this member owns, each with the group generation since which it owns it. */
  owned: Map<string, number>;
  partitions: Map<string, PartitionOffsets<Record>>;
}

/** A record taken from the stream, on its way to the handler. */
interface Taken {
  session: Session;
  partition: string;
  offsets: PartitionOffsets<Record>;
  record: Record;
  headers: { [name: string]: string };
  deliveryCount: number;
}

const REOPEN_PAUSE_MS = 1000;
const FORWARD_RETRY_MS = [200, 1000, 5000];

/**
 * The member of a lane's consumer group in this process. Records go to the handler through a
 * {@link KeyedRunner} (one at a time per store, at most `maxInFlight` running and the runner's capacity held); the stream is paused while
 * the runner is full. Offsets are committed per partition up to the first unsettled record only.
 */
export class KafkaLaneConsumer implements LaneConsumer {
  readonly #options: KafkaLaneConsumerOptions;
  readonly #runner: KeyedRunner;
  readonly #delayed = new NotBeforeQueue<Taken>();
  readonly #commits = new Set<Promise<void>>();
  /**
   * Deliveries in the runner, waiting or in the handler. Counted here rather than read from
   * `KeyedRunner.size` because it drops as a delivery's task ends, before the runner forgets the task, so
   * the check that resumes the stream right after a delivery already sees the room it made.
   */
  #held = 0;
  #session: Session | undefined;
  /** False once stop() began: no handler call starts after that. */
  #taking = false;
  #timer: NodeJS.Timeout | undefined;
  #reopening: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  readonly #stopped = new AbortController();

  constructor(options: KafkaLaneConsumerOptions) {
    this.#options = options;
    this.#runner = new KeyedRunner(options.maxInFlight);
  }

  /** Joins the lane's group; resolves once this member has its partitions and is fetching. */
  async start(): Promise<void> {
    this.#taking = true;
    try {
      await this.#open();
    } catch (error) {
      this.#taking = false;
      throw error;
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<void> {
    this.#taking = false;
    this.#stopped.abort();
    clearTimeout(this.#timer);
    this.#delayed.clear();
    const session = this.#session;
    session?.stream.pause();
    await idleWithin(this.#runner, graceMs);
    // Whatever is still in the handler is abandoned: its offset is not committed, so the group's next
    // member gets it again, as after a crash.
    this.#session = undefined;
    await this.#reopening;
    await withTimeout(Promise.allSettled([...this.#commits]), this.#options.timeoutMs, 'commit').catch(
      () => undefined,
    );
    if (session) await closeConsumer(session.consumer, this.#options.timeoutMs);
  }

  /** Joins the group and makes the new membership the current session, unless stop() came first. */
  async #open(): Promise<void> {
    const { client, familyTopics, retryTopic, timeoutMs } = this.#options;
    const consumer = new Consumer<string, string, string, string>(client);
    let stream: MessagesStream<string, string, string, string>;
    try {
      stream = await withTimeout(
        consumer.consume({
          topics: [...familyTopics, retryTopic],
          mode: 'committed',
          // Only reached when setup() could not seed the group's offsets (see KafkaTransport).
          fallbackMode: 'latest',
          autocommit: false,
        }),
        timeoutMs,
        `joining consumer group ${client.groupId}`,
      );
    } catch (error) {
      await closeConsumer(consumer, timeoutMs);
      throw error;
    }
    if (!this.#taking) {
      await closeConsumer(consumer, timeoutMs);
      return;
    }
    // Current before any record can arrive: a record of a session that is not current is dropped.
    const session: Session = { consumer, stream, owned: new Map(), partitions: new Map() };
    this.#session = session;
    this.#onJoin(session, consumer.generationId, consumer.assignments ?? []);
    consumer.on('consumer:group:join', ({ generationId, assignments }) =>
      this.#onJoin(session, generationId ?? consumer.generationId, assignments ?? []),
    );
    // The client emits 'error' when a rejoin fails for good; the stream when a fetch or commit does.
    consumer.on('error', (error: Error) => this.#onSessionLost(session, error));
    stream.on('error', (error) => this.#onSessionLost(session, error));
    stream.on('close', () => this.#onSessionLost(session, new Error('the message stream closed')));
    stream.on('data', (record) => this.#onRecord(session, record));
  }

  /**
   * A (re)join: partitions kept keep their state (the client fetches them again from the committed
   * offset, and what was taken already is recognised); revoked ones are forgotten, their deliveries
   * abandoned uncommitted, and their new owner fetches them again.
   */
  #onJoin(session: Session, generation: number, assignments: GroupAssignment[]): void {
    if (session !== this.#session) return;
    const owned = new Map<string, number>();
    for (const { topic, partitions } of assignments) {
      for (const p of partitions) {
        const partition = `${topic}:${p}`;
        owned.set(partition, session.owned.get(partition) ?? generation);
      }
    }
    for (const partition of session.partitions.keys()) {
      if (owned.has(partition)) continue;
      session.partitions.delete(partition);
      this.#delayed.drop(partition);
    }
    session.owned = owned;
  }

  #onSessionLost(session: Session, _error: Error): void {
    if (session !== this.#session || !this.#taking) return;
    this.#session = undefined;
    this.#delayed.clear();
    this.#reopening = this.#reopen(session);
  }

  /** Leaves the broken membership and joins again until it works or the consumer is stopped. */
  async #reopen(broken: Session): Promise<void> {
    await closeConsumer(broken.consumer, this.#options.timeoutMs);
    while (this.#taking && !this.#session) {
      await sleep(REOPEN_PAUSE_MS, this.#stopped.signal);
      if (!this.#taking) return;
      // The broker is away when this fails: try again after the pause.
      await this.#open().catch(() => undefined);
    }
  }

  #onRecord(session: Session, record: Record): void {
    if (session !== this.#session || !this.#taking) return;
    const partition = `${record.topic}:${record.partition}`;
    // A record fetched before this member got the partition (again) is stale: taking it would start the
    // partition's tracking past records its fetch from the committed offset is about to bring.
    const since = session.owned.get(partition);
    if (since === undefined || generationOf(record) < since) return;
    let offsets = session.partitions.get(partition);
    if (!offsets) {
      offsets = new PartitionOffsets<Record>();
      session.partitions.set(partition, offsets);
    }
    if (!offsets.track(record.offset, record)) return;
    const headers = Object.fromEntries(record.headers);
    const count = Number(headers[KAFKA_HEADERS.deliveryCount]);
    const taken: Taken = {
      session,
      partition,
      offsets,
      record,
      headers,
      deliveryCount: Number.isInteger(count) && count > 0 ? count : 1,
    };
    if (record.topic === this.#options.retryTopic) {
      const notBefore = Number(headers[KAFKA_HEADERS.notBefore]);
      this.#delayed.add(partition, Number.isFinite(notBefore) ? notBefore : 0, taken);
      this.#releaseDue();
    } else if (this.#options.types.has(headers['ce_type'] ?? '')) {
      this.#hand(taken);
    } else {
      // Another lane's type in a shared family topic: nothing to do but let the offset move on.
      this.#settle(taken);
    }
    if (this.#full()) session.stream.pause();
  }

  #full(): boolean {
    return this.#held >= this.#runner.capacity || this.#delayed.size >= this.#options.maxDelayed;
  }

  #hand(taken: Taken): void {
    const store = taken.record.key || taken.headers['ce_subject'] || '';
    const key = this.#options.perStoreOrder ? store : `${taken.partition}:${taken.record.offset}`;
    this.#held++;
    this.#runner.add(key, () => this.#deliver(taken));
  }

  /** Moves due retry records into the runner while it has room, and wakes up for the next one. */
  #releaseDue(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#taking) return;
    while (this.#held < this.#runner.capacity) {
      const taken = this.#delayed.takeDue(Date.now());
      if (!taken) break;
      this.#hand(taken);
    }
    const next = this.#delayed.nextDueAt();
    // A head that is due already waits for room, which the end of a delivery makes (and then calls here).
    if (next !== undefined && next > Date.now()) {
      this.#timer = setTimeout(() => this.#afterDelivery(), next - Date.now());
    }
  }

  #afterDelivery(): void {
    this.#releaseDue();
    const stream = this.#session?.stream;
    if (this.#taking && stream?.isPaused() && !this.#full()) stream.resume();
  }

  #owns(taken: Taken): boolean {
    return taken.session === this.#session && taken.session.partitions.get(taken.partition) === taken.offsets;
  }

  async #deliver(taken: Taken): Promise<void> {
    try {
      if (!this.#taking || !this.#owns(taken)) return;
      const forwarded: ForwardedRecord = {
        key: taken.record.key || taken.headers['ce_subject'] || '',
        value: taken.record.value ?? '',
        headers: taken.headers,
      };
      const message = messageFromHeaders(taken.headers, forwarded.value, 'ce_');
      const { sink } = this.#options;
      let settled = true;
      if ('error' in message) {
        settled = await this.#forward(taken, () => sink.dead(forwarded, `unreadable: ${message.error}`));
      } else {
        const disposition = await settleDelivery(this.#options.handler, {
          message,
          deliveryCount: taken.deliveryCount,
        });
        if (disposition.kind === 'retry') {
          const { delayMs } = disposition;
          settled = await this.#forward(taken, () => sink.retry(forwarded, delayMs, taken.deliveryCount + 1));
        } else if (disposition.kind === 'dead') {
          const { reason } = disposition;
          settled = await this.#forward(taken, () => sink.dead(forwarded, reason));
        }
      }
      if (settled) this.#settle(taken);
    } finally {
      this.#held--;
      this.#afterDelivery();
    }
  }

  /**
   * Produces the record elsewhere, trying again while the broker refuses: the original may only be
   * settled once its copy is acknowledged, and giving up would leave its partition's commits stuck.
   * Returns false when it gave up because the consumer stopped or lost the partition.
   */
  async #forward(taken: Taken, produce: () => Promise<void>): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (!this.#owns(taken)) return false;
      try {
        await produce();
        return true;
      } catch {
        if (this.#stopped.signal.aborted) return false;
        await sleep(FORWARD_RETRY_MS[Math.min(attempt, FORWARD_RETRY_MS.length - 1)]!, this.#stopped.signal);
      }
    }
  }

  #settle(taken: Taken): void {
    if (!this.#owns(taken)) return;
    const last = taken.offsets.settle(taken.record.offset);
    if (!last) return;
    // The client coalesces commits per partition and keeps the highest offset, so they may overlap.
    const commit = Promise.resolve(last.commit()).catch(() => undefined);
    this.#commits.add(commit);
    void commit.finally(() => this.#commits.delete(commit));
  }
}

/** The group generation the client fetched a record in (unknown: taken as current). */
function generationOf(record: Record): number {
  const consumer = record.metadata?.['consumer'] as { generationId?: number } | undefined;
  return consumer?.generationId ?? Number.POSITIVE_INFINITY;
}

async function closeConsumer(consumer: Consumer<string, string, string, string>, timeoutMs: number) {
  // force: close the streams first, then leave the group, so the partitions move on at once.
  await withTimeout(consumer.close(true), timeoutMs, 'closing consumer').catch(async () => {
    await withTimeout(consumer.close(true), timeoutMs, 'closing consumer').catch(() => undefined);
  });
}

async function idleWithin(runner: KeyedRunner, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([runner.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
