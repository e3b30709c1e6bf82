/** Every side effect of the trajectory engine. */
export * from './notify';
export * from './partner-registry';
export * from './least-data';
export * from './templates';
export * from './outcome';
export * from './webhook-signature';
export * from './webhook';
export * from './email';
export * from './delivery-log';
export * from './partner-delivery';
