import { z } from 'zod';
import { EVENT_TYPES, eventSchema } from './events.ts';

const BASE = 'https://poshub.dev/schemas/';

/** The JSON Schema documents of every canonical event type, as [file name, text] pairs. */
export function renderJsonSchemas(): Array<[string, string]> {
  return EVENT_TYPES.map((type) => {
    const schema = z.toJSONSchema(eventSchema(type), {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    });
    const doc = { ...schema, $id: `${BASE}${type}.schema.json`, title: type };
    return [`${type}.schema.json`, `${JSON.stringify(doc, null, 2)}\n`];
  });
}
