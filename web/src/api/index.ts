export * from './client';
export * from './endpoints';
export type * from './types';
export { ROLES } from './types';
