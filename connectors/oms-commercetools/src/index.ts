export { CommercetoolsConfig } from './commercetools-config.ts';
export { classifyCommercetools, commercetoolsConnector } from './commercetools-connector.ts';
export { type CtOrder, type OrderAction, orderActionsFor } from './order-actions.ts';
