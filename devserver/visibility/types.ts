/**
 * Public types of the visibility list-filter module.
 *
 * The query language is Temporal's ListWorkflowExecutions / CountWorkflowExecutions
 * filter (a SQL WHERE subset). Semantics follow the real server's unified query
 * converter with the SQLite visibility store (the store behind `temporal server start-dev`).
 */

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/**
 * One row of visibility. Times are epoch milliseconds.
 *
 * Custom attribute values by type: Keyword/Text → string, Int/Double → number,
 * Bool → boolean, Datetime → epoch ms number (a Date or an RFC 3339 string is
 * tolerated), KeywordList → string[].
 */
export interface VisibilityRecord {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  /** temporal.api.enums.v1.WorkflowExecutionStatus: 1 Running … 7 TimedOut. */
  status: number;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  historyLength: number;
  historySizeBytes: number;
  /** Milliseconds. Queries see it as Int nanoseconds, as the server stores it. */
  executionDuration?: number;
  parentWorkflowId?: string;
  parentRunId?: string;
  /** The server stores '' when unset, so `RootWorkflowId = ''` matches a missing value. */
  rootWorkflowId?: string;
  rootRunId?: string;
  stateTransitionCount?: number;
  /** Registered custom attributes, plus predefined ones such as TemporalChangeVersion. */
  custom: Record<string, unknown>;
}

export interface CompiledQuery {
  matches(r: VisibilityRecord): boolean;
  /** ORDER BY keys (then the default order as tie-break), or the default order. */
  compare(a: VisibilityRecord, b: VisibilityRecord): number;
  /** Whether the query has ORDER BY keys (else `compare` is the default order). */
  ordered: boolean;
  groupBy?: 'ExecutionStatus';
}

export interface CompileOptions {
  /** Count queries: allow `GROUP BY ExecutionStatus`. Default false. */
  allowGroupBy?: boolean;
  /**
   * Allow ORDER BY. Default true. The SQL (SQLite) visibility store rejects ORDER BY;
   * pass false to get exactly that behaviour.
   */
  allowOrderBy?: boolean;
}
