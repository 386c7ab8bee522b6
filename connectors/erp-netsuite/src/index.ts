export { classifyNetSuiteResponse } from './classify-netsuite-response.ts';
export { amountOf, type CashRecord, externalIdOf, mapCashRecord } from './map-cash-record.ts';
export { NetSuiteConfig, restBaseOf } from './netsuite-config.ts';
export { netsuiteConnector } from './netsuite-connector.ts';
