/** Everything a starter, a partner tool or a test needs to talk to trajectories (no workflow functions). */
export * from './activities-api';
export * from './input';
export * from './queries';
export * from './search-attributes';
export * from './signals';
export * from './start-options';
export * from './state';
