export { type GraphqlResult, shopifyGraphql } from './shopify-graphql.ts';
export { graphqlUrlOf, ShopifyInventoryConfig } from './shopify-inventory-config.ts';
export { shopifyInventoryConnector } from './shopify-inventory-connector.ts';
export { type SkippedLine, type StockChange, stockChangesOf } from './stock-changes.ts';
