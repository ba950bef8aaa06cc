/** Injection token of the `EventStore` port; inject with `@Inject(EVENT_STORE)`. */
export const EVENT_STORE = Symbol('EVENT_STORE');
