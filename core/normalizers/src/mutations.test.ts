import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanonicalEvent } from '@poshub/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-document.ts';
import type { FormatName } from './normalizer.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

// Lightspeed documents name no currency and no zone: the store's settings for each fixture are in fixture-store-settings.json.
const FIXTURE_OPTIONS: Record<string, { currency?: string; timeZone?: string }> = JSON.parse(
  readFileSync(join(FIXTURES, '..', 'fixture-store-settings.json'), 'utf8'),
);

/** Every bundled document with the format its folder names. */
function fixtures(): Array<[string, FormatName, string]> {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(FIXTURES, dir.name))
        .filter((f) => /\.(json|xml|ndjson)$/.test(f))
        .map((f): [string, FormatName, string] => [
          `${dir.name}/${f}`,
          dir.name as FormatName,
          readFileSync(join(FIXTURES, dir.name, f), 'utf8'),
        ]),
    );
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '12,34',
    '-0',
    '1e999',
    'NaN',
    '2019-02-30T25:61:00Z',
    'XXX',
    '00000000067591',
    '4111111111111111',
  ),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
);

/** All paths to values in a JSON document. */
function paths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

function mutateJson(doc: Json, path: Array<string | number>, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

/** Every result is either a valid canonical event or a list of well-formed problems. */
function expectWellFormed(result: Awaited<ReturnType<typeof normalizeText>>): void {
  for (const event of result.events) expect(CanonicalEvent.safeParse(event).success).toBe(true);
  for (const p of [...result.problems, ...result.warnings]) {
    expect(typeof p.code).toBe('string');
    expect(typeof p.pointer).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
  }
  expect(result.events.length + result.problems.length + result.skipped).toBeGreaterThan(0);
}

// Fixtures that show a document poshub must refuse, with the problem it gives.
const REFUSED: Record<string, string> = {
  'lightspeed-r/saleline-list-sale-2.json': 'lightspeed-r.sale_lines_only',
};

describe('bundled fixtures', () => {
  it.each(fixtures())('%s is detected as its own format and accepted', async (name, format, text) => {
    const result = await normalizeText(text, FIXTURE_OPTIONS[name]);
    expect(result.format).toBe(format);
    expect(result.problems.filter((p) => !(name in REFUSED && REFUSED[name] === p.code))).toEqual([]);
  });
});

describe('random mutations never crash a normaliser', () => {
  const jsonDocs = fixtures().filter(([name]) => name.endsWith('.json'));
  it.each(jsonDocs)(
    '%s: a value replaced or removed gives events or problems',
    async (name, format, text) => {
      const doc = JSON.parse(text) as Json;
      const all = paths(doc);
      await fc.assert(
        fc.asyncProperty(
          fc.nat(all.length - 1),
          fc.option(junk, { nil: undefined }),
          fc.boolean(),
          async (i, value, named) => {
            const mutated = JSON.stringify(mutateJson(doc, all[i]!, value));
            expectWellFormed(
              await normalizeText(mutated, { ...(named ? { format } : {}), ...FIXTURE_OPTIONS[name] }),
            );
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  const xmlDocs = fixtures().filter(([name]) => name.endsWith('.xml'));
  it.each(xmlDocs)(
    '%s: text changed, cut or spliced gives events or problems',
    async (name, format, text) => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(text.length - 1),
          fc.nat(40),
          fc.constantFrom(
            '',
            '12,34',
            '-',
            '<',
            '&',
            '</Transaction>',
            '<LineItem>',
            'x',
            '4111111111111111',
          ),
          async (at, cut, insert) => {
            const mutated = text.slice(0, at) + insert + text.slice(at + cut);
            expectWellFormed(await normalizeText(mutated, { format, ...FIXTURE_OPTIONS[name] }));
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
