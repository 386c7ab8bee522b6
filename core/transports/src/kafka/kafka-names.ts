import { eventFamily } from '../transport.ts';

/** Header names the Kafka transport adds next to the CloudEvents `ce_` headers. */
export const KAFKA_HEADERS = {
  /** Epoch milliseconds before which a retry-topic record must not be handed to the handler. */
  notBefore: 'poshub-not-before',
  /** How many times the record has been handed to the lane, counting the coming delivery. */
  deliveryCount: 'poshub-delivery-count',
  /** Why the handler gave up on a dead-lettered record. */
  deadReason: 'poshub-dead-reason',
} as const;

/** What Kafka accepts in a topic or group name; a namespace may also hold dots. */
const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/;
const FAMILY = /^[A-Za-z0-9_-]{1,80}$/;

/** Topic and consumer-group names of one namespace (`poshub` in production, a random one per test run). */
export interface KafkaNames {
  namespace: string;
  /** The topic of an event type's family, shared by every lane: `poshub.sale`. */
  familyTopic(type: string): string;
  /** A lane's own topic for retries and `publishTo`: `poshub.erp-netsuite.retry`. */
  retryTopic(lane: string): string;
  /** A lane's dead-letter topic: `poshub.erp-netsuite.dlq`. */
  deadLetterTopic(lane: string): string;
  /** The consumer group of a lane: `poshub.erp-netsuite`. */
  laneGroup(lane: string): string;
  /** The group `takeDeadLetters` reads the dead-letter topic with. */
  deadLetterGroup(lane: string): string;
}

/** The names of a namespace; throws for a namespace Kafka could not name a topic after. */
export function kafkaNames(namespace: string): KafkaNames {
  if (!NAMESPACE.test(namespace)) {
    throw new RangeError(
      `invalid Kafka namespace ${JSON.stringify(namespace)}: letters, digits, '.', '_', '-'`,
    );
  }
  return {
    namespace,
    familyTopic(type) {
      const family = eventFamily(type);
      if (!FAMILY.test(family)) {
        throw new RangeError(`event type ${JSON.stringify(type)} has no family Kafka can name a topic after`);
      }
      return `${namespace}.${family}`;
    },
    retryTopic: (lane) => `${namespace}.${lane}.retry`,
    deadLetterTopic: (lane) => `${namespace}.${lane}.dlq`,
    laneGroup: (lane) => `${namespace}.${lane}`,
    deadLetterGroup: (lane) => `${namespace}.${lane}.dlq-reader`,
  };
}
