import { fetchNamespace } from '@temporalio/ui/services/namespaces-service';
import { fetchAllArchivedWorkflows } from '@temporalio/ui/services/workflow-service';

export const load = async ({ params, fetch }) => {
  const namespace = await fetchNamespace(params.namespace);
  const archivalEnabled = String(namespace?.config?.historyArchivalState) === 'Enabled';
  const visibilityArchivalEnabled = String(namespace?.config?.visibilityArchivalState) === 'Enabled';
  const result =
    archivalEnabled && visibilityArchivalEnabled
      ? await fetchAllArchivedWorkflows(params.namespace, { closeTime: '1 day' }, fetch)
      : null;
  return { namespace, workflows: result ? result.workflows : [], archivalEnabled, visibilityArchivalEnabled };
};
