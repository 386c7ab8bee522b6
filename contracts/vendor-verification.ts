import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatJson } from './consumer-pact.ts';
import type { PackageInfo } from './package-info.ts';

/**
 * The record that a pact with a provider outside this repository (a vendor's API) verified against that
 * provider: which content (sha256 of the pact file), written by which consumer version, where and when.
 * The pact check accepts such a pact while its file is unchanged since.
 */
export interface VendorVerification {
  /** The pact file's name in contracts/pacts/. */
  pact: string;
  sha256: string;
  consumer: PackageInfo;
  provider: string;
  /** The provider's origin the verification ran against (no credentials). */
  against: string;
  verifiedAt: string;
}

/** Where the record of a pact file's vendor verification is kept: `vendor-verifications/` beside `pacts/`. */
export function vendorVerificationFile(pactFile: string): string {
  return join(dirname(pactFile), '..', 'vendor-verifications', basename(pactFile));
}

/** sha256 of a pact file's bytes. */
export function pactDigest(pactFile: string): string {
  return createHash('sha256').update(readFileSync(pactFile)).digest('hex');
}

/** The recorded vendor verification of a pact file, if any. */
export function readVendorVerification(pactFile: string): VendorVerification | undefined {
  const file = vendorVerificationFile(pactFile);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VendorVerification) : undefined;
}

/** Records a successful vendor verification of a pact file; returns where. */
export function writeVendorVerification(
  pactFile: string,
  record: Omit<VendorVerification, 'pact' | 'sha256'>,
): string {
  const file = vendorVerificationFile(pactFile);
  mkdirSync(join(file, '..'), { recursive: true });
  const full: VendorVerification = { pact: basename(pactFile), sha256: pactDigest(pactFile), ...record };
  writeFileSync(file, formatJson(JSON.stringify(full, null, 2)));
  return file;
}
