import { describe, expect, it } from 'vitest';
import { decodeExportCursor, encodeExportCursor } from './export-cursor.ts';

describe('export cursors', () => {
  const position = {
    storeId: '0042',
    businessDay: '2026-03-14',
    bound: '9007199254740993',
    after: '17',
    total: 30,
    sent: 10,
  };

  it('round-trip, bigint ids as text', () => {
    const cursor = encodeExportCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeExportCursor(cursor)).toEqual(position);
  });

  it('refuse what the hub did not write', () => {
    const forged = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString('base64url');
    expect(decodeExportCursor('not a cursor')).toBeUndefined();
    expect(decodeExportCursor(forged({ v: 2 }))).toBeUndefined();
    expect(
      decodeExportCursor(forged({ v: 1, s: '0042', d: '2026-03-14', b: '1; drop', a: '0', n: 1, i: 0 })),
    ).toBeUndefined();
    expect(
      decodeExportCursor(forged({ v: 1, s: '0042', d: '2026-03-14', b: '5', a: '0', n: -1, i: 0 })),
    ).toBeUndefined();
    expect(decodeExportCursor(forged(null))).toBeUndefined();
  });
});
