/**
 * The failure converter of encrypted trajectories: a failure's message and stack trace travel in
 * its encoded attributes, a payload, so the payload codec encrypts them like everything else
 * (Temporal's recommendation with an encryption codec). Loaded by path: the workflow bundle and
 * every client and worker use this one module.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

/** For `bundleWorkflowCode` and `DataConverter.failureConverterPath`. */
export const FAILURE_CONVERTER_PATH = __filename;
