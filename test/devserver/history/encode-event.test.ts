/**
 * The hand-written history event encoder writes exactly the bytes of protobufjs's generated
 * HistoryEvent encoder, for every shape of event the engine builds and for the odd ones it may get.
 */
import Long from 'long';
import { encodeHistoryEvent } from '../../../devserver/history/encode-event';
import { encode, decode, timestamp, duration } from '../../../devserver/proto';
import { EventType as E } from '../../../devserver/enums';

const HE = 'temporal.api.history.v1.HistoryEvent';
const payloads = { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }] };
let taskId = 1_048_576;
const event = (type: number, key: string, attrs: object, extra: object = {}) => ({ eventTime: timestamp(1_790_000_000_123), eventType: type, taskId: taskId++, [key]: attrs, ...extra });

const cases: Array<[string, Record<string, unknown>]> = [
  ['workflow started', event(E.WORKFLOW_EXECUTION_STARTED, 'workflowExecutionStartedEventAttributes', {
    workflowType: { name: 'wf' }, parentWorkflowNamespace: '', parentWorkflowExecution: undefined, parentInitiatedEventId: 0,
    taskQueue: { name: 'q', kind: 1 }, input: payloads, workflowTaskTimeout: duration(10_000), originalExecutionRunId: 'r',
    identity: 'me', firstExecutionRunId: 'r', attempt: 1, cronSchedule: '', memo: undefined, header: { fields: {} }, workflowId: 'w',
    rootWorkflowExecution: { workflowId: 'w', runId: 'r' },
  }, { userMetadata: { summary: { data: Buffer.from('"s"') } } })],
  ['task scheduled', event(E.WORKFLOW_TASK_SCHEDULED, 'workflowTaskScheduledEventAttributes', { taskQueue: { name: 'q', kind: 2, normalName: 'n' }, startToCloseTimeout: duration(10_000), attempt: 1 })],
  ['task started', event(E.WORKFLOW_TASK_STARTED, 'workflowTaskStartedEventAttributes', { scheduledEventId: 2, identity: 'me', requestId: 'x', historySizeBytes: 300 })],
  ['task completed', event(E.WORKFLOW_TASK_COMPLETED, 'workflowTaskCompletedEventAttributes', { scheduledEventId: 2, startedEventId: 3, identity: 'me', binaryChecksum: '', sdkMetadata: { langUsedFlags: [1, 2, 3] } })],
  ['activity scheduled', event(E.ACTIVITY_TASK_SCHEDULED, 'activityTaskScheduledEventAttributes', {
    activityId: '1', activityType: { name: 'noop' }, taskQueue: { name: 'q', kind: 1 }, input: payloads, scheduleToCloseTimeout: duration(0),
    startToCloseTimeout: duration(10_000), retryPolicy: { initialInterval: duration(1000), backoffCoefficient: 2, maximumAttempts: 0, nonRetryableErrorTypes: [] },
    workflowTaskCompletedEventId: 4,
  })],
  ['big ids', { eventId: 2 ** 40 + 3, eventTime: { seconds: 2 ** 33, nanos: 999_999_999 }, eventType: E.TIMER_FIRED, version: 0, taskId: 2 ** 52, timerFiredEventAttributes: { timerId: 't', startedEventId: 2 ** 35 } }],
  ['no time, no attributes', { eventId: 1, eventType: E.WORKFLOW_EXECUTION_SIGNALED }],
  ['empty', {}],
  ['links and worker-may-ignore after the attributes', event(E.WORKFLOW_EXECUTION_SIGNALED, 'workflowExecutionSignaledEventAttributes', { signalName: 's', input: payloads }, { workerMayIgnore: true, links: [{ workflowEvent: { namespace: 'default', workflowId: 'w', runId: 'r' } }] })],
  ['Long ids', { eventId: Long.fromNumber(7), eventTime: { seconds: Long.fromNumber(5), nanos: 0 }, eventType: 1, taskId: Long.fromNumber(9) }],
  ['string ids', { eventId: '7', eventType: 1, taskId: '9' }],
  ['two attributes', { eventId: 1, eventType: 1, timerFiredEventAttributes: { timerId: 'a' }, timerCanceledEventAttributes: { timerId: 'b' } }],
  ['unknown key', { eventId: 1, eventType: 1, somethingElse: 3 }],
  ['null and undefined fields', { eventId: 1, eventTime: null, eventType: 1, taskId: undefined, timerFiredEventAttributes: null, activityTaskStartedEventAttributes: { scheduledEventId: 1, attempt: 2 } }],
];

describe('history event encoding', () => {
  test.each(cases)('%s: same bytes as the generated encoder', (_name, ev) => {
    const ours = Buffer.from(encodeHistoryEvent({ ...ev, eventId: ev.eventId ?? 5 }));
    const theirs = encode(HE, { ...ev, eventId: ev.eventId ?? 5 });
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });

  test('a decoded event (a message instance with prototype defaults) encodes as the generated encoder does', () => {
    const bytes = encode(HE, cases[4][1]);
    const decoded = decode(HE, bytes);
    expect(Buffer.from(encodeHistoryEvent(decoded)).toString('hex')).toBe(encode(HE, decoded).toString('hex'));
  });
});
