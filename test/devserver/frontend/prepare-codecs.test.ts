/**
 * The engine prepares protobufjs's encoders and decoders for the calls of a workflow when it
 * starts, in the background, instead of on the first workflow's calls.
 */
import type * as protobuf from 'protobufjs';
import { prepareCodecs } from '../../../devserver/proto';
import { workflowCallTypes } from '../../../devserver/frontend/server';

/** protobufjs puts the generated encoder on the type itself; before that, the prototype's stub sets it up. */
const prepared = (t: protobuf.Type) => Object.prototype.hasOwnProperty.call(t, 'encode');

function nested(t: protobuf.Type, into = new Set<protobuf.Type>()): Set<protobuf.Type> {
  if (into.has(t)) return into;
  into.add(t);
  for (const f of t.fieldsArray) {
    f.resolve();
    if (f.resolvedType && 'fieldsArray' in f.resolvedType) nested(f.resolvedType, into);
  }
  return into;
}

describe('prepareCodecs', () => {
  it('prepares the calls of a workflow and every message type inside them, without blocking the loop', async () => {
    const roots = workflowCallTypes();
    // A workflow's calls, and the worker's shutdown that `Worker.runUntil` waits for.
    expect(roots.map((t) => t.name)).toEqual(expect.arrayContaining(['RespondWorkflowTaskCompletedRequest', 'ShutdownWorkerRequest']));
    const all = new Set<protobuf.Type>();
    for (const t of roots) nested(t, all);
    expect(all.size).toBeGreaterThan(100);
    expect([...all].filter((t) => !prepared(t)).length).toBeGreaterThan(100);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    await prepareCodecs(roots);
    clearInterval(ticking);
    expect([...all].filter((t) => !prepared(t)).map((t) => t.fullName)).toEqual([]);
    // One type per turn: timers ran in between.
    expect(turns).toBeGreaterThan(0);
  });

  it('stops when told to', async () => {
    const roots = workflowCallTypes();
    let steps = 0;
    await prepareCodecs(roots, () => ++steps > 1);
    expect(steps).toBe(2);
  });
});
