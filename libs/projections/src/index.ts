export * from './calendar';
export * from './bitemporal-history';
export * from './formations';
export * from './player.projection';
export * from './pursuit.projection';
export * from './projected-event';
export * from './squad-read-model';
export * from './queries';
