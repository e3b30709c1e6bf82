/**
 * The workflow bundle's entry: every exported function here is a workflow type.
 * Clients import signals, queries, input and search attributes from their own
 * modules (`workflows/signals`, `workflows/queries`, …) or from `workflows/api`;
 * the capacity workflow's contract is in `workflows/capacity-api`.
 */
export { trajectory } from './trajectory';
export { programmeCapacity } from './capacity';
export { retentionSchedule } from './retention';
