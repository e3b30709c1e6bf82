/**
 * Temporal's visibility list filter (ListWorkflowExecutions / CountWorkflowExecutions
 * query language), compiled to closures. See compile.ts for the pipeline.
 */

export { compileQuery } from './compile';
export { defaultCompare } from './order';
export { VisibilityQueryError } from './errors';
export type { CompiledQuery, CompileOptions, SearchAttributeType, VisibilityRecord } from './types';
