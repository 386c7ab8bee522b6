import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from './logger.ts';

describe('createLogger', () => {
  const records: LogRecord[] = [];
  const log = createLogger({
    sink: (r) => records.push(r),
    level: 'debug',
    secrets: ['s3cr3t-value-1234'],
    bindings: { connector: 'erp-acme' },
    clock: { now: () => Date.parse('2026-03-14T18:00:00Z') },
  });

  it('writes structured records with bindings, time and level', () => {
    log.child({ eventId: 'evt-1' }).info('delivered', { status: 200 });
    expect(records.at(-1)).toEqual({
      connector: 'erp-acme',
      eventId: 'evt-1',
      status: 200,
      time: '2026-03-14T18:00:00.000Z',
      level: 'info',
      msg: 'delivered',
    });
  });

  it('redacts e-mail, phone, names, addresses, credentials and secret values', () => {
    log.warn('customer jane.doe@example.com (+44 20 7946 0958) refused, key s3cr3t-value-1234', {
      customer: {
        id: 'c-42',
        email: 'jane.doe@example.com',
        firstName: 'Jane',
        last_name: 'Doe',
        phone: '020 7946 0958',
        address: { street: '1 High St' },
      },
      headers: new Headers({ authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r-1' }),
      note: 'sent with Bearer eyJhbGciOi.payload.sig',
      clientSecret: 'anything',
      error: new Error('login failed for jane.doe@example.com'),
      amount: { minor: 1234, currency: 'USD' },
      businessDay: '2026-03-14',
    });
    const line = JSON.stringify(records.at(-1));
    for (const leaked of [
      'jane.doe@',
      'Jane',
      'Doe',
      '7946',
      'High St',
      'abc.def',
      'eyJhbGciOi',
      's3cr3t',
      'anything',
    ]) {
      expect(line).not.toContain(leaked);
    }
    expect(records.at(-1)).toMatchObject({
      customer: { id: 'c-42', email: '[redacted]', firstName: '[redacted]' },
      headers: { authorization: '[secret]', 'x-request-id': 'r-1' },
      clientSecret: '[secret]',
      error: { name: 'Error', message: 'login failed for [email]' },
      amount: { minor: 1234, currency: 'USD' },
      businessDay: '2026-03-14',
    });
    expect(line).not.toContain('stack');
  });

  it('drops records below its level', () => {
    const quiet: LogRecord[] = [];
    const info = createLogger({ sink: (r) => quiet.push(r) });
    info.debug('noise');
    info.error('signal');
    expect(quiet.map((r) => r.msg)).toEqual(['signal']);
  });
});
