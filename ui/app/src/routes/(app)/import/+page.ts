import { redirect } from '@sveltejs/kit';

import { routeForEventHistoryImport } from '@temporalio/ui/utilities/route-for';

export const load = async () => {
  redirect(302, routeForEventHistoryImport());
};
