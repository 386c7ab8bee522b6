# @poshub/connector-{{name}}

A poshub {{role}} connector for {{System}}: it delivers canonical sales and returns to {{System}}'s API.
Scaffolded by `pnpm poshub new connector {{name}}`; the steps from here to a shipped connector are in
[docs/connector-guide.md](../../docs/connector-guide.md).

> TODO: one paragraph on what {{System}} does with these records, and a link to its API documentation.

## Config

| field | | |
|---|---|---|
| `baseUrl` | required | {{System}}'s API, `https://…` (`http://` to `127.0.0.1` / `localhost` only) |
| `apiKey` | required, secret | {{System}}'s API key, 16 characters or more; never logged |
| `timeoutMs` | default 10000 | time limit of one request (100-60000); an attempt gets 1 s more |

Run it from the hub's connectors module (`pnpm poshub serve --connectors ./connectors.ts`):

```ts
import { {{systemCamel}}Connector } from '@poshub/connector-{{name}}';

export const connectors = (env: NodeJS.ProcessEnv) => [
  { connector: {{systemCamel}}Connector, config: { baseUrl: env.{{SYSTEM}}_URL, apiKey: env.{{SYSTEM}}_API_KEY } },
];
```

## What is sent

`POST <baseUrl>/v1/sales` per sale or return, with `Authorization: Bearer <apiKey>` and `Idempotency-Key`
(the same on every retry and replay of an event). The body is `{{System}}Sale` (src/mapper.ts).

> TODO: the field-by-field mapping, once it is {{System}}'s real document.

## How answers are taken

| {{System}} answers | poshub |
|---|---|
| 2xx | delivered |
| 422 `{ code, message }` | permanent `{{systemSnake}}_<code>`: dead-lettered for an operator to fix and replay |
| 408, 425, 429, 5xx | retried with backoff, waiting at least its `Retry-After` |
| other 4xx, 3xx | permanent |
| no answer within `timeoutMs`, connection refused or reset | retried |

## Tests

```sh
pnpm exec vitest run connectors/{{name}}
```

- `mapper.test.ts`: the mapping of the SDK's canonical fixtures.
- `connector.test.ts`: the SDK's conformance kit.
- `{{provider}}.pact.test.ts`: the Pact consumer test; writes `contracts/pacts/poshub-connector-{{name}}-{{provider}}.json`,
  which must be verified against {{System}}'s API before the connector ships (`pnpm contracts` says so until it is).
