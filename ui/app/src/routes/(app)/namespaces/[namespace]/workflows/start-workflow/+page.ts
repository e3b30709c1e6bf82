import { redirect } from '@sveltejs/kit';

import { routeForWorkflows } from '@temporalio/ui/utilities/route-for';

export const load = async ({ params, parent }) => {
  const data = await parent();
  if (data?.settings?.disableWriteActions || data?.settings?.startWorkflowDisabled) {
    redirect(302, routeForWorkflows({ namespace: params.namespace }));
  }
};
