// k6: many tills posting ~1 KB canonical sales, each with its own Idempotency-Key.
// Driven by bench-ingest.ts; TARGET_URL, TOKEN, SALE_FILE, RUN, VUS and DURATION come from the environment.
import { check } from 'k6';
import http from 'k6/http';

export const options = {
  vus: Number(__ENV.VUS || 100),
  duration: __ENV.DURATION || '20s',
  summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'p(99)', 'max'],
  discardResponseBodies: true,
};

const template = JSON.parse(open(__ENV.SALE_FILE));
const headers = { 'content-type': 'application/json', authorization: `Bearer ${__ENV.TOKEN}` };

export default function () {
  const sequence = String(__ITER + 1);
  const workstation = String(__VU);
  template.id = `bench-${__ENV.RUN}-${workstation}-${sequence}`;
  template.data.key.workstationId = workstation;
  template.data.key.sequence = sequence;
  template.data.receiptNumber = `${workstation}-${sequence}`;
  const res = http.post(__ENV.TARGET_URL, JSON.stringify(template), {
    headers: { ...headers, 'idempotency-key': template.id },
  });
  check(res, { accepted: (r) => r.status === 201 });
}
