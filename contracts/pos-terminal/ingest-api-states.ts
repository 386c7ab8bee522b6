/** The provider states of the POS terminal's pact with the ingest API. */
export const INGEST_API_STATES = {
  /** A till of store 0042 holds a token that may post for it. */
  acceptsSales: 'store 0042 accepts sales',
  /** The till already posted sale `{ sequence }` with its key (`tillKey(sequence)`). */
  posted: 'the till posted sale',
  /** The till's token was not issued by an issuer the hub trusts (or has expired). */
  untrusted: "the till's token is not trusted",
} as const;
