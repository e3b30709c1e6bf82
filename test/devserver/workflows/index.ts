export * from './basics';
export * from './conformance-keys';
export * from './conformance-core';
export * from './conformance-children';
export * from './conformance-markers';
export * from './conformance-updates';
export * from './conformance-tasks';
export * from './conformance-activities';
