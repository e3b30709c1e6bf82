/** Starts the retention schedule (workflows/retention.ts) once per namespace; a running one is kept as it is. */
import type { Client } from '@temporalio/client';
import { RETENTION_WORKFLOW_ID, RETENTION_WORKFLOW_TYPE } from '../workflows/retention-api';

export async function startRetentionSchedule(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start(RETENTION_WORKFLOW_TYPE, {
    workflowId: RETENTION_WORKFLOW_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Bewaartermijn: wist dagelijks de persoonsgegevens van afgesloten trajecten na de bewaartermijn',
  });
}
