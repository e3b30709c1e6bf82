/** Responses with history are spliced from stored event bytes; they must decode as if encoded whole. */
import { encodeWithHistory, RAW_HISTORY } from '../../../devserver/state/raw-history';
import { encode, decode, timestamp } from '../../../devserver/proto';
import { EventType as E } from '../../../devserver/enums';

const HE = 'temporal.api.history.v1.HistoryEvent';
const POLL = 'temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse';

function events(n: number, dataBytes: number): Buffer[] {
  return Array.from({ length: n }, (_, i) =>
    encode(HE, {
      eventId: i + 1,
      eventTime: timestamp(1_790_000_000_000 + i),
      eventType: E.WORKFLOW_EXECUTION_SIGNALED,
      taskId: 1_048_576 + i,
      workflowExecutionSignaledEventAttributes: { signalName: 's', input: { payloads: [{ data: Buffer.alloc(dataBytes, i % 256) }] } },
    }),
  );
}

describe('encodeWithHistory', () => {
  it.each([
    ['no events', 0, 0],
    ['one small event', 1, 3],
    ['events past one-byte lengths', 40, 200],
    ['a history past two-byte lengths', 300, 100],
  ])('gives the bytes protobufjs gives for the decoded events: %s', (_name, n, size) => {
    const raw = events(n, size);
    const head = { taskToken: Buffer.from([1, 2, 3]), workflowExecution: { workflowId: 'w', runId: 'r' }, startedEventId: n, attempt: 1 };
    const spliced = encodeWithHistory(POLL, { ...head, [RAW_HISTORY]: raw });
    const whole = encode(POLL, { ...head, history: { events: raw.map((b) => decode(HE, b)) } });
    expect(spliced.equals(whole)).toBe(true);
    expect(decode(POLL, spliced).history.events.map((ev: { eventId: unknown }) => Number(ev.eventId))).toEqual(raw.map((_, i) => i + 1));
  });

  it('encodes a response without raw history as it is', () => {
    const obj = { taskToken: Buffer.from([9]), attempt: 2 };
    expect(encodeWithHistory(POLL, obj).equals(encode(POLL, obj))).toBe(true);
  });
});
