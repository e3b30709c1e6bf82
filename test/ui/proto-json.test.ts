/** proto3 JSON as Temporal's UI server writes it, and back: the fields the UI's pages read. */
import { root } from '../../ui/gateway/proto';
import { formatDuration, formatTimestamp, fromJson, JsonMappingError, toJson } from '../../ui/gateway/proto-json';
import { canonical } from './canonical';

const HistoryEvent = root.lookupType('temporal.api.history.v1.HistoryEvent');
const Describe = root.lookupType('temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse');
const Status = root.lookupType('google.rpc.Status');

const b64 = (s: string) => Buffer.from(s).toString('base64');

function startedEvent() {
  return HistoryEvent.decode(
    HistoryEvent.encode(
      HistoryEvent.fromObject({
        eventId: '9007199254740993', // above 2^53: only a string keeps it
        eventTime: { seconds: 1700000000, nanos: 120000000 },
        eventType: 1,
        taskId: '1048577',
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: 'trajectory' },
          taskQueue: { name: 'tq', kind: 1 },
          input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }] },
          workflowRunTimeout: { seconds: 86400 },
          workflowTaskTimeout: { seconds: 10 },
          attempt: 1,
        },
      }),
    ).finish(),
  );
}

test('int64 as strings, enums by full name, payloads in base64, RFC 3339 times, durations in seconds', () => {
  const json = toJson(HistoryEvent, startedEvent() as never) as Record<string, any>;
  expect(json).toEqual({
    eventId: '9007199254740993',
    eventTime: '2023-11-14T22:13:20.120Z',
    eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
    taskId: '1048577',
    workflowExecutionStartedEventAttributes: {
      workflowType: { name: 'trajectory' },
      taskQueue: { name: 'tq', kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('{"a":1}') }] },
      workflowRunTimeout: '86400s',
      workflowTaskTimeout: '10s',
      attempt: 1,
    },
  });
});

test('the JSON goes back to the same message (round trip)', () => {
  const event = startedEvent();
  const back = fromJson(HistoryEvent, JSON.parse(JSON.stringify(toJson(HistoryEvent, event as never))));
  expect(canonical(HistoryEvent, back)).toEqual(canonical(HistoryEvent, event));
  expect(Buffer.from(HistoryEvent.encode(back).finish())).toEqual(Buffer.from(HistoryEvent.encode(event).finish()));
});

test('zero values and unset fields are left out; a set oneof member is kept even when empty', () => {
  const msg = Describe.fromObject({
    workflowExecutionInfo: { execution: { workflowId: 'w', runId: '' }, historyLength: 0, status: 0 },
    pendingActivities: [],
  });
  expect(toJson(Describe, msg as never)).toEqual({ workflowExecutionInfo: { execution: { workflowId: 'w' } } });
  const timerFired = HistoryEvent.fromObject({ eventId: 3, timerFiredEventAttributes: {} });
  expect(toJson(HistoryEvent, timerFired as never)).toEqual({ eventId: '3', timerFiredEventAttributes: {} });
});

test('timestamps and durations keep 0, 3, 6 or 9 fractional digits as Go writes them', () => {
  expect(formatTimestamp(0, 0)).toBe('1970-01-01T00:00:00Z');
  expect(formatTimestamp(1, 500_000_000)).toBe('1970-01-01T00:00:01.500Z');
  expect(formatTimestamp(1, 1_000)).toBe('1970-01-01T00:00:01.000001Z');
  expect(formatTimestamp(1, 1)).toBe('1970-01-01T00:00:01.000000001Z');
  expect(formatDuration(10, 0)).toBe('10s');
  expect(formatDuration(1, 500_000_000)).toBe('1.500s');
  expect(formatDuration(0, -1_000)).toBe('-0.000001s');
});

test('requests accept names as in the .proto, enum numbers and short enum names, url-safe base64', () => {
  const Req = root.lookupType('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest');
  const req = fromJson(Req, {
    namespace: 'default',
    execution: { workflow_id: 'w', runId: 'r' },
    maximumPageSize: '5',
    waitNewEvent: 'true',
    historyEventFilterType: 'CloseEvent',
    nextPageToken: Buffer.from([0xfb, 0xff]).toString('base64url'),
  }) as any;
  expect(req.execution.workflowId).toBe('w');
  expect(req.maximumPageSize).toBe(5);
  expect(req.waitNewEvent).toBe(true);
  expect(req.historyEventFilterType).toBe(2);
  expect([...req.nextPageToken]).toEqual([0xfb, 0xff]);
  expect((fromJson(Req, { historyEventFilterType: 'HISTORY_EVENT_FILTER_TYPE_ALL_EVENT' }) as any).historyEventFilterType).toBe(1);
  expect((fromJson(Req, { historyEventFilterType: 1 }) as any).historyEventFilterType).toBe(1);
});

test('timestamps and durations parse from their JSON forms', () => {
  const Start = root.lookupType('temporal.api.workflowservice.v1.StartWorkflowExecutionRequest');
  const req = fromJson(Start, { workflowRunTimeout: '1.5s', workflowStartDelay: '-0.000001s' }) as any;
  expect(String(req.workflowRunTimeout.seconds)).toBe('1');
  expect(req.workflowRunTimeout.nanos).toBe(500_000_000);
  expect(req.workflowStartDelay.nanos).toBe(-1_000);
  const Reset = root.lookupType('temporal.api.workflow.v1.WorkflowExecutionInfo');
  const info = fromJson(Reset, { startTime: '2024-02-29T23:59:59.25+01:00' }) as any;
  expect(toJson(Reset, info)).toEqual({ startTime: '2024-02-29T22:59:59.250Z' });
});

test('bad values are refused with the field named', () => {
  const Req = root.lookupType('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest');
  expect(() => fromJson(Req, { maximumPageSize: 'many' })).toThrow(new JsonMappingError('GetWorkflowExecutionHistoryRequest.maximumPageSize: invalid value "many" for int32'));
  expect(() => fromJson(Req, { historyEventFilterType: 'Sometimes' })).toThrow(/historyEventFilterType: invalid value "Sometimes"/);
  expect(() => fromJson(Req, { execution: 'w' })).toThrow(/execution: expected an object/);
});

test('google.rpc.Status details come out as Any with "@type" and the detail fields', () => {
  const NotFound = root.lookupType('temporal.api.errordetails.v1.NotFoundFailure');
  const status = Status.fromObject({
    code: 5,
    message: 'workflow not found',
    details: [{ type_url: 'type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure', value: NotFound.encode({ currentCluster: 'a', activeCluster: 'a' }).finish() }],
  });
  const json = toJson(Status, status as never);
  expect(json).toEqual({
    code: 5,
    message: 'workflow not found',
    details: [{ '@type': 'type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure', currentCluster: 'a', activeCluster: 'a' }],
  });
  expect(canonical(Status, fromJson(Status, json))).toEqual(canonical(Status, status));
});
