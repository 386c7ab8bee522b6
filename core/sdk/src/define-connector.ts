import { EVENT_TYPES } from '@poshub/model';
import semver from 'semver';
import { z } from 'zod';
import {
  CONNECTOR_DEFINITION,
  CONNECTOR_ROLES,
  type ConnectorDefinition,
  type ConnectorSpec,
} from './connector-definition.ts';
import { CONNECTOR_ID } from './connector-id.ts';
import { pointer, type StartProblem } from './start-problem.ts';

/** A connector definition that cannot work: a programmer error, thrown when the module loads. */
export class ConnectorDefinitionError extends Error {
  override name = 'ConnectorDefinitionError';
  /** The connector's id as given (quoted), or "(no id)". */
  readonly connector: string;
  readonly problems: StartProblem[];
  constructor(connector: string, problems: StartProblem[]) {
    super(
      `invalid connector definition ${connector}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    );
    this.connector = connector;
    this.problems = problems;
  }
}

const names = z.array(z.string().min(1)).min(1);
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');

const Spec = z.strictObject({
  id: z
    .string()
    .regex(CONNECTOR_ID, 'must be 1-48 lowercase letters, digits and hyphens (a kebab-case name)'),
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version, e.g. 1.2.0'),
  coreCompat: z
    .string()
    .refine((v) => v.trim() !== '' && semver.validRange(v) !== null, 'must be a semver range, e.g. ^0.1.0'),
  role: z.enum(CONNECTOR_ROLES, `must be one of ${CONNECTOR_ROLES.join(', ')}`),
  capabilities: z.strictObject({
    orderedPerStore: z.boolean().optional(),
    idempotentWrites: z.boolean().optional(),
    batchSize: z.number().int().positive().optional(),
  }),
  config: z.custom<z.ZodType>(
    (v) => typeof v === 'object' && v !== null && '_zod' in v,
    'must be a zod schema (e.g. z.object({...}))',
  ),
  subscribes: z.strictObject({
    types: z
      .array(
        z.enum(
          EVENT_TYPES as [string, ...string[]],
          'must be a canonical event type, e.g. sale.completed.v1',
        ),
      )
      .min(1, 'must name at least one event type')
      .refine((t) => new Set(t).size === t.length, 'must not repeat an event type'),
    filter: z
      .strictObject({ stores: names.optional(), regions: names.optional(), channels: names.optional() })
      .optional(),
  }),
  oauth2: fn.optional(),
  delivery: z.union([fn, z.object({})]).optional(),
  handle: fn,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) {
      if (Array.isArray(v) || (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)) {
        deepFreeze(v);
      }
    }
  }
  return value;
}

/**
 * Declares a connector. The definition is checked here (id, versions, role, capabilities, config schema,
 * subscriptions, handler) and a mistake throws a `ConnectorDefinitionError` naming each field, so a broken
 * connector fails when its module loads; config values are checked later, by `startConnector`.
 *
 * @example
 * export const erpConnector = defineConnector({
 *   id: 'erp-acme', version: '1.0.0', coreCompat: '^0.1.0', role: 'erp',
 *   capabilities: { orderedPerStore: true, idempotentWrites: true },
 *   config: z.object({ baseUrl: httpsUrl(), apiKey: secret(z.string()) }),
 *   subscribes: { types: ['sale.completed.v1'] },
 *   async handle(event, ctx) { ... },
 * });
 */
export function defineConnector<Schema extends z.ZodType>(
  spec: ConnectorSpec<Schema>,
): ConnectorDefinition<Schema> {
  const parsed = Spec.safeParse(spec);
  if (!parsed.success) {
    const id = typeof spec?.id === 'string' ? JSON.stringify(spec.id) : '(no id)';
    throw new ConnectorDefinitionError(
      id,
      parsed.error.issues.map((i) => ({ path: pointer('', i.path) || '/', message: i.message })),
    );
  }
  const definition = {
    ...spec,
    capabilities: { ...spec.capabilities },
    subscribes: {
      types: [...spec.subscribes.types],
      ...(spec.subscribes.filter ? { filter: structuredClone(spec.subscribes.filter) } : {}),
    },
    ...(spec.delivery && typeof spec.delivery === 'object'
      ? { delivery: structuredClone(spec.delivery) }
      : {}),
    [CONNECTOR_DEFINITION]: true as const,
  };
  return deepFreeze(definition) as ConnectorDefinition<Schema>;
}
