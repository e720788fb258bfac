import { EventStore } from '@talent/event-store';
import { EXPORT_COLUMNS, exportRows, InvalidFilterError, verifyExport, type ExportRow } from '@talent/audit';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { AuditFixture, parseCsv, readAll } from './fixtures.js';

const CASE = '7d3c0c52-1111-4000-8000-000000000001';
const OTHER = '7d3c0c52-1111-4000-8000-000000000002';
const AWKWARD = 'no headcount, "maybe" next year\r\nask again; =SUM(A1)';

async function ndjson(ds: DataSource, streamId: string): Promise<string[]> {
  const { text } = await readAll(exportRows(ds, { kind: 'stream', streamId }, 'ndjson'));
  return text.split('\n').filter((l) => l !== '');
}

describe('audit exports', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(4);
    const f = new AuditFixture(new EventStore(db.dataSource));
    await f.append(
      CASE,
      'transfer',
      'TransferRequested',
      { from: 'emea', to: 'apac', note: ' padded ' },
      f.meta('2026-05-10T09:00:00.000Z', 'E2', 'employee'),
      ['E2'],
    );
    await f.append(
      OTHER,
      'promotion',
      'PromotionRequested',
      { target: 'IC3' },
      f.meta('2026-05-10T10:00:00.000Z', 'E1', 'employee'),
      ['E1'],
    );
    await f.append(
      CASE,
      'transfer',
      'TransferAcknowledged',
      {},
      f.meta('2026-05-11T09:00:00.000Z', 'mgr-2', 'manager'),
    );
    await f.append(
      CASE,
      'transfer',
      'TransferRejected',
      { quote: 'say "no"' },
      f.meta('2026-05-12T09:00:00.000Z', 'lead-1', 'leadership', AWKWARD),
    );
    await f.append(
      OTHER,
      'promotion',
      'PromotionWithdrawn',
      {},
      f.meta('2026-05-13T09:00:00.000Z', 'E1', 'employee', 'changed my mind'),
    );
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  it('writes RFC 4180 CSV: header, CRLF, quoted commas, quotes, newlines and edge spaces', async () => {
    const { text } = await readAll(exportRows(db.dataSource, { kind: 'caseHistory', caseId: CASE }, 'csv'));
    expect(text.startsWith(`${EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain('"no headcount, ""maybe"" next year\r\nask again; =SUM(A1)"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    const records = rows.slice(1).map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, r[i]])));
    expect(records.map((r) => [r.stream_id, r.version, r.type, r.actor_id, r.actor_role])).toEqual([
      [CASE, '1', 'TransferRequested', 'E2', 'employee'],
      [CASE, '2', 'TransferAcknowledged', 'mgr-2', 'manager'],
      [CASE, '3', 'TransferRejected', 'lead-1', 'leadership'],
    ]);
    expect(records[2].reason).toBe(AWKWARD);
    expect(records[1].reason).toBe('');
    expect(JSON.parse(records[0].payload)).toEqual({ from: 'emea', to: 'apac', note: ' padded ' });
    expect(JSON.parse(records[2].payload)).toEqual({ quote: 'say "no"' });
    expect(records[0].prev_hash).toBe('');
    expect(records[1].prev_hash).toBe(records[0].hash);
    expect(records.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });

  it('writes NDJSON a third party can verify offline with the store hash', async () => {
    const lines = await ndjson(db.dataSource, CASE);
    const rows = lines.map((l) => JSON.parse(l) as ExportRow);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(rows[2]).toMatchObject({
      stream_id: CASE,
      reason: AWKWARD,
      actor_id: 'lead-1',
      prev_hash: rows[1].hash,
    });
    const result = verifyExport(lines, { requireComplete: true });
    expect(result).toEqual({
      ok: true,
      eventsChecked: 3,
      streams: 1,
      complete: true,
      problems: [],
      incomplete: [],
    });
    // the same check the store runs on itself agrees
    await expect(new EventStore(db.dataSource).verifyChains({ streamId: CASE })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('detects an edited payload, a forged link, a removed event and a reordered chain', async () => {
    const lines = await ndjson(db.dataSource, CASE);
    const edit = (i: number, change: (r: ExportRow) => void) =>
      lines.map((l, j) => {
        if (j !== i) return l;
        const r = JSON.parse(l) as ExportRow;
        change(r);
        return JSON.stringify(r);
      });

    const edited = verifyExport(edit(2, (r) => (r.metadata.reason = 'approved after all')));
    expect(edited.ok).toBe(false);
    expect(edited.problems).toEqual([
      expect.objectContaining({ kind: 'hash-mismatch', line: 3, version: 3 }),
    ]);

    const payload = verifyExport(edit(0, (r) => (r.payload.to = 'amer')));
    expect(payload.problems.map((p) => p.kind)).toEqual(['hash-mismatch']);

    // rehashing the edited event alone still breaks the link to the next one
    const forged = verifyExport(edit(1, (r) => (r.hash = 'f'.repeat(64))));
    expect(forged.problems.map((p) => p.kind).sort()).toEqual(['broken-link', 'hash-mismatch']);

    const removed = [lines[0], lines[2]];
    expect(verifyExport(removed)).toMatchObject({
      ok: true,
      complete: false,
      incomplete: [expect.objectContaining({ kind: 'gap' })],
    });
    expect(verifyExport(removed, { requireComplete: true }).problems.map((p) => p.kind)).toEqual(['gap']);
    expect(verifyExport([lines[1], lines[2]], { requireComplete: true }).problems.map((p) => p.kind)).toEqual(
      ['starts-mid-stream'],
    );

    expect(verifyExport([lines[2], lines[0], lines[1]].join('\n'), { requireComplete: true }).ok).toBe(true);
    expect(verifyExport(['{not json', lines[0]]).problems.map((p) => [p.kind, p.line])).toEqual([
      ['malformed', 1],
    ]);
    expect(verifyExport([lines[0], lines[0]]).problems.map((p) => p.kind)).toEqual(['duplicate']);
  });

  it('exports a period across streams, each chain verifiable', async () => {
    const { text } = await readAll(
      exportRows(
        db.dataSource,
        { kind: 'period', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' },
        'ndjson',
        {
          pageSize: 2,
        },
      ),
    );
    const rows = text.trim().split('\n');
    expect(rows.map((l) => (JSON.parse(l) as ExportRow).type)).toEqual([
      'TransferRequested',
      'PromotionRequested',
      'TransferAcknowledged',
      'TransferRejected',
      'PromotionWithdrawn',
    ]);
    expect(verifyExport(rows, { requireComplete: true })).toMatchObject({
      ok: true,
      streams: 2,
      eventsChecked: 5,
    });
  });

  it('refuses bad export requests before streaming anything', () => {
    expect(() => exportRows(db.dataSource, { kind: 'caseHistory', caseId: 'x' }, 'csv')).toThrow(
      InvalidFilterError,
    );
    expect(() => exportRows(db.dataSource, { kind: 'stream', streamId: CASE }, 'xml' as 'csv')).toThrow(
      InvalidFilterError,
    );
    expect(() =>
      exportRows(db.dataSource, { kind: 'stream', streamId: CASE }, 'csv', { pageSize: 0 }),
    ).toThrow(InvalidFilterError);
    expect(() => exportRows(db.dataSource, { kind: 'nope' } as never, 'csv')).toThrow(InvalidFilterError);
  });

  describe('50,000 rows', () => {
    const N = 50_000;
    beforeAll(async () => {
      // Ties on occurred_at (3 events per microsecond) straddle page boundaries: the keyset must hold.
      await db.dataSource.query(
        `INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, payload, metadata,
                             occurred_at, prev_hash, hash)
         SELECT gen_random_uuid(), 'bulk-' || (i % 500), 'promotion', 1000 + i / 500, 'BulkRecorded', 1,
                jsonb_build_object('i', i, 'note', 'a, "quoted"' || chr(10) || 'line'),
                jsonb_build_object('actorId', 'bulk-actor', 'actorRole', 'system', 'occurredAt', '2025-01-01T00:00:00.000Z',
                                   'correlationId', 'c', 'causationId', 'c'),
                timestamptz '2025-01-01 00:00:00+00' + (i / 3) * interval '1 microsecond',
                NULL, sha256(i::text::bytea)
         FROM generate_series(0, ${N - 1}) AS i`,
      );
    }, 60_000);

    it('streams page by page: the first chunk arrives after one page, not after the whole query', async () => {
      let pagesFetched = 0;
      let pagesWhenFirstChunk = -1;
      let chunks = 0;
      let lines = 0;
      let last = '';
      let ordered = true;
      let maxChunk = 0;
      const stream = exportRows(
        db.dataSource,
        { kind: 'period', from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' },
        'ndjson',
        { pageSize: 1000, onPage: () => pagesFetched++ },
      );
      let rest = '';
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (chunks === 0) pagesWhenFirstChunk = pagesFetched;
        chunks++;
        maxChunk = Math.max(maxChunk, chunk.length);
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop()!;
        for (const p of parts) {
          const r = JSON.parse(p) as ExportRow;
          const key = `${r.occurred_at}|${r.position.padStart(20, '0')}`;
          if (key <= last) ordered = false;
          last = key;
          lines++;
        }
      }
      expect(rest).toBe('');
      expect(pagesWhenFirstChunk).toBe(1);
      expect(lines).toBe(N);
      expect(ordered).toBe(true);
      expect(pagesFetched).toBe(N / 1000); // each page reads one row more to know whether another follows
      expect(chunks).toBeGreaterThanOrEqual(N / 1000);
      expect(maxChunk).toBeLessThan(1000 * 600); // about one page per chunk, never the whole result
    }, 60_000);

    it('is one snapshot: an event appended while it streams is not in it', async () => {
      // 100 pages of one row: the Readable reads ahead a few pages only, so most are fetched after the append.
      let pagesFetched = 0;
      const stream = exportRows(db.dataSource, { kind: 'stream', streamId: 'bulk-7' }, 'ndjson', {
        pageSize: 1,
        onPage: () => pagesFetched++,
      });
      const iter = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      let text: string = ((await iter.next()).value as Buffer).toString();
      expect(pagesFetched).toBeLessThan(50);
      await new EventStore(db.dataSource).append('bulk-7', 'promotion', 'any', [
        {
          type: 'LateArrival',
          payload: {},
          metadata: {
            actorId: 'x',
            actorRole: 'hr',
            occurredAt: '2025-01-01T00:00:00.000Z',
            correlationId: 'c',
            causationId: 'c',
          },
        },
      ]);
      for (let r = await iter.next(); !r.done; r = await iter.next()) text += r.value.toString();
      const types = text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as ExportRow).type);
      expect(types).toHaveLength(100);
      expect(types).not.toContain('LateArrival');
      expect(pagesFetched).toBe(100);
      const again = await ndjson(db.dataSource, 'bulk-7');
      expect(again).toHaveLength(101);
      expect((JSON.parse(again[100]) as ExportRow).type).toBe('LateArrival');
    }, 60_000);

    it('reads no more than it needs and frees the connection when the consumer stops', async () => {
      const single = await db.connect(1);
      let pagesFetched = 0;
      const stream = exportRows(
        single,
        { kind: 'period', from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' },
        'csv',
        {
          pageSize: 500,
          onPage: () => pagesFetched++,
        },
      );
      const iter = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      const header = await iter.next();
      expect(header.value?.toString()).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
      const first = await iter.next();
      expect(parseCsv(first.value!.toString()).length).toBe(500);
      await new Promise((r) => setTimeout(r, 100));
      expect(pagesFetched).toBeLessThanOrEqual(3); // bounded read-ahead, not 100 pages
      await iter.return?.();
      // the only pooled connection is back: the export's transaction ended
      await expect(single.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
      const open: Array<{ n: number }> = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      expect(open[0].n).toBe(0);
    }, 60_000);
  });
});
