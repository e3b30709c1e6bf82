// Loads settings, namespaces, cluster and system information for every page, as upstream does.
import { redirect } from '@sveltejs/kit';

import { fetchCluster, fetchSystemInfo } from '@temporalio/ui/services/cluster-service';
import { fetchNamespaces } from '@temporalio/ui/services/namespaces-service';
import { fetchSettings } from '@temporalio/ui/services/settings-service';
import { clearAuthUser, getAuthUser, setAuthUser } from '@temporalio/ui/stores/auth-user';
import { cleanAuthUserCookie, getAuthUserCookie } from '@temporalio/ui/utilities/auth-user-cookie';
import { isAuthorized } from '@temporalio/ui/utilities/is-authorized';
import { routeForLoginPage } from '@temporalio/ui/utilities/route-for';

export const load = async ({ fetch }) => {
  const settings = await fetchSettings(fetch);

  if (!settings.auth.enabled) {
    cleanAuthUserCookie();
    clearAuthUser();
  }

  const authUser = getAuthUserCookie();
  if (authUser?.accessToken) {
    setAuthUser(authUser);
    cleanAuthUserCookie();
  }

  const user = getAuthUser();
  if (!isAuthorized(settings, user)) {
    redirect(302, routeForLoginPage());
  }

  fetchNamespaces(settings, fetch);
  const cluster = await fetchCluster(settings, fetch);
  const systemInfo = await fetchSystemInfo(settings, fetch);

  return { user, settings, cluster, systemInfo };
};
