/** Test environments on the project's engine, started exactly as the SDK starts Temporal's servers. */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';

export const ENGINE = path.resolve(__dirname, '../../bin/temporal-devserver');

let runtimeInstalled = false;
/** Keep the SDK's own logs quiet in tests unless something goes wrong. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ENGINE } } });
}

export function devEnv(extra: { searchAttributes?: Parameters<typeof TestWorkflowEnvironment.createLocal>[0] extends infer O ? O extends { server?: infer S } ? S extends { searchAttributes?: infer A } ? A : never : never : never; extraArgs?: string[] } = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ENGINE },
      searchAttributes: extra.searchAttributes,
      extraArgs: extra.extraArgs,
    },
  });
}

export const WORKFLOWS = require.resolve('../devserver/workflows');
