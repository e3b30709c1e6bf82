/**
 * Stands in for `@temporalio/workflow` in a test-only bundle (see
 * test/workflows/replay.test.ts): the patch `small-histories` counts as applied
 * without a marker, exactly the code as it would be had that one change been
 * made without `patched()`. Every other patch and everything else is the real SDK.
 */
import { deprecatePatch as realDeprecatePatch, patched as realPatched } from '@temporalio/workflow/lib/index';

export * from '@temporalio/workflow/lib/index';

const FORCED = 'small-histories';

export function patched(patchId: string): boolean {
  return patchId === FORCED || realPatched(patchId);
}

export function deprecatePatch(patchId: string): void {
  if (patchId !== FORCED) realDeprecatePatch(patchId);
}
