/** TestService: time skipping as @temporalio/testing drives it. */
import { failedPrecondition } from '../errors';
import { durationMs, timestamp, timestampMs } from '../proto';
import { Engine } from '../state/engine';
import { Handlers } from './server';

export function testHandlers(e: Engine): Handlers {
  const sleepUntil = (at: number) => new Promise<void>((resolve) => e.clock.schedule(at, resolve));
  return {
    LockTimeSkipping() {
      e.clock.lock();
      return {};
    },
    UnlockTimeSkipping() {
      if (!e.clock.unlock()) throw failedPrecondition('Time skipping is not locked: unlock without a matching lock.');
      return {};
    },
    async Sleep(req) {
      await sleepUntil(e.now() + durationMs(req.duration));
      return {};
    },
    async SleepUntil(req) {
      await sleepUntil(timestampMs(req.timestamp) ?? e.now());
      return {};
    },
    async UnlockTimeSkippingWithSleep(req) {
      if (!e.clock.unlock()) throw failedPrecondition('Time skipping is not locked: unlock without a matching lock.');
      await sleepUntil(e.now() + durationMs(req.duration));
      e.clock.lock();
      return {};
    },
    GetCurrentTime() {
      return { time: timestamp(e.now()) };
    },
  };
}
