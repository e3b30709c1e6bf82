/** The retention schedule's activity: erase everyone past the worker's retention period (activities/erasure.ts). */
import { Context } from '@temporalio/activity';
import type { RetentionActivities } from '../workflows/retention-api';
import { eraseExpired, type ErasableKeys } from './erasure';

export interface RetentionSettings {
  readonly participantKeys: ErasableKeys;
  readonly erasureLogPath: string;
  readonly retentionDays: number;
}

export function createRetentionActivities(settings: RetentionSettings): RetentionActivities {
  return {
    async eraseExpiredParticipants(asOf: string) {
      const deps = { client: Context.current().client, keys: settings.participantKeys, logFile: settings.erasureLogPath };
      const result = await eraseExpired(deps, settings.retentionDays, new Date(asOf));
      Context.current().log.info('retention run', { erased: result.erased, kept: result.kept, retentionDays: settings.retentionDays });
      return result;
    },
  };
}
