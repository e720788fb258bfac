import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, UpcasterRegistry } from '@talent/event-store';

/** The registered upcasters; validated when the registry is built at boot. */
export function buildUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry();
}

@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      useFactory: (dataSource: DataSource) => new EventStore(dataSource, { upcasters: buildUpcasters() }),
      inject: [DataSource],
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
