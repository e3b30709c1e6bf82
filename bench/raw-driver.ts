/**
 * A minimal worker over raw gRPC (the SDK's own service client): it answers each workflow task
 * with one long StartTimer command. The open-workflow benchmark uses it to put 100,000 workflows
 * on timers in minutes, which the full SDK worker would take far longer to do.
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';

const START_TIMER = temporal.api.enums.v1.CommandType.COMMAND_TYPE_START_TIMER;

export async function answerWithTimers(conn: Connection, taskQueue: string, count: number, pollers = 16): Promise<void> {
  let done = 0;
  const poller = async () => {
    while (done < count) {
      const task = await conn.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'raw-driver' });
      if (!task.taskToken?.length) continue;
      await conn.workflowService.respondWorkflowTaskCompleted({
        namespace: 'default',
        taskToken: task.taskToken,
        identity: 'raw-driver',
        commands: [{ commandType: START_TIMER, startTimerCommandAttributes: { timerId: '1', startToFireTimeout: { seconds: Long.fromNumber(3650 * 86400) } } }],
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: pollers }, poller));
}
