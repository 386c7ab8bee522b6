import type { CanonicalEvent } from '@poshub/model';

/** A config for tests, pointing at `baseUrl`. */
export const s4Config = (baseUrl: string) => ({
  baseUrl,
  user: 'POSHUB_COMM_USER',
  password: 'comm-user-password',
  salesOrganization: '1010',
  distributionChannel: '10',
  organizationDivision: '00',
  soldToParty: '1000001',
  plants: { '0042': '1010', '0107': '1020' },
  timeoutMs: 1000,
});

export type { CanonicalEvent };
