/**
 * The workflow bundle's entry: every exported function here is a workflow type.
 * Clients import signals, queries, input and search attributes from their own
 * modules (`workflows/signals`, `workflows/queries`, …) or from `workflows/api`.
 */
export { trajectory } from './trajectory';
