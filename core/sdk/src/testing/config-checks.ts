import { expect, it } from 'vitest';
import { secretValues } from '../redact-config.ts';
import { startConnector } from '../start-connector.ts';
import type { ConformanceHarness } from './conformance-harness.ts';

/** It starts with the valid config, refuses each invalid one at the expected path, and never logs a secret. */
export function registerConfigChecks(h: ConformanceHarness): void {
  const { connector, invalidConfigs } = h.options;
  it('starts with the valid config', () => {
    expect(h.start().id).toBe(connector.id);
  });
  if (invalidConfigs.length === 0) {
    h.check('config', 'refuses invalid configs', undefined, async () => {
      throw new Error('give invalidConfigs, or skip.config with the reason the schema accepts everything');
    });
  }
  for (const bad of invalidConfigs) {
    h.check('config', `refuses config "${bad.name}" with a problem at ${bad.path}`, undefined, async () => {
      const started = startConnector(connector, bad.config, { log: { sink: () => {} } });
      expect(started.ok, `${bad.name} was accepted`).toBe(false);
      if (started.ok) return;
      const problem = started.problems.find((p) => p.path === bad.path);
      expect(problem, `problems: ${JSON.stringify(started.problems)}`).toBeDefined();
      if (bad.message) expect(problem!.message).toMatch(bad.message);
      for (const p of started.problems) expect(p.path).toMatch(/^\//);
      const text = JSON.stringify(started.problems);
      for (const s of secretValues(connector.config, bad.config)) expect(text).not.toContain(s);
    });
  }
}

/** Registered last: no log line of all the checks before carries a secret of the valid config. */
export function registerLogCheck(h: ConformanceHarness): void {
  it('never logs a secret of its config', () => {
    const secrets = secretValues(h.options.connector.config, h.options.validConfig({ url: h.target.url }));
    const text = JSON.stringify(h.logs);
    for (const s of secrets) expect(text).not.toContain(s);
  });
}
