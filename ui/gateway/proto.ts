/**
 * The Temporal API as @temporalio/proto ships it: its protobufjs reflection root, with the
 * protobufjs copy that root was built with (instanceof checks need that very copy).
 */
import { createRequire } from 'node:module';
import type * as PB from 'protobufjs';

const fromProto = createRequire(require.resolve('@temporalio/proto'));
export const protobuf = fromProto('protobufjs') as typeof PB;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const root = require('@temporalio/proto/protos/root') as PB.Root;
