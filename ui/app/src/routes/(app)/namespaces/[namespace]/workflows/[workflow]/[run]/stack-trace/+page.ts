import { redirect } from '@sveltejs/kit';

import { routeForCallStack } from '@temporalio/ui/utilities/route-for';

export const load = async ({ params }) => {
  redirect(302, routeForCallStack(params));
};
