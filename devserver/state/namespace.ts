/** A namespace: its runs, its registered search attributes and its task queues. */
import { randomUUID } from 'node:crypto';
import { Pb } from '../proto';
import { TaskQueues } from '../matching/task-queue';
import { Run } from './run';
import type { BatchJob } from './batch';

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface NamespaceRecord {
  name: string;
  id: string;
  description: string;
  ownerEmail: string;
  retentionDays: number;
  data: Record<string, string>;
}

export class Namespace {
  readonly runs = new Map<string, Run>();
  /** The latest run of each workflow id. */
  readonly current = new Map<string, Run>();
  readonly searchAttributes = new Map<string, SearchAttributeType>();
  readonly queues: TaskQueues<Pb, Pb>;
  /** Batch operations by job id, in the order they started. */
  readonly batches = new Map<string, BatchJob>();

  constructor(readonly record: NamespaceRecord, now: () => number) {
    this.queues = new TaskQueues(now);
  }

  get name(): string {
    return this.record.name;
  }

  static newRecord(name: string, retentionDays = 1): NamespaceRecord {
    return { name, id: randomUUID(), description: '', ownerEmail: '', retentionDays, data: {} };
  }
}
