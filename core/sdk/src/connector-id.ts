/** A connector id: 1-48 lowercase letters, digits and hyphens, not starting or ending with a hyphen (a lane name). */
export const CONNECTOR_ID = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
