import { describe, expect, it } from 'vitest';
import { type FaultTransport, formatFaultReport, runDispatchFault } from './run-dispatch-fault.ts';

// Per transport: tills post sales to a real `poshub serve` (PostgreSQL, the transport, two HTTP connectors);
// the hub is SIGKILLed and restarted mid-stream, then the broker (PostgreSQL for the embedded queue) is
// restarted; every accepted sale must reach both connectors once in effect, in store order for the ordered
// one. `pnpm fault:dispatch` runs the same at a larger size.
const TRANSPORTS: FaultTransport[] = ['embedded', 'kafka', 'rabbitmq', 'sqs'];

describe.each(TRANSPORTS)('dispatch survives a SIGKILLed hub and a restarted broker: %s', (transport) => {
  it('accepted = applied for each connector: 0 lost, 0 applied twice, 0 out of store order', async () => {
    const log: string[] = [];
    const report = await runDispatchFault({
      transport,
      sales: Number(process.env.FAULT_SALES ?? 600),
      ratePerSecond: Number(process.env.FAULT_RATE ?? 60),
      stores: 12,
      killAt: 0.3,
      brokerRestartAt: 0.6,
      drainTimeoutMs: 240_000,
      reconcileBoundMs: 15_000,
      log: (line) => log.push(line),
    });
    console.log([...log, formatFaultReport(report)].join('\n'));
    expect(report.tills.refused).toEqual([]);
    expect(report.tills.abandoned).toEqual([]);
    expect(report.hubStarts).toBe(2);
    for (const c of report.connectors) {
      expect({
        connector: c.connector,
        lost: c.lost,
        appliedTwice: c.appliedTwice,
        orderViolations: c.orderViolations,
      }).toEqual({
        connector: c.connector,
        lost: 0,
        appliedTwice: 0,
        orderViolations: 0,
      });
      expect(c.applied).toBe(report.tills.accepted);
    }
    expect(report.ledger).toEqual({
      'fault-crm': { applied: report.tills.accepted + report.connectors[1]!.unaccepted },
      'fault-erp': { applied: report.tills.accepted + report.connectors[0]!.unaccepted },
    });
  });
});
