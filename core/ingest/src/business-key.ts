import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '@poshub/model';
import { naturalKeyText } from '@poshub/model';
import canonicalize from 'canonicalize';

/**
 * The natural identity of a store transaction (retail or control): store|workstation|business day|sequence.
 * Other events have none: their deterministic event id plays that part.
 */
export function businessKeyOf(event: CanonicalEvent): string | null {
  const data = event.data as {
    key?: { storeId: string; workstationId: string; businessDay: string; sequence: string };
  };
  const key = data.key;
  if (!key) return null;
  return naturalKeyText(key);
}

/** sha256 of the RFC 8785 canonical JSON of an event's data: the same content always hashes the same. */
export function contentHashOf(event: CanonicalEvent): string {
  return createHash('sha256')
    .update(canonicalize(event.data) ?? '')
    .digest('hex');
}

/** The store an event belongs to (CloudEvents subject). */
export function storeIdOf(event: CanonicalEvent): string {
  return event.subject;
}
