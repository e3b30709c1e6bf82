import { redirect } from '@sveltejs/kit';

import { getEndpointForRawHistory } from '@temporalio/ui/services/events-service';

export const load = async ({ parent, params }) => {
  await parent();
  redirect(302, getEndpointForRawHistory({ namespace: params.namespace, workflowId: params.workflow, runId: params.run }));
};
