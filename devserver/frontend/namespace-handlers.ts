/** Namespaces, cluster and system information, task queue description, search attributes. */
import { IndexedValueType } from '../enums';
import { alreadyExists, invalidArgument, notFound } from '../errors';
import { duration, durationMs, Pb, timestamp } from '../proto';
import { Engine } from '../state/engine';
import { Namespace, SearchAttributeType } from '../state/namespace';
import { SYSTEM_ATTRIBUTES } from '../state/search-attributes';
import { Handlers } from './server';

export const SERVER_VERSION = '1.29.1';

const TYPE_BY_ENUM: Record<number, SearchAttributeType> = {
  [IndexedValueType.TEXT]: 'Text',
  [IndexedValueType.KEYWORD]: 'Keyword',
  [IndexedValueType.INT]: 'Int',
  [IndexedValueType.DOUBLE]: 'Double',
  [IndexedValueType.BOOL]: 'Bool',
  [IndexedValueType.DATETIME]: 'Datetime',
  [IndexedValueType.KEYWORD_LIST]: 'KeywordList',
};
const ENUM_BY_TYPE = Object.fromEntries(Object.entries(TYPE_BY_ENUM).map(([k, v]) => [v, Number(k)])) as Record<SearchAttributeType, number>;

function namespaceInfo(ns: Namespace): Pb {
  const r = ns.record;
  return {
    namespaceInfo: { name: r.name, state: 1, description: r.description, ownerEmail: r.ownerEmail, data: r.data, id: r.id, supportsSchedules: false },
    config: {
      workflowExecutionRetentionTtl: duration(r.retentionDays * 86_400_000),
      historyArchivalState: 1, // disabled: the engine keeps no archive
      visibilityArchivalState: 1,
      customSearchAttributeAliases: {},
    },
    replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }], state: 1 },
    isGlobalNamespace: false,
    failoverVersion: 0,
  };
}

function customAttributes(ns: Namespace): Record<string, number> {
  return Object.fromEntries([...ns.searchAttributes].map(([k, t]) => [k, ENUM_BY_TYPE[t]]));
}

function systemAttributes(): Record<string, number> {
  return Object.fromEntries([...SYSTEM_ATTRIBUTES].map(([k, t]) => [k, ENUM_BY_TYPE[t]]));
}

export function addSearchAttributes(e: Engine, ns: Namespace, attrs: Record<string, number>): void {
  for (const [name, typeEnum] of Object.entries(attrs)) {
    const type = TYPE_BY_ENUM[typeEnum];
    if (!type) throw invalidArgument(`Unknown search attribute type: ${typeEnum}.`);
    if (SYSTEM_ATTRIBUTES.has(name)) throw invalidArgument(`Search attribute ${name} is reserved by system.`);
    const existing = ns.searchAttributes.get(name);
    if (existing && existing !== type) throw alreadyExists(`Search attribute ${name} already exists.`);
    if (!existing) e.addSearchAttribute(ns, name, type);
  }
}

export function namespaceHandlers(e: Engine): Handlers {
  return {
    GetSystemInfo() {
      return {
        serverVersion: SERVER_VERSION,
        capabilities: {
          signalAndQueryHeader: true,
          internalErrorDifferentiation: true,
          activityFailureIncludeHeartbeat: true,
          supportsSchedules: false,
          encodedFailureAttributes: true,
          buildIdBasedVersioning: false,
          upsertMemo: true,
          eagerWorkflowStart: true,
          sdkMetadata: true,
          countGroupByExecutionStatus: true,
          nexus: false,
        },
      };
    },
    GetClusterInfo() {
      return {
        supportedClients: { 'temporal-cli': '< 2.0.0', 'temporal-go': '< 2.0.0', 'temporal-typescript': '< 2.0.0', 'temporal-ui': '< 3.0.0' },
        serverVersion: SERVER_VERSION,
        clusterId: 'trajectories-embedded-engine',
        clusterName: 'active',
        historyShardCount: 1,
        persistenceStore: e.store.durable ? 'file' : 'memory',
        visibilityStore: 'embedded',
        failoverVersionIncrement: 10,
        initialFailoverVersion: 1,
      };
    },
    DescribeNamespace(req) {
      const name = req.namespace || [...e.namespaces.values()].find((n) => n.record.id === req.id)?.name;
      return namespaceInfo(e.ns(name ?? ''));
    },
    ListNamespaces() {
      return { namespaces: [...e.namespaces.values()].map(namespaceInfo) };
    },
    RegisterNamespace(req) {
      if (!req.namespace) throw invalidArgument('Namespace is not set on request.');
      if (e.namespaces.has(req.namespace)) throw alreadyExists('Namespace already exists.');
      const record = Namespace.newRecord(req.namespace, Math.max(1, Math.round(durationMs(req.workflowExecutionRetentionPeriod) / 86_400_000) || 1));
      record.description = req.description ?? '';
      record.ownerEmail = req.ownerEmail ?? '';
      record.data = req.data ?? {};
      e.addNamespace(record);
      return {};
    },
    UpdateNamespace(req) {
      const ns = e.ns(req.namespace);
      if (req.updateInfo?.description !== undefined) ns.record.description = req.updateInfo.description;
      e.addNamespace(ns.record, true);
      return namespaceInfo(ns);
    },
    GetSearchAttributes() {
      const keys: Record<string, number> = systemAttributes();
      for (const ns of e.namespaces.values()) Object.assign(keys, customAttributes(ns));
      return { keys };
    },
    DescribeTaskQueue(req) {
      const ns = e.ns(req.namespace);
      const name = req.taskQueue?.name;
      const q = req.taskQueueType === 2 ? ns.queues.activity.get(name) : ns.queues.workflow.get(name);
      const pollers = q
        ? [...q.recentPollers.values()].map((p) => ({ identity: p.identity, lastAccessTime: timestamp(p.lastAccessTime), ratePerSecond: 100000 }))
        : [];
      return { pollers, taskQueueStatus: req.includeTaskQueueStatus ? { backlogCountHint: q?.backlog ?? 0, readLevel: 0, ackLevel: 0, ratePerSecond: 100000 } : undefined };
    },
    GetWorkerTaskReachability() {
      return { buildIdReachability: [] };
    },
    // The engine has no schedules, batch operations or worker deployments; the Web UI lists them.
    ListSchedules: () => ({ schedules: [] }),
    CountSchedules: () => ({ count: 0 }),
    ListBatchOperations: () => ({ operationInfo: [] }),
    ListWorkerDeployments: () => ({ workerDeployments: [] }),
  };
}

export function operatorHandlers(e: Engine): Handlers {
  return {
    AddSearchAttributes(req) {
      addSearchAttributes(e, e.ns(req.namespace || 'default'), req.searchAttributes ?? {});
      return {};
    },
    RemoveSearchAttributes(req) {
      const ns = e.ns(req.namespace || 'default');
      for (const name of req.searchAttributes ?? []) {
        if (!ns.searchAttributes.has(name)) throw notFound(`Search attribute ${name} doesn't exist.`);
        e.removeSearchAttribute(ns, name);
      }
      return {};
    },
    ListSearchAttributes(req) {
      const ns = e.ns(req.namespace || 'default');
      return { customAttributes: customAttributes(ns), systemAttributes: systemAttributes(), storageSchema: {} };
    },
    DeleteNamespace(req) {
      const ns = e.ns(req.namespace);
      e.namespaces.delete(ns.name);
      return { deletedNamespace: `${ns.name}-deleted` };
    },
  };
}
