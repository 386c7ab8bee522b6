import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanonicalEvent, type LogRecord, redactConfig, startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookConfig } from './webhook-config.ts';
import { webhookConnector } from './webhook-connector.ts';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const OLD = newSecret();
const NEW = newSecret();

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** Which receiver secrets verified the request (by standardwebhooks' own verify). */
  verifiedBy: string[];
}

/** A receiver as a customer would write one: verifies with the standardwebhooks library, answers per script. */
async function startReceiver(secrets: Record<string, string>) {
  const received: Received[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(204).end();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verifiedBy = Object.entries(secrets)
        .filter(([, secret]) => {
          try {
            new Webhook(secret).verify(body, req.headers as Record<string, string>);
            return true;
          } catch {
            return false;
          }
        })
        .map(([name]) => name);
      received.push({ headers: req.headers, body, verifiedBy });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/poshub`,
    received,
    answer(next: (res: ServerResponse) => void) {
      answer = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook connector (Standard Webhooks, real loopback receiver)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const logs: LogRecord[] = [];
  const [sale] = canonicalFixtures() as [CanonicalEvent];
  const attempt = {
    idempotencyKey: '3f1c2a9e-0d4b-8e21-9a7f-5c6d7e8f9a0b',
    attempt: 1,
    signal: new AbortController().signal,
  };

  const start = (config: Record<string, unknown>) => {
    const started = startConnector(
      webhookConnector,
      { url: receiver.url, ...config },
      { log: { sink: (r) => logs.push(r) } },
    );
    if (!started.ok) throw new Error(JSON.stringify(started.problems));
    return started.target;
  };

  beforeAll(async () => {
    receiver = await startReceiver({ old: OLD, new: NEW });
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer((res) => res.writeHead(204).end());
  });
  afterAll(() => receiver.close());

  it('posts the CloudEvent as JSON, signed so that the receiver verifies it with standardwebhooks', async () => {
    const target = start({ secrets: [NEW], headers: { 'x-receiver-key': 'receiver-key-0123456789' } });
    expect(await target.handle(sale, attempt)).toEqual({ ok: true });
    const [got] = receiver.received;
    expect(got!.verifiedBy).toEqual(['new']);
    expect(JSON.parse(got!.body)).toEqual(sale);
    expect(got!.headers['webhook-id']).toBe(attempt.idempotencyKey);
    expect(Number(got!.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    expect(got!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(got!.headers['x-receiver-key']).toBe('receiver-key-0123456789');
  });

  it('signs with every configured secret during a rotation, so either key verifies', async () => {
    const target = start({ secrets: [NEW, OLD] });
    await target.handle(sale, attempt);
    const [got] = receiver.received;
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(got!.verifiedBy.sort()).toEqual(['new', 'old']);
    for (const only of [OLD, NEW]) {
      expect(() => new Webhook(only).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow();
    }
    expect(() => new Webhook(newSecret()).verify(got!.body, got!.headers as Record<string, string>)).toThrow(
      /No matching signature/,
    );
  });

  it('keeps the webhook-id across attempts, so the receiver can drop a duplicate', async () => {
    const target = start({ secrets: [NEW] });
    await target.handle(sale, attempt);
    await target.handle(sale, { ...attempt, attempt: 2 });
    const [a, b] = receiver.received;
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    expect(b!.verifiedBy).toEqual(['new']);
  });

  it('takes 410 Gone as the receiver asking to stop: abort, not a retry', async () => {
    receiver.answer((res) => res.writeHead(410).end());
    expect(await start({ secrets: [NEW] }).handle(sale, attempt)).toEqual({
      ok: false,
      error: { retryable: false, abort: true, type: 'http_410', message: expect.stringMatching(/410 Gone/) },
    });
  });

  it('honours Retry-After on 429 and 503', async () => {
    receiver.answer((res) => res.writeHead(429, { 'retry-after': '30' }).end());
    expect(await start({ secrets: [NEW] }).handle(sale, attempt)).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'http_429', retryAfterMs: 30_000 },
    });
    const at = new Date(Date.now() + 120_000).toUTCString();
    receiver.answer((res) => res.writeHead(503, { 'retry-after': at }).end());
    const result = await start({ secrets: [NEW] }).handle(sale, attempt);
    expect(result.ok === false && result.error.retryAfterMs).toBeGreaterThan(100_000);
  });

  it('refuses bad configs at their paths and never shows a secret', () => {
    const problems = (config: Record<string, unknown>) => {
      const started = startConnector(webhookConnector, config);
      return started.ok ? [] : started.problems;
    };
    expect(problems({ url: 'http://hooks.example.test/x', secrets: [NEW] })).toEqual([
      { path: '/config/url', message: 'must use https (http only for 127.0.0.1 or localhost)' },
    ]);
    expect(problems({ url: 'https://hooks.example.test/x', secrets: [] })[0]).toMatchObject({
      path: '/config/secrets',
    });
    expect(problems({ url: 'https://hooks.example.test/x', secrets: [NEW, 'whsec_c2hvcnQ='] })).toEqual([
      { path: '/config/secrets/1', message: 'must be "whsec_" followed by 24 to 64 random bytes in base64' },
    ]);
    expect(
      problems({ url: 'https://hooks.example.test/x', secrets: ['plain-text-secret-value-123'] })[0],
    ).toMatchObject({
      path: '/config/secrets/0',
    });
    expect(
      problems({
        url: 'https://hooks.example.test/x',
        secrets: [NEW],
        headers: { 'Webhook-Signature': 'x' },
      }),
    ).toEqual([
      {
        path: '/config/headers/Webhook-Signature',
        message: 'is set by the connector and cannot be configured',
      },
    ]);
    expect(problems({ url: 'https://hooks.example.test/x', secrets: [NEW], timeoutMs: 5 })[0]).toMatchObject({
      path: '/config/timeoutMs',
    });
    expect(problems({ url: 'https://hooks.example.test/x', secrets: [NEW], extra: true })[0]).toMatchObject({
      path: '/config',
    });
    const shown = redactConfig(WebhookConfig, {
      url: 'https://h.example.test',
      secrets: [NEW, OLD],
      headers: { 'x-key': 'k' },
    });
    expect(shown).toEqual({
      url: 'https://h.example.test',
      secrets: ['[secret]', '[secret]'],
      headers: { 'x-key': '[secret]' },
    });
    expect(JSON.stringify(logs)).not.toContain(NEW.slice(6));
  });
});
