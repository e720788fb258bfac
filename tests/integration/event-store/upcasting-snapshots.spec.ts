import { jest } from '@jest/globals';
import {
  EventStore,
  InvalidAppendError,
  UpcasterRegistry,
  UpcasterRegistryError,
  type Reducer,
  type StoredEvent,
} from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev } from './fixtures.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

describe('upcasters', () => {
  it('validates the registry when it is built and names the broken type', () => {
    const noop = (p: Record<string, never>) => p;
    expect(() => new UpcasterRegistry([{ type: 'A', fromSchemaVersion: 1, upcast: noop }], { A: 3 })).toThrow(
      /"A": gap: no upcaster from v2/,
    );
    expect(
      () =>
        new UpcasterRegistry(
          [
            { type: 'B', fromSchemaVersion: 1, toSchemaVersion: 2, upcast: noop },
            { type: 'B', fromSchemaVersion: 2, toSchemaVersion: 1, upcast: noop },
          ],
          { B: 3 },
        ),
    ).toThrow(UpcasterRegistryError);
    expect(
      () =>
        new UpcasterRegistry([
          { type: 'C', fromSchemaVersion: 1, upcast: noop },
          { type: 'C', fromSchemaVersion: 1, toSchemaVersion: 3, upcast: noop },
        ]),
    ).toThrow(/"C": two upcasters from v1/);
    expect(
      () =>
        new UpcasterRegistry([{ type: 'D', fromSchemaVersion: 1, toSchemaVersion: 5, upcast: noop }], {
          D: 3,
        }),
    ).toThrow(/"D"/);
    const ok = new UpcasterRegistry(
      [
        { type: 'E', fromSchemaVersion: 1, upcast: noop },
        { type: 'E', fromSchemaVersion: 2, upcast: noop },
      ],
      { F: 4 },
    );
    expect(ok.latestVersion('E')).toBe(3);
    expect(ok.latestVersion('F')).toBe(4);
    expect(ok.latestVersion('unknown')).toBe(1);
  });
});

describe('EventStore reads with upcasters, snapshots', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(5);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('stores events at the version written and reads them upcasted to the latest', async () => {
    const v1Store = new EventStore(db.dataSource);
    await v1Store.append('emp-1', 'employee', 0, [
      ev('RatingRecorded', { quarter: '2025Q4', rating: 'high' }),
    ]);
    const registry = new UpcasterRegistry([
      // v1 -> v2: a single rating becomes per-competency ratings
      {
        type: 'RatingRecorded',
        fromSchemaVersion: 1,
        upcast: (p) => ({ quarter: p.quarter, ratings: { leadership: p.rating, business: p.rating } }),
      },
      // v2 -> v3: adds the technology competency, defaulting to the business rating
      {
        type: 'RatingRecorded',
        fromSchemaVersion: 2,
        upcast: (p) => {
          const ratings = p.ratings as Record<string, string>;
          return { ...p, ratings: { ...ratings, technology: ratings.business } };
        },
      },
    ]);
    const store = new EventStore(db.dataSource, { upcasters: registry });
    await store.append('emp-1', 'employee', 1, [
      ev(
        'RatingRecorded',
        { quarter: '2026Q1', ratings: { leadership: 'meets', business: 'high' } },
        { schemaVersion: 2 },
      ),
      ev('RatingRecorded', {
        quarter: '2026Q2',
        ratings: { leadership: 'high', business: 'high', technology: 'at-next-level' },
      }),
    ]);
    const events = await store.readStream('emp-1');
    expect(events.map((e) => [e.schemaVersion, e.payload])).toEqual([
      [3, { quarter: '2025Q4', ratings: { leadership: 'high', business: 'high', technology: 'high' } }],
      [3, { quarter: '2026Q1', ratings: { leadership: 'meets', business: 'high', technology: 'high' } }],
      [
        3,
        { quarter: '2026Q2', ratings: { leadership: 'high', business: 'high', technology: 'at-next-level' } },
      ],
    ]);
    const stored: Array<{ schema_version: number }> = await db.dataSource.query(
      `SELECT schema_version FROM events WHERE stream_id = 'emp-1' ORDER BY stream_version`,
    );
    expect(stored.map((r) => r.schema_version)).toEqual([1, 2, 3]);
    await expect(
      store.append('emp-1', 'employee', 3, [
        ev('RatingRecorded', { quarter: '2026Q3' }, { schemaVersion: 4 }),
      ]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(
      v1Store.append('emp-1', 'employee', 3, [ev('Other', {}, { schemaVersion: 2 })]),
    ).rejects.toThrow(/cannot be read back/);
    const all = await store.readAll(undefined, 10);
    expect(all.events.every((e) => e.schemaVersion === 3)).toBe(true);
    await expect(v1Store.verifyChains()).resolves.toMatchObject({ ok: true, eventsChecked: 3 });
  });

  it('folds from the latest snapshot of the same reducer version, and ignores other versions', async () => {
    const store = new EventStore(db.dataSource);
    for (let i = 0; i < 10; i++) await store.append('count-1', 'counter', i, [ev('Added', { n: i + 1 })]);
    const folded: number[] = [];
    const sum = (version: number, factor: number): Reducer<{ total: number }> => ({
      name: 'sum',
      version,
      initial: { total: 0 },
      evolve: (s, e: StoredEvent) => {
        folded.push(e.streamVersion);
        return { total: s.total + factor * (e.payload.n as number) };
      },
    });

    const first = await store.loadAggregate('count-1', sum(1, 1), { snapshotEvery: 5 });
    expect(first).toEqual({ state: { total: 55 }, version: 10, snapshotVersion: 0, eventsFolded: 10 });

    await store.append('count-1', 'counter', 10, [ev('Added', { n: 100 })]);
    folded.length = 0;
    const second = await store.loadAggregate('count-1', sum(1, 1), { snapshotEvery: 5 });
    expect(second).toEqual({ state: { total: 155 }, version: 11, snapshotVersion: 10, eventsFolded: 1 });
    expect(folded).toEqual([11]);

    // A new reducer version (different evolve) must not trust the v1 snapshot.
    folded.length = 0;
    const v2 = await store.loadAggregate('count-1', sum(2, 2), { snapshotEvery: 5 });
    expect(v2).toEqual({ state: { total: 310 }, version: 11, snapshotVersion: 0, eventsFolded: 11 });
    expect(folded).toHaveLength(11);
    const snaps: Array<{ reducer_version: number; stream_version: number; state: unknown }> =
      await db.dataSource.query(
        `SELECT reducer_version, stream_version, state FROM snapshots WHERE stream_id = 'count-1'`,
      );
    expect(snaps).toEqual([{ reducer_version: 2, stream_version: 11, state: { total: 310 } }]);

    // Snapshots are a disposable cache: dropping them changes nothing but the work done.
    await db.dataSource.query('DELETE FROM snapshots');
    await expect(store.loadAggregate('count-1', sum(2, 2))).resolves.toMatchObject({
      state: { total: 310 },
      version: 11,
    });
    await expect(store.loadAggregate('nobody', sum(1, 1))).resolves.toEqual({
      state: { total: 0 },
      version: 0,
      snapshotVersion: 0,
      eventsFolded: 0,
    });
  });
});
