export { type LoyaltyCall, loyaltyCallsOf } from './loyalty-calls.ts';
export { SquareLoyaltyConfig } from './square-loyalty-config.ts';
export { classifySquareResponse, squareLoyaltyConnector } from './square-loyalty-connector.ts';
