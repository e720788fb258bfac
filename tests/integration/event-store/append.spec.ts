import { jest } from '@jest/globals';
import {
  ConcurrencyError,
  EventStore,
  IdempotencyConflictError,
  InvalidAppendError,
  deterministicEventId,
  type AppendResult,
} from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev, meta } from './fixtures.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

describe('EventStore.append', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.dataSource);
  });
  afterAll(async () => {
    await db.drop();
  });

  const count = async (streamId: string): Promise<number> => {
    const rows: Array<{ n: number }> = await db.dataSource.query(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0].n;
  };

  it('appends a new stream atomically and reads it back in order', async () => {
    const r = await store.append('case-1', 'promotion', 0, [
      ev('CaseRequested', { employeeId: 'e1' }),
      ev('EligibilityChecked', { ok: true }),
    ]);
    expect(r.duplicate).toBe(false);
    expect(r.streamVersion).toBe(2);
    expect(r.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(r.events[0].prevHash).toBeNull();
    expect(r.events[1].prevHash).toBe(r.events[0].hash);
    expect(BigInt(r.events[1].position)).toBeGreaterThan(BigInt(r.events[0].position));
    const read = await store.readStream('case-1');
    expect(read.map((e) => [e.type, e.streamVersion, e.eventId])).toEqual(
      r.events.map((e) => [e.type, e.streamVersion, e.eventId]),
    );
    expect(read[0].payload).toEqual({ employeeId: 'e1' });
    expect(read[0].metadata).toEqual(meta());
    expect(read[0].txId).toBe(read[1].txId);
    expect(await store.readStream('case-1', 2)).toHaveLength(1);
  });

  it('refuses a stale expected version with a typed error and writes nothing', async () => {
    await store.append('case-2', 'promotion', 0, [ev('A')]);
    const err = await store.append('case-2', 'promotion', 0, [ev('B'), ev('C')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect(err).toMatchObject({ streamId: 'case-2', expected: 0, actual: 1 });
    expect(await count('case-2')).toBe(1);
    await expect(store.append('case-2', 'promotion', 5, [ev('B')])).rejects.toMatchObject({
      actual: 1,
      expected: 5,
    });
    await expect(store.append('case-2', 'promotion', 'any', [ev('B')])).resolves.toMatchObject({
      streamVersion: 2,
    });
  });

  it('rejects malformed appends', async () => {
    await expect(store.append('x', 'promotion', 0, [])).rejects.toBeInstanceOf(InvalidAppendError);
    const id = deterministicEventId('cmd-dup', 0);
    await expect(
      store.append('x', 'promotion', 0, [ev('A', {}, { eventId: id }), ev('B', {}, { eventId: id })]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(
      store.append('x', 'promotion', 0, [ev('A', {}, { metadata: meta({ occurredAt: 'yesterday' }) })]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    expect(await count('x')).toBe(0);
  });

  // Coalescing off puts all 50 statements on the database at once (the race is PostgreSQL's); on, the
  // store sends one per stream per batch and the rest race through its slots.
  it.each([
    [1, 'off'],
    [2, 'off'],
    [1, 'on'],
  ] as const)(
    'lets 50 concurrent appends of %i event(s) with the same expected version produce exactly one success (coalescing %s)',
    async (size, coalescing) => {
      const wide = await db.connect(50);
      const wideStore = new EventStore(wide, coalescing === 'off' ? { coalescing: false } : {});
      const stream = `race-${size}-${coalescing}`;
      try {
        await wideStore.append(stream, 'promotion', 0, [ev('Opened')]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            wideStore.append(
              stream,
              'promotion',
              1,
              Array.from({ length: size }, () => ev('Moved', { writer: i })),
            ),
          ),
        );
        const ok = outcomes.filter(
          (o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled',
        );
        const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(49);
        for (const f of failed) {
          expect(f.reason).toBeInstanceOf(ConcurrencyError);
          expect(f.reason).toMatchObject({ streamId: stream, expected: 1, actual: 1 + size });
        }
        const events = await wideStore.readStream(stream);
        expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 1 + size }, (_, i) => i + 1));
        const winner = ok[0].value.events[0].payload.writer;
        expect(events.slice(1).map((e) => e.payload.writer)).toEqual(
          Array.from({ length: size }, () => winner),
        );
        const [{ n }] = await db.dataSource.query<Array<{ n: number }>>(
          'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
          [stream],
        );
        expect(n).toBe(1 + size);
      } finally {
        await wide.destroy();
      }
    },
  );

  it('treats a sequential retry with the same event ids as a duplicate returning the original', async () => {
    const events = [
      ev('CaseRequested', { n: 1 }, { eventId: deterministicEventId('cmd-seq', 0) }),
      ev('EligibilityChecked', { n: 2 }, { eventId: deterministicEventId('cmd-seq', 1) }),
    ];
    const first = await store.append('idem-1', 'promotion', 0, events);
    await store.append('idem-1', 'promotion', 2, [ev('Later')]);
    // Retried with a fresh clock and the stale expected version: still the original result.
    const retry = await store.append(
      'idem-1',
      'promotion',
      0,
      events.map((e) => ({ ...e, metadata: meta({ occurredAt: '2026-03-02T00:00:00Z' }) })),
    );
    expect(retry.duplicate).toBe(true);
    expect(retry.streamVersion).toBe(2);
    expect(retry.events.map((e) => [e.eventId, e.streamVersion, e.hash, e.position])).toEqual(
      first.events.map((e) => [e.eventId, e.streamVersion, e.hash, e.position]),
    );
    expect(await count('idem-1')).toBe(3);
  });

  it.each([1, 2])(
    'handles the same %i-event append racing itself: one write, every caller gets the original',
    async (size) => {
      const events = Array.from({ length: size }, (_, k) =>
        ev('CaseRequested', { k }, { eventId: deterministicEventId(`cmd-race-${size}`, k) }),
      );
      const stream = `idem-race-${size}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.append(stream, 'promotion', 0, events)),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const original = results.find((r) => !r.duplicate)!;
      for (const r of results) {
        expect(r.streamVersion).toBe(size);
        expect(r.events.map((e) => [e.position, e.hash])).toEqual(
          original.events.map((e) => [e.position, e.hash]),
        );
      }
      expect(await count(stream)).toBe(size);
    },
  );

  it('raises IdempotencyConflictError when an event id comes back with another stream or payload', async () => {
    const id = deterministicEventId('cmd-conflict', 0);
    await store.append('idem-3', 'promotion', 0, [ev('CaseRequested', { n: 1 }, { eventId: id })]);
    await expect(
      store.append('idem-3', 'promotion', 0, [ev('CaseRequested', { n: 2 }, { eventId: id })]),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(
      store.append('idem-4', 'promotion', 0, [ev('CaseRequested', { n: 1 }, { eventId: id })]),
    ).rejects.toMatchObject({ name: 'IdempotencyConflictError', eventId: id });
    expect(await count('idem-4')).toBe(0);
  });

  it('tells a retry from another request by the request fingerprint when both events carry one', async () => {
    const id = deterministicEventId('cmd-fingerprint', 0);
    const withHash = (requestHash: string) =>
      ev(
        'CaseWithdrawn',
        {},
        { eventId: id, metadata: meta({ requestHash, correlationId: `req-${requestHash}` }) },
      );
    const first = await store.append('idem-5', 'promotion', 0, [withHash('aaa')]);
    await expect(store.append('idem-5', 'promotion', 0, [withHash('aaa')])).resolves.toMatchObject({
      duplicate: true,
      events: [{ position: first.events[0].position, metadata: { requestHash: 'aaa' } }],
    });
    await expect(store.append('idem-5', 'promotion', 0, [withHash('bbb')])).rejects.toMatchObject({
      name: 'IdempotencyConflictError',
      eventId: id,
    });
    await expect(
      store.append('idem-6', 'promotion', 0, [ev('A', {}, { metadata: meta({ requestHash: '' }) })]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    expect(await count('idem-5')).toBe(1);
    expect(await count('idem-6')).toBe(0);
  });

  it('runs inline work in the append transaction and rolls both back together', async () => {
    await db.dataSource.query('CREATE TABLE inline_counts (stream_id text PRIMARY KEY, n int NOT NULL)');
    const inline = async (
      tx: import('typeorm').QueryRunner,
      stored: import('@talent/event-store').StoredEvent[],
    ) => {
      await tx.query(
        `INSERT INTO inline_counts VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET n = inline_counts.n + $2`,
        [stored[0].streamId, stored.length],
      );
    };
    await store.append('inl', 'promotion', 0, [ev('A'), ev('B')], { inline });
    await expect(
      store.append('inl', 'promotion', 2, [ev('C')], {
        inline: async (tx, stored) => {
          await inline(tx, stored);
          throw new Error('projection failed');
        },
      }),
    ).rejects.toThrow('projection failed');
    expect(await count('inl')).toBe(2);
    expect(await db.dataSource.query('SELECT n FROM inline_counts')).toEqual([{ n: 2 }]);
  });

  it("joins a caller's transaction and leaves it usable after a conflict", async () => {
    const qr = db.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await store.append('joined', 'promotion', 0, [ev('A')], { queryRunner: qr });
      await expect(
        store.append('joined', 'promotion', 0, [ev('B')], { queryRunner: qr }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      const second = await store.append('joined', 'promotion', 1, [ev('B')], { queryRunner: qr });
      expect(second.streamVersion).toBe(2);
      expect(await count('joined')).toBe(0); // not committed yet
      await qr.commitTransaction();
    } finally {
      await qr.release();
    }
    expect(await count('joined')).toBe(2);
  });
});
