export { {{System}}Config } from './config.ts';
export { {{systemCamel}}Connector } from './connector.ts';
export { type {{System}}Event, type {{System}}Sale, is{{System}}Event, to{{System}}Sale } from './mapper.ts';
