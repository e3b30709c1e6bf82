/**
 * Durable storage for the embedded engine: an append-only log of opaque
 * records with group commit. See format.ts for the on-disk layout.
 */
export type { LogStore, StoredRecord, FileStoreOptions } from './types';
export { StoreFileError, StoreClosedError } from './errors';
export { openFileStore } from './fileStore';
export { openMemoryStore } from './memoryStore';
export { compactFileStore } from './compact';
export type { CompactResult, CompactOptions } from './compact';
