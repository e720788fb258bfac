// Public surface of the event store. Filled in by the event-store work.
export const eventStoreMigrations: Array<new () => unknown> = [];
export const eventStoreEntities: Array<new () => unknown> = [];
