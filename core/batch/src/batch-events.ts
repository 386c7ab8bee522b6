import { createHash } from 'node:crypto';
import { makeEvent } from '@poshub/model';
import type { EventToAppend } from '@poshub/store';
import type { ImportKind } from './import-kinds.ts';
import type { RowGroup } from './pending-batch.ts';

/**
 * The batch events of accepted rows: one CloudEvent per group, `data` = { importId, batch, rows }, numbered
 * from `firstBatch`. The id derives from the job and batch number, so the same batch is the same event.
 */
export function batchEvents(
  jobId: string,
  kind: ImportKind,
  groups: readonly RowGroup[],
  firstBatch: number,
  trace: { traceparent?: string | undefined; tracestate?: string | undefined } = {},
): EventToAppend[] {
  return groups.map((group, i) => {
    const batch = firstBatch + i;
    const { data: _data, ...envelope } = makeEvent(
      kind.eventType,
      { importId: jobId, batch, rows: [] } as never,
      {
        source: `/imports/${jobId}`,
        subject: group.subject,
        identity: `${jobId}/${batch}`,
      },
    );
    // Each row was serialised once, when it was accepted. The body is assembled from those texts in one
    // join (one flat string, no intermediate copies: a batch body is ~100 KB and lives until its commit).
    const head = JSON.stringify(envelope);
    const dataHead = `{"importId":${JSON.stringify(jobId)},"batch":${batch},"rows":[`;
    const parts: string[] = [head.slice(0, -1), ',"data":', dataHead];
    const hash = createHash('sha256').update(dataHead);
    for (const [r, row] of group.rows.entries()) {
      if (r > 0) {
        parts.push(',');
        hash.update(',');
      }
      parts.push(row);
      hash.update(row);
    }
    parts.push(']}}');
    hash.update(']}');
    return {
      id: envelope.id,
      type: kind.eventType,
      storeId: group.subject,
      contentHash: hash.digest('hex'),
      body: parts.join(''),
      traceparent: trace.traceparent,
      tracestate: trace.tracestate,
    };
  });
}
