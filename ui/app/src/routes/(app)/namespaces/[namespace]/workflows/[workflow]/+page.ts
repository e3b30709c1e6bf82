// /namespaces/{ns}/workflows/{id} goes to the latest run of that workflow.
import { error, redirect } from '@sveltejs/kit';

import { fetchWorkflowForRunId } from '@temporalio/ui/services/workflow-service';

export const load = async ({ url, params }) => {
  const { runId } = await fetchWorkflowForRunId({ namespace: params.namespace, workflowId: params.workflow });
  if (runId) redirect(302, `${url.pathname}/${runId}`);
  error(404);
};
