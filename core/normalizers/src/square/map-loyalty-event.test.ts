import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoyaltyEvent } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'square', name), 'utf8');
const loyalty = (result: Awaited<ReturnType<typeof normalizeText>>) => result.events[0]?.data as LoyaltyEvent;

describe('Square loyalty events', () => {
  it('reads AccumulateLoyaltyPoints as an accrual tied to its order', async () => {
    const result = await normalizeText(await fixture('AccumulateLoyaltyPointsResponse.example.json'));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.type, e.subject])).toEqual([['loyalty.accrued.v1', 'P034NEENMD09F']]);
    expect(loyalty(result)).toMatchObject({
      kind: 'accrual',
      programId: 'd619f755-2d17-41f3-990d-c04ecedd64dd',
      accountId: '5adcb100-07f1-4ee7-b8c6-6bb9ebc474bd',
      points: 6,
      transaction: { ids: [{ scheme: 'square.order', value: 'RFZfrdtm3mhO1oGzf5Cx7fEMsmGZY' }] },
    });
  });

  it('reads the loyalty.event.created webhook: a created reward takes points out', async () => {
    const result = await normalizeText(await fixture('LoyaltyEventCreatedEvent.create-reward.json'));
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('loyalty.redeemed.v1');
    expect(loyalty(result)).toMatchObject({
      kind: 'redemption',
      points: -10,
      reason: 'reward created (e1b3c8d2-7f46-3a09-b5e1-0c9d2f4a6b87)',
    });
  });

  it('signs points by what the event means, whatever sign the number has', async () => {
    const doc = JSON.parse(await fixture('LoyaltyEventCreatedEvent.create-reward.json'));
    const event = doc.data.object.loyalty_event;
    delete event.create_reward;
    const cases: Array<[string, string, Record<string, unknown>, string, number]> = [
      ['EXPIRE_POINTS', 'expire_points', { loyalty_program_id: 'p', points: 15 }, 'loyalty.adjusted.v1', -15],
      [
        'DELETE_REWARD',
        'delete_reward',
        { loyalty_program_id: 'p', reward_id: 'r', points: -10 },
        'loyalty.adjusted.v1',
        10,
      ],
      [
        'ADJUST_POINTS',
        'adjust_points',
        { loyalty_program_id: 'p', points: -3, reason: 'goodwill' },
        'loyalty.adjusted.v1',
        -3,
      ],
      [
        'REDEEM_REWARD',
        'redeem_reward',
        { loyalty_program_id: 'p', reward_id: 'r', order_id: 'o' },
        'loyalty.redeemed.v1',
        0,
      ],
    ];
    for (const [type, key, details, eventType, points] of cases) {
      const copy = structuredClone(doc);
      const e = copy.data.object.loyalty_event;
      e.type = type;
      e[key] = details;
      const result = await normalizeText(JSON.stringify(copy));
      expect([type, result.problems, result.events[0]?.type, loyalty(result).points]).toEqual([
        type,
        [],
        eventType,
        points,
      ]);
    }
  });

  it('refuses an unknown event type and points that are not whole', async () => {
    const doc = JSON.parse(await fixture('AccumulateLoyaltyPointsResponse.example.json'));
    doc.events[0].accumulate_points.points = 6.5;
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      { code: 'points.invalid', pointer: '/events/0/accumulate_points/points' },
    ]);
    doc.events[0].type = 'TELEPORT_POINTS';
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      { code: 'square.loyalty_type_unknown', pointer: '/events/0/type' },
    ]);
  });
});
