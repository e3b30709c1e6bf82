/** Every side effect of the trajectory engine. */
export * from './notify';
