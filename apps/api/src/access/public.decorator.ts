import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('squad:public');

/**
 * Opens a controller or route to everyone, whatever keys are configured (health probes). Every
 * other route is guarded by its HTTP method: reads by READ_API_KEYS, writes by API_KEYS.
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
