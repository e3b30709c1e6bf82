export * from './worker';
export * from './search-attributes';
