export { mapS4Document, referenceOf, type S4Document } from './map-s4-document.ts';
export { odataFailure, odataQuery } from './odata-session.ts';
export { S4HanaConfig } from './s4hana-config.ts';
export { s4hanaConnector } from './s4hana-connector.ts';
