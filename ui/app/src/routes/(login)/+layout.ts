// The page a 401 or 403 sends the browser to; without auth it does not exist (as upstream).
import { error } from '@sveltejs/kit';

import { fetchSettings } from '@temporalio/ui/services/settings-service';

export const load = async ({ fetch }) => {
  const settings = await fetchSettings(fetch);
  if (!settings.auth.enabled) error(404);
  return { settings };
};
