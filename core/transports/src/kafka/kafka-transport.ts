import {
  Admin,
  type ConsumerOptions,
  compatibilityPartitioner,
  findErrorBy,
  type MessageToProduce,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { cloudEventHeaders, type DispatchMessage } from '../dispatch-message.ts';
import {
  assertLaneId,
  type ConsumeOptions,
  type DeadLetter,
  type DeliveryHandler,
  type LaneConsumer,
  type LaneSpec,
  lanesFor,
  type Topology,
  type Transport,
} from '../transport.ts';
import { withTimeout } from '../with-timeout.ts';
import { type DispositionSink, type ForwardedRecord, KafkaLaneConsumer } from './kafka-lane-consumer.ts';
import { KAFKA_HEADERS, type KafkaNames, kafkaNames } from './kafka-names.ts';
import { takeDeadLetters } from './take-dead-letters.ts';

/** Options of {@link KafkaTransport}. */
export interface KafkaTransportOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: readonly string[];
  /** Prefix of every topic and group name. Default `poshub`; tests use a random one per run. */
  namespace?: string;
  /** Client id the broker sees (quotas, logs). Default `poshub`. */
  clientId?: string;
  /** Partitions of the topics setup() creates. Default 6. */
  partitions?: number;
  /** Replication factor of the topics setup() creates. Default 1 (one local broker); 3 in production. */
  replicationFactor?: number;
  /**
   * `min.insync.replicas` of the topics setup() creates, so acks=all means this many copies (2 with a
   * replication factor of 3 in production). Default: the broker's setting.
   */
  minInSyncReplicas?: number;
  /** A member that sends no heartbeat for this long is dropped from its group. Default 10 s. */
  sessionTimeoutMs?: number;
  /** How often a member heartbeats. Default 1 s. */
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin. Default the session timeout. */
  rebalanceTimeoutMs?: number;
  /** How long a fetch waits at the broker for new records; also bounds how long a stop waits for one. */
  fetchMaxWaitMs?: number;
  /** Timeout of each request to the broker. Default 10 s. */
  requestTimeoutMs?: number;
  /** Bound on a whole operation (setup, publish, joining or leaving a group). Default 30 s. */
  operationTimeoutMs?: number;
  /** Retry records a lane consumer holds until their time at most; it stops reading past that. Default 1,000. */
  maxDelayedRetries?: number;
  /** Records per produce call; a larger publish is sent in calls one after the other. Default 1,000. */
  maxRecordsPerSend?: number;
}

/**
 * Retries of the client's requests. Its default waits a flat second, and a partition just created is
 * often not ready for the first request (its leader is still being announced), which made every setup
 * and first publish take a second longer. Doubling from 50 ms reaches the same patience in 6 tries.
 */
const CLIENT_RETRIES = {
  retries: 6,
  retryDelay: (_client: unknown, _operation: string, attempt: number) => Math.min(1000, 50 * 2 ** attempt),
};

/** Thrown by the operations of a closed transport. */
export class TransportClosedError extends Error {
  constructor() {
    super('the Kafka transport is closed');
    this.name = 'TransportClosedError';
  }
}

/**
 * Dispatch over Apache Kafka.
 *
 * Native to Kafka: one topic per event family (`<ns>.sale`), shared by every lane, keyed by store so a
 * store's events stay in one partition in publish order; one consumer group per lane (`<ns>.<lane>`), so
 * each lane has its own position and lanes never hold each other up; an idempotent producer with
 * acks=all, so `publish` resolves only once every record is acknowledged by the in-sync replicas and
 * broker-side retries cannot duplicate or reorder a batch.
 *
 * Built on top, because Kafka has no per-message acknowledgement nor delay:
 * - A lane reads its families' topics and skips the records of types it does not subscribe to.
 * - Offsets are committed per partition up to the first unsettled delivery only (deliveries of different
 *   stores settle out of order); after a crash or stop the group's next member gets back everything from
 *   there, settled or not, so a few deliveries may come twice (the ledger absorbs them).
 * - A lane created by setup() starts at the end of its families' topics: setup() commits the current end
 *   offsets for a group that has none, so a new connector does not receive the whole history. A group
 *   with live members cannot be seeded that way; a member then starts at the latest offset it sees.
 * - Retry: the record is produced to the lane's own `<ns>.<lane>.retry` topic with a not-before time
 *   (`poshub-not-before`) and a delivery count, then the original is settled. The lane's consumer holds
 *   retry records until their time, in order per retry partition: a record waits behind an earlier one of
 *   its partition even if it is due sooner (head-of-line within the retry topic, at most the longest
 *   delay). Later events of the retried store are not held back: on Kafka a retried event is delivered
 *   after the ones published behind it, and ordering for connectors that need it is the ledger's job.
 * - `publishTo` produces into the lane's retry topic, due at once, so only that lane sees it.
 * - Dead letters go to `<ns>.<lane>.dlq` with `poshub-dead-reason`; `takeDeadLetters` reads them with the
 *   group `<ns>.<lane>.dlq-reader` and commits what it returns.
 * - Backpressure: a lane consumer pauses its stream while `maxInFlight` deliveries are held.
 *
 * Messages of a type no lane of this transport's topology subscribes to are not published (no lane could
 * read them, and their family topic need not exist). A lane consumer reads the topics of the types its lane
 * had when it started; a consumer started before a lane gained a family picks it up when restarted.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly #names: KafkaNames;
  readonly #brokers: string[];
  readonly #clientId: string;
  readonly #partitions: number;
  readonly #replicationFactor: number;
  readonly #minInSyncReplicas: number | undefined;
  readonly #groupOptions: {
    sessionTimeout: number;
    heartbeatInterval: number;
    rebalanceTimeout: number;
    maxWaitTime: number;
    timeout: number;
  };
  readonly #timeoutMs: number;
  readonly #maxDelayed: number;
  readonly #maxPerSend: number;
  readonly #admin: Admin;
  readonly #producer: Producer<string, string, string, string>;
  readonly #consumers = new Set<KafkaLaneConsumer>();
  readonly #readers = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  /** Partition counts of the topics known to exist. */
  readonly #topics = new Map<string, number>();
  #topology: Topology = { lanes: [] };
  #closed = false;

  constructor(options: KafkaTransportOptions) {
    if (options.brokers.length === 0) throw new RangeError('KafkaTransport needs at least one broker');
    this.#names = kafkaNames(options.namespace ?? 'poshub');
    this.#brokers = [...options.brokers];
    this.#clientId = options.clientId ?? 'poshub';
    this.#partitions = options.partitions ?? 6;
    this.#replicationFactor = options.replicationFactor ?? 1;
    this.#minInSyncReplicas = options.minInSyncReplicas;
    const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
    this.#groupOptions = {
      sessionTimeout,
      heartbeatInterval: options.heartbeatIntervalMs ?? 1000,
      rebalanceTimeout: options.rebalanceTimeoutMs ?? sessionTimeout,
      maxWaitTime: options.fetchMaxWaitMs ?? 500,
      timeout: options.requestTimeoutMs ?? 10_000,
    };
    this.#timeoutMs = options.operationTimeoutMs ?? 30_000;
    this.#maxDelayed = options.maxDelayedRetries ?? 1000;
    this.#maxPerSend = options.maxRecordsPerSend ?? 1000;
    const base = {
      clientId: this.#clientId,
      bootstrapBrokers: this.#brokers,
      timeout: this.#groupOptions.timeout,
      ...CLIENT_RETRIES,
    };
    this.#admin = new Admin(base);
    this.#producer = new Producer<string, string, string, string>({
      ...base,
      idempotent: true,
      acks: ProduceAcks.ALL,
      serializers: stringSerializers,
      // Java's partitioner, so a store maps to the same partition whichever client produces it.
      partitioner: compatibilityPartitioner,
    });
  }

  async setup(topology: Topology): Promise<void> {
    for (const lane of topology.lanes) assertLaneId(lane.id);
    for (const lane of topology.lanes) for (const type of lane.types) this.#names.familyTopic(type);
    this.#assertOpen();
    await withTimeout(this.#setup(topology), this.#timeoutMs, 'Kafka setup');
  }

  async #setup(topology: Topology): Promise<void> {
    const topics = topology.lanes.flatMap((lane) => [
      ...this.#familyTopics(lane),
      this.#names.retryTopic(lane.id),
      this.#names.deadLetterTopic(lane.id),
    ]);
    await this.#ensureTopics(topics);
    for (const lane of topology.lanes) await this.#seedGroup(lane);
    const known = new Map(this.#topology.lanes.map((l) => [l.id, l]));
    for (const lane of topology.lanes) known.set(lane.id, lane);
    this.#topology = { lanes: [...known.values()] };
  }

  async publish(messages: readonly DispatchMessage[]): Promise<void> {
    this.#assertOpen();
    const records = messages
      .filter((message) => lanesFor(this.#topology, message.type).length > 0)
      .map((message) => ({
        topic: this.#names.familyTopic(message.type),
        key: message.subject,
        value: message.data,
        headers: cloudEventHeaders(message, 'ce_'),
      }));
    await this.#send(records, 'publish');
  }

  async publishTo(lane: string, messages: readonly DispatchMessage[]): Promise<void> {
    assertLaneId(lane);
    this.#assertOpen();
    if (messages.length === 0) return;
    const topic = this.#names.retryTopic(lane);
    await withTimeout(this.#ensureTopics([topic]), this.#timeoutMs, 'Kafka topic check');
    const notBefore = String(Date.now());
    await this.#send(
      messages.map((message) => ({
        topic,
        key: message.subject,
        value: message.data,
        headers: { ...cloudEventHeaders(message, 'ce_'), [KAFKA_HEADERS.notBefore]: notBefore },
      })),
      'publishTo',
    );
  }

  async consume(lane: string, handler: DeliveryHandler, options: ConsumeOptions = {}): Promise<LaneConsumer> {
    assertLaneId(lane);
    this.#assertOpen();
    const spec = this.#topology.lanes.find((l) => l.id === lane);
    if (!spec) throw new Error(`lane ${lane} was not set up on this transport`);
    const consumer = new KafkaLaneConsumer({
      client: this.#consumerOptions(this.#names.laneGroup(lane)),
      familyTopics: this.#familyTopics(spec),
      retryTopic: this.#names.retryTopic(lane),
      types: new Set(spec.types),
      handler,
      maxInFlight: options.maxInFlight ?? 16,
      perStoreOrder: options.perStoreOrder ?? true,
      maxDelayed: this.#maxDelayed,
      sink: this.#sink(lane),
      timeoutMs: this.#timeoutMs,
    });
    await consumer.start();
    this.#consumers.add(consumer);
    return {
      stop: async (graceMs) => {
        await consumer.stop(graceMs);
        this.#consumers.delete(consumer);
      },
    };
  }

  async takeDeadLetters(
    lane: string,
    options: { max?: number; waitMs?: number } = {},
  ): Promise<DeadLetter[]> {
    assertLaneId(lane);
    this.#assertOpen();
    const topic = this.#names.deadLetterTopic(lane);
    await withTimeout(this.#ensureTopics([topic]), this.#timeoutMs, 'Kafka topic check');
    const waitMs = options.waitMs ?? 0;
    const reading = takeDeadLetters({
      client: {
        ...this.#consumerOptions(this.#names.deadLetterGroup(lane)),
        // A short wait asks for a short look: the broker holds an empty fetch no longer than this.
        maxWaitTime: Math.min(this.#groupOptions.maxWaitTime, Math.max(10, waitMs)),
      },
      topic,
      max: options.max ?? 100,
      waitMs,
      timeoutMs: this.#timeoutMs,
      signal: this.#closing.signal,
    });
    this.#readers.add(reading);
    try {
      return await reading;
    } finally {
      this.#readers.delete(reading);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    await Promise.allSettled([...this.#consumers].map((c) => c.stop(0)));
    this.#consumers.clear();
    await Promise.allSettled([...this.#readers]);
    await Promise.allSettled([
      withTimeout(this.#producer.close(true), this.#timeoutMs, 'closing producer'),
      withTimeout(this.#admin.close(), this.#timeoutMs, 'closing admin client'),
    ]);
  }

  #assertOpen(): void {
    if (this.#closed) throw new TransportClosedError();
  }

  #familyTopics(lane: LaneSpec): string[] {
    return [...new Set(lane.types.map((type) => this.#names.familyTopic(type)))];
  }

  #consumerOptions(groupId: string): ConsumerOptions<string, string, string, string> {
    return {
      clientId: this.#clientId,
      bootstrapBrokers: this.#brokers,
      groupId,
      deserializers: stringDeserializers,
      ...this.#groupOptions,
      ...CLIENT_RETRIES,
    };
  }

  #sink(lane: string): DispositionSink {
    const strip = (headers: ForwardedRecord['headers']) => {
      const { [KAFKA_HEADERS.notBefore]: _n, [KAFKA_HEADERS.deliveryCount]: _c, ...rest } = headers;
      return rest;
    };
    return {
      retry: (record, delayMs, nextDeliveryCount) =>
        this.#send(
          [
            {
              topic: this.#names.retryTopic(lane),
              key: record.key,
              value: record.value,
              headers: {
                ...strip(record.headers),
                [KAFKA_HEADERS.notBefore]: String(Date.now() + delayMs),
                [KAFKA_HEADERS.deliveryCount]: String(nextDeliveryCount),
              },
            },
          ],
          'retry',
        ),
      dead: (record, reason) =>
        this.#send(
          [
            {
              topic: this.#names.deadLetterTopic(lane),
              key: record.key,
              value: record.value,
              headers: { ...strip(record.headers), [KAFKA_HEADERS.deadReason]: reason },
            },
          ],
          'dead-letter',
        ),
    };
  }

  /**
   * Produces the records in order, one produce call after another, and resolves once the broker
   * acknowledged all of them. A call that fails rejects the whole send; what was acknowledged before
   * stays, and sending again delivers it twice, which consumers tolerate.
   */
  async #send(records: Array<MessageToProduce<string, string, string, string>>, what: string): Promise<void> {
    if (records.length === 0) return;
    this.#assertOpen();
    const sendAll = async () => {
      for (let i = 0; i < records.length; i += this.#maxPerSend) {
        await this.#producer.send({ messages: records.slice(i, i + this.#maxPerSend) });
      }
    };
    await withTimeout(sendAll(), this.#timeoutMs, `Kafka ${what}`);
  }

  /** Creates the topics that do not exist yet and learns their partition counts. */
  async #ensureTopics(topics: readonly string[]): Promise<void> {
    const unknown = [...new Set(topics)].filter((topic) => !this.#topics.has(topic));
    if (unknown.length === 0) return;
    const existing = new Set(await this.#admin.listTopics());
    const missing = unknown.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      try {
        await this.#admin.createTopics({
          topics: missing,
          partitions: this.#partitions,
          replicas: this.#replicationFactor,
          configs:
            this.#minInSyncReplicas === undefined
              ? []
              : [{ name: 'min.insync.replicas', value: String(this.#minInSyncReplicas) }],
        });
      } catch (error) {
        // Another process created it in the meantime: fine, the metadata below confirms it.
        if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
      }
    }
    const metadata = await this.#admin.metadata({ topics: unknown, forceUpdate: true });
    for (const topic of unknown) {
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (!count) throw new Error(`Kafka topic ${topic} has no partitions after setup`);
      this.#topics.set(topic, count);
    }
  }

  /**
   * Gives a lane's group a starting offset on every partition it has none for: the end of the family
   * topics (a new lane gets what is published from now on), the start of its own retry topic (everything
   * there was meant for it, e.g. a publishTo before its first consumer).
   */
  async #seedGroup(lane: LaneSpec): Promise<void> {
    const groupId = this.#names.laneGroup(lane.id);
    const retryTopic = this.#names.retryTopic(lane.id);
    const topics = [...this.#familyTopics(lane), retryTopic];
    const partitionsOf = (topic: string) => Array.from({ length: this.#topics.get(topic)! }, (_, i) => i);
    const [committed] = await this.#admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: topics.map((name) => ({ name, partitionIndexes: partitionsOf(name) })) }],
    });
    const missing = new Map<string, number[]>();
    for (const topic of topics) {
      const known = new Set(
        committed?.topics
          .find((t) => t.name === topic)
          ?.partitions.filter((p) => p.committedOffset >= 0n)
          .map((p) => p.partitionIndex),
      );
      const without = partitionsOf(topic).filter((p) => !known.has(p));
      if (without.length > 0) missing.set(topic, without);
    }
    if (missing.size === 0) return;
    const offsets = await this.#admin.listOffsets({
      topics: [...missing].map(([name, partitions]) => ({
        name,
        // -2 asks for the earliest offset, -1 for the end.
        partitions: partitions.map((p) => ({
          partitionIndex: p,
          timestamp: name === retryTopic ? -2n : -1n,
        })),
      })),
    });
    try {
      await this.#admin.alterConsumerGroupOffsets({
        groupId,
        topics: offsets.map((t) => ({
          name: t.name,
          partitionOffsets: t.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset })),
        })),
      });
    } catch (error) {
      // The group has live members: they start at the latest offset (see the class notes).
      if (!findErrorBy(error as Error, 'apiId', 'UNKNOWN_MEMBER_ID')) throw error;
    }
  }
}
