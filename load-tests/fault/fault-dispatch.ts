// pnpm fault:dispatch [transport...]: the dispatch fault run at a chosen size, counts printed per transport.
// FAULT_SALES (default 3000), FAULT_RATE per second (default 150), FAULT_STORES (default 24).
import { type FaultTransport, formatFaultReport, runDispatchFault } from './run-dispatch-fault.ts';

const ALL: FaultTransport[] = ['embedded', 'kafka', 'rabbitmq', 'sqs'];
const chosen = process.argv.slice(2) as FaultTransport[];
for (const t of chosen) {
  if (!ALL.includes(t)) {
    console.error(`unknown transport ${t} (one of ${ALL.join(', ')})`);
    process.exit(2);
  }
}
let failed = false;
for (const transport of chosen.length ? chosen : ALL) {
  const report = await runDispatchFault({
    transport,
    sales: Number(process.env.FAULT_SALES ?? 3000),
    ratePerSecond: Number(process.env.FAULT_RATE ?? 150),
    stores: Number(process.env.FAULT_STORES ?? 24),
    killAt: 0.3,
    brokerRestartAt: 0.6,
    drainTimeoutMs: 180_000,
    reconcileBoundMs: 15_000,
    log: (line) => console.error(line),
  });
  console.log(formatFaultReport(report));
  if (report.connectors.some((c) => c.lost || c.appliedTwice || c.orderViolations)) failed = true;
}
process.exitCode = failed ? 1 : 0;
