import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, UpcasterRegistry } from '@talent/event-store';

/** The registered upcasters; validated when the registry is built at boot. */
export function buildUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry();
}

export interface EventStoreModuleOptions {
  /** Group-commit statement slots for appends made without a transaction; 0 = off. Default 2. */
  appendSlots?: number;
}

const EVENT_STORE_OPTIONS = Symbol('EVENT_STORE_OPTIONS');

function createEventStore(dataSource: DataSource, options: EventStoreModuleOptions = {}): EventStore {
  const slots = options.appendSlots ?? 2;
  return new EventStore(dataSource, {
    upcasters: buildUpcasters(),
    coalescing: slots === 0 ? false : { maxInFlight: slots },
  });
}

/** The event store for the process; `forRoot` passes settings from the validated configuration. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      useFactory: (dataSource: DataSource, options?: EventStoreModuleOptions) =>
        createEventStore(dataSource, options),
      inject: [DataSource, { token: EVENT_STORE_OPTIONS, optional: true }],
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return { module: EventStoreModule, providers: [{ provide: EVENT_STORE_OPTIONS, useValue: options }] };
  }
}
