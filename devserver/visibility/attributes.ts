/**
 * Search attributes a query can name: the server's system attributes (stored as
 * record fields), its predefined attributes (stored with the custom ones in
 * `record.custom`), and the namespace's registered custom attributes.
 *
 * Name resolution follows the server's resolveSearchAttributeAlias: names are
 * case-sensitive; a custom attribute wins unless the name is system/predefined;
 * then `ScheduleId` (optionally `Temporal`-prefixed) means WorkflowId, and a
 * name is retried with the `Temporal` prefix added or removed.
 */

import type { SearchAttributeType, VisibilityRecord } from './types';

type Rec = VisibilityRecord;

interface ColumnBase {
  /** The name as written in the query (backquotes removed). */
  alias: string;
  /** The attribute it resolved to (system/predefined name, or the custom name). */
  field: string;
  type: SearchAttributeType;
  isNull: (r: Rec) => boolean;
}

/** A resolved attribute with a getter normalised for evaluation (undefined = NULL). */
export type Column = ColumnBase &
  (
    | { kind: 'keyword' | 'text'; get: (r: Rec) => string | undefined }
    | { kind: 'keywordList'; get: (r: Rec) => readonly string[] | undefined }
    /** status: enum number; number: Int/Double; duration: ns; datetime: epoch ms; bool: 1/0. */
    | { kind: 'status' | 'number' | 'duration' | 'datetime' | 'bool'; get: (r: Rec) => number | undefined }
  );

type Def = Omit<Column, 'alias' | 'field'>;

const never = (): boolean => false;

const SYSTEM: ReadonlyMap<string, Def> = new Map<string, Def>([
  ['WorkflowId', { type: 'Keyword', kind: 'keyword', get: (r) => r.workflowId, isNull: never }],
  ['RunId', { type: 'Keyword', kind: 'keyword', get: (r) => r.runId, isNull: never }],
  ['WorkflowType', { type: 'Keyword', kind: 'keyword', get: (r) => r.workflowType, isNull: never }],
  ['TaskQueue', { type: 'Keyword', kind: 'keyword', get: (r) => r.taskQueue, isNull: never }],
  ['StartTime', { type: 'Datetime', kind: 'datetime', get: (r) => r.startTime, isNull: never }],
  ['ExecutionTime', { type: 'Datetime', kind: 'datetime', get: (r) => r.executionTime, isNull: never }],
  ['CloseTime', { type: 'Datetime', kind: 'datetime', get: (r) => r.closeTime ?? undefined, isNull: (r) => r.closeTime == null }],
  ['ExecutionStatus', { type: 'Keyword', kind: 'status', get: (r) => r.status, isNull: never }],
  ['HistoryLength', { type: 'Int', kind: 'number', get: (r) => r.historyLength, isNull: never }],
  ['HistorySizeBytes', { type: 'Int', kind: 'number', get: (r) => r.historySizeBytes, isNull: never }],
  [
    'ExecutionDuration',
    {
      type: 'Int',
      kind: 'duration',
      get: (r) => (r.executionDuration == null ? undefined : r.executionDuration * 1e6),
      isNull: (r) => r.executionDuration == null,
    },
  ],
  [
    'StateTransitionCount',
    {
      type: 'Int',
      kind: 'number',
      get: (r) => r.stateTransitionCount ?? undefined,
      isNull: (r) => r.stateTransitionCount == null,
    },
  ],
  [
    'ParentWorkflowId',
    {
      type: 'Keyword',
      kind: 'keyword',
      get: (r) => r.parentWorkflowId ?? undefined,
      isNull: (r) => r.parentWorkflowId == null,
    },
  ],
  [
    'ParentRunId',
    { type: 'Keyword', kind: 'keyword', get: (r) => r.parentRunId ?? undefined, isNull: (r) => r.parentRunId == null },
  ],
  // Stored NOT NULL DEFAULT '' by the SQL visibility schema.
  ['RootWorkflowId', { type: 'Keyword', kind: 'keyword', get: (r) => r.rootWorkflowId ?? '', isNull: never }],
  ['RootRunId', { type: 'Keyword', kind: 'keyword', get: (r) => r.rootRunId ?? '', isNull: never }],
]);

/** Predefined attributes (sadefs.predefined); their values live in record.custom. */
const PREDEFINED: ReadonlyMap<string, SearchAttributeType> = new Map<string, SearchAttributeType>([
  ['TemporalChangeVersion', 'KeywordList'],
  ['BinaryChecksums', 'KeywordList'],
  ['BuildIds', 'KeywordList'],
  ['BatcherNamespace', 'Keyword'],
  ['BatcherUser', 'Keyword'],
  ['TemporalScheduledStartTime', 'Datetime'],
  ['TemporalScheduledById', 'Keyword'],
  ['TemporalSchedulePaused', 'Bool'],
  ['TemporalNamespaceDivision', 'Keyword'],
  ['TemporalPauseInfo', 'KeywordList'],
  ['TemporalReportedProblems', 'KeywordList'],
  ['TemporalWorkerDeploymentVersion', 'Keyword'],
  ['TemporalWorkflowVersioningBehavior', 'Keyword'],
  ['TemporalWorkerDeployment', 'Keyword'],
  ['TemporalUsedWorkerDeploymentVersions', 'KeywordList'],
  ['TemporalExternalPayloadCount', 'Int'],
  ['TemporalExternalPayloadSizeBytes', 'Int'],
]);

export const NAMESPACE_DIVISION = 'TemporalNamespaceDivision';
const RESERVED_PREFIX = 'Temporal';

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function toMillis(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (v instanceof Date) return toNumber(v.getTime());
  if (typeof v === 'string') return toNumber(Date.parse(v));
  return toNumber(v);
}

/** A getter over record.custom[name], normalised for the attribute type. */
function customDef(name: string, type: SearchAttributeType): Def {
  const isNull = (r: Rec): boolean => r.custom[name] == null;
  switch (type) {
    case 'Keyword':
    case 'Text': {
      const get = (r: Rec): string | undefined => {
        const v = r.custom[name];
        return typeof v === 'string' ? v : undefined;
      };
      return { type, kind: type === 'Text' ? 'text' : 'keyword', get, isNull };
    }
    case 'KeywordList': {
      const get = (r: Rec): readonly string[] | undefined => {
        const v = r.custom[name];
        if (Array.isArray(v)) return v as string[];
        return typeof v === 'string' ? [v] : undefined;
      };
      return { type, kind: 'keywordList', get, isNull };
    }
    case 'Int':
    case 'Double':
      return { type, kind: 'number', get: (r) => toNumber(r.custom[name]), isNull };
    case 'Bool':
      return {
        type,
        kind: 'bool',
        get: (r) => {
          const v = r.custom[name];
          return typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
        },
        isNull,
      };
    case 'Datetime':
      return { type, kind: 'datetime', get: (r) => toMillis(r.custom[name]), isNull };
  }
}

const predefinedDefs = new Map<string, Def>([...PREDEFINED].map(([n, t]) => [n, customDef(n, t)]));

function builtin(name: string): Def | undefined {
  return SYSTEM.get(name) ?? predefinedDefs.get(name);
}

/** Resolves a query column name; undefined when it is not a valid search attribute. */
export function resolveColumn(alias: string, customTypes: ReadonlyMap<string, SearchAttributeType>): Column | undefined {
  const direct = builtin(alias);
  if (direct) return { ...direct, alias, field: alias } as Column;
  const customType = customTypes.get(alias);
  if (customType !== undefined) return { ...customDef(alias, customType), alias, field: alias } as Column;
  let field: string;
  if (alias.startsWith(RESERVED_PREFIX)) field = alias.slice(RESERVED_PREFIX.length);
  else field = RESERVED_PREFIX + alias;
  if ((alias.startsWith(RESERVED_PREFIX) ? field : alias) === 'ScheduleId') field = 'WorkflowId';
  const fallback = builtin(field);
  return fallback ? ({ ...fallback, alias, field } as Column) : undefined;
}
