import { jest } from '@jest/globals';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { EventStore } from '@talent/event-store';
import { EventStoreModule } from '@talent/use-cases';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev } from './fixtures.js';

jest.setTimeout(60_000);

/**
 * EVENT_STORE_APPEND_SLOTS reaches the store the API and worker use: with group commit a burst of
 * appends to different streams shares commits (transaction ids), with 0 every append commits alone.
 */
describe('EventStoreModule settings', () => {
  let db: TestDatabase;
  const contexts: INestApplicationContext[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(12);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await db.drop();
  });

  async function storeWith(slots: number | undefined): Promise<EventStore> {
    const dataSource = db.dataSource;
    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
    class TestDatabaseModule {}
    @Module({
      imports: [
        TestDatabaseModule,
        slots === undefined ? EventStoreModule : EventStoreModule.forRoot({ appendSlots: slots }),
      ],
    })
    class RootModule {}
    const context = await NestFactory.createApplicationContext(RootModule, { logger: false });
    contexts.push(context);
    return context.get(EventStore);
  }

  async function commitsOfBurst(store: EventStore, prefix: string): Promise<number> {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.append(`${prefix}-${i}`, 'promotion', 0, [ev('Opened')])),
    );
    return new Set(results.map((r) => r.events[0].txId)).size;
  }

  it('shares commits with one slot, and by default', async () => {
    // the first append runs alone; the nine that arrive meanwhile leave together
    expect(await commitsOfBurst(await storeWith(1), 'one-slot')).toBe(2);
    expect(await commitsOfBurst(await storeWith(undefined), 'default')).toBeLessThanOrEqual(3);
  });

  it('commits every append alone with 0 slots', async () => {
    expect(await commitsOfBurst(await storeWith(0), 'no-slots')).toBe(10);
  });
});
