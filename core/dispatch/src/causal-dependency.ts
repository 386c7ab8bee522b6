import { type CanonicalEvent, naturalKeyText } from '@poshub/model';

interface LinkLike {
  kind?: string;
  key?: { storeId?: string; workstationId?: string; businessDay?: string; sequence?: string };
}

const CAUSAL_LINKS = new Set(['return', 'exchange', 'post_void']);

/**
 * Business keys of the transactions an event depends on: the sale a return, exchange or post-void refers
 * to, at transaction or line level, where the link names the whole key.
 */
export function originalKeysOf(event: CanonicalEvent): string[] {
  const data = event.data as { links?: LinkLike[]; lines?: Array<{ originalLine?: LinkLike }> };
  const links = [
    ...(data.links ?? []),
    ...(data.lines ?? []).flatMap((l) => (l.originalLine ? [l.originalLine] : [])),
  ];
  const keys = new Set<string>();
  for (const link of links) {
    const k = link.key;
    if (!link.kind || !CAUSAL_LINKS.has(link.kind) || !k) continue;
    if (k.storeId && k.workstationId && k.businessDay && k.sequence) {
      keys.add(
        naturalKeyText({
          storeId: k.storeId,
          workstationId: k.workstationId,
          businessDay: k.businessDay,
          sequence: k.sequence,
        }),
      );
    }
  }
  return [...keys];
}
