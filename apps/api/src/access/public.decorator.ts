import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('squad:public');

/**
 * Opens a controller or route to everyone, whatever keys are configured (health probes). Every
 * other route is guarded by its HTTP method: reads by READ_API_KEYS, writes by API_KEYS.
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);

export const COUNTS_AS_READ = Symbol('squad:counts-as-read');

/**
 * Guards a controller or route as a read whatever its HTTP method: for POST and DELETE routes
 * that never change the store (creating and steering a replay, which reads history). They need a
 * read key when READ_API_KEYS is set, and are not counted against the write rate limit; what
 * they hold in memory is capped per client where they are handled.
 */
export const CountsAsRead = (): ClassDecorator & MethodDecorator => SetMetadata(COUNTS_AS_READ, true);
