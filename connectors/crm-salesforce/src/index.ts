export { classifySalesforceResponse } from './classify-salesforce-response.ts';
export { mapSalesforceRequest, type SalesforceCall } from './map-salesforce-request.ts';
export { SalesforceConfig } from './salesforce-config.ts';
export { salesforceConnector } from './salesforce-connector.ts';
