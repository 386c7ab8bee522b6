/** The version of poshub core this SDK belongs to; a connector's `coreCompat` range is checked against it. */
export const CORE_VERSION = '0.1.0';
