/** Search attribute checks and decoding, as the server applies them on start and upsert. */
import { Pb } from '../proto';
import { Namespace, SearchAttributeType } from './namespace';

const MAX_VALUE_BYTES = 2048;
const MAX_KEYS = 100;

export const SYSTEM_ATTRIBUTES: ReadonlyMap<string, SearchAttributeType> = new Map([
  ['WorkflowId', 'Keyword'], ['RunId', 'Keyword'], ['WorkflowType', 'Keyword'], ['StartTime', 'Datetime'],
  ['ExecutionTime', 'Datetime'], ['CloseTime', 'Datetime'], ['ExecutionStatus', 'Keyword'], ['TaskQueue', 'Keyword'],
  ['HistoryLength', 'Int'], ['HistorySizeBytes', 'Int'], ['ExecutionDuration', 'Int'], ['ParentWorkflowId', 'Keyword'],
  ['RootWorkflowId', 'Keyword'], ['TemporalChangeVersion', 'KeywordList'], ['BuildIds', 'KeywordList'],
  ['BinaryChecksums', 'KeywordList'], ['BatcherUser', 'Keyword'], ['TemporalScheduledStartTime', 'Datetime'],
  ['TemporalScheduledById', 'Keyword'], ['TemporalSchedulePaused', 'Bool'], ['TemporalNamespaceDivision', 'Keyword'],
  ['TemporalPauseInfo', 'KeywordList'], ['TemporalWorkerDeploymentVersion', 'Keyword'], ['TemporalWorkerDeployment', 'Keyword'],
  ['TemporalWorkflowVersioningBehavior', 'Keyword'], ['TemporalReportedProblems', 'KeywordList'],
]);

/** Attributes a workflow may set itself besides registered ones. */
const WRITABLE_SYSTEM = new Set(['TemporalChangeVersion', 'BinaryChecksums', 'BuildIds', 'TemporalReportedProblems']);

export function attributeType(ns: Namespace, name: string): SearchAttributeType | undefined {
  return ns.searchAttributes.get(name) ?? SYSTEM_ATTRIBUTES.get(name);
}

/** Returns the server's error message for bad search attributes, or undefined. */
export function validateSearchAttributes(ns: Namespace, sa: Pb): string | undefined {
  const fields: Record<string, Pb> = sa?.indexedFields ?? {};
  const keys = Object.keys(fields);
  if (keys.length > MAX_KEYS) return `number of search attributes ${keys.length} exceeds limit ${MAX_KEYS}`;
  for (const key of keys) {
    const type = ns.searchAttributes.get(key) ?? (WRITABLE_SYSTEM.has(key) ? SYSTEM_ATTRIBUTES.get(key) : undefined);
    if (!type) {
      if (SYSTEM_ATTRIBUTES.has(key)) return `${key} attribute can't be set in SearchAttributes`;
      return `Namespace ${ns.name} has no mapping defined for search attribute ${key}`;
    }
    const payload = fields[key];
    const size = payload?.data?.length ?? 0;
    if (size > MAX_VALUE_BYTES) return `search attribute ${key} value size ${size} exceeds size limit ${MAX_VALUE_BYTES}`;
    if (size === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload.data).toString('utf8'));
    } catch {
      return `invalid value for search attribute ${key} of type ${type}: not valid JSON`;
    }
    if (value !== null && !valueFits(type, value)) {
      return `invalid value for search attribute ${key} of type ${type}: ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

function valueFits(type: SearchAttributeType, v: unknown): boolean {
  const each = (x: unknown, f: (y: unknown) => boolean) => (Array.isArray(x) ? x.every(f) : f(x));
  switch (type) {
    case 'Keyword':
    case 'Text':
      return each(v, (x) => typeof x === 'string');
    case 'KeywordList':
      return each(v, (x) => typeof x === 'string');
    case 'Int':
      return each(v, (x) => typeof x === 'number' && Number.isInteger(x));
    case 'Double':
      return each(v, (x) => typeof x === 'number');
    case 'Bool':
      return each(v, (x) => typeof x === 'boolean');
    case 'Datetime':
      return each(v, (x) => typeof x === 'string' && !Number.isNaN(Date.parse(x)));
  }
}

/** Decodes a run's search attributes into plain values (Datetime as epoch ms) for visibility. */
export function decodeSearchAttributes(ns: Namespace, fields: Record<string, Pb>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, payload] of Object.entries(fields)) {
    if (!payload?.data?.length) continue;
    let v: unknown;
    try {
      v = JSON.parse(Buffer.from(payload.data).toString('utf8'));
    } catch {
      continue;
    }
    const type = attributeType(ns, key);
    if (type === 'Datetime') v = Array.isArray(v) ? Date.parse(String(v[0])) : Date.parse(String(v));
    else if (type !== 'KeywordList' && Array.isArray(v)) v = v[0];
    else if (type === 'KeywordList' && !Array.isArray(v)) v = [v];
    out[key] = v;
  }
  return out;
}
