import { EventStore, type JsonObject } from '@talent/event-store';
import {
  actorActivity,
  approvals,
  caseHistory,
  employeeTimeline,
  InvalidCursorError,
  InvalidFilterError,
  MAX_PAGE_SIZE,
  recordStreamSubjects,
  streamEventsAsOf,
  waiversGranted,
  type AuditEvent,
  type Page,
} from '@talent/audit';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { AuditFixture } from './fixtures.js';

const P1 = '0a1b2c3d-0000-4000-8000-000000000001'; // promotion for E1
const W1 = '0a1b2c3d-0000-4000-8000-000000000002'; // waiver for E1
const W2 = '0a1b2c3d-0000-4000-8000-000000000003'; // waiver for E2
const W3 = '0a1b2c3d-0000-4000-8000-000000000004'; // waiver for E2, denied
const T1 = '0a1b2c3d-0000-4000-8000-000000000005'; // transfer for E2
const O1 = '0a1b2c3d-0000-4000-8000-000000000006'; // role opening (no subject)
const UNKNOWN = '0a1b2c3d-0000-4000-8000-0000000000ff';

interface Spec {
  stream: string;
  streamType: string;
  type: string;
  at: string;
  actor: string;
  role: string;
  payload?: JsonObject;
  reason?: string;
  subjects?: string[];
}

/** The log, in append (= position) order. One backdated fact (the last) checks time vs log order. */
const LOG: Spec[] = [
  {
    stream: 'employee-E1',
    streamType: 'employee',
    type: 'Hired',
    at: '2026-01-05T09:00:00.000Z',
    actor: 'hr-1',
    role: 'hr',
    payload: { team: 'emea', level: 'IC2' },
  },
  {
    stream: 'employee-E2',
    streamType: 'employee',
    type: 'Hired',
    at: '2026-01-06T09:00:00.000Z',
    actor: 'hr-1',
    role: 'hr',
    payload: { team: 'apac', level: 'IC3' },
  },
  {
    stream: O1,
    streamType: 'opening',
    type: 'OpeningApproved',
    at: '2026-03-01T10:00:00.000Z',
    actor: 'lead-1',
    role: 'leadership',
  },
  {
    stream: 'employee-E1',
    streamType: 'employee',
    type: 'QuarterlyRatingRecorded',
    at: '2026-04-02T09:00:00.000Z',
    actor: 'mgr-1',
    role: 'manager',
    payload: { quarter: '2026Q1', technology: 'high' },
  },
  {
    stream: 'employee-E2',
    streamType: 'employee',
    type: 'QuarterlyRatingRecorded',
    at: '2026-04-03T09:00:00.000Z',
    actor: 'mgr-2',
    role: 'manager',
    payload: { quarter: '2026Q1' },
  },
  {
    stream: P1,
    streamType: 'promotion',
    type: 'PromotionRequested',
    at: '2026-04-10T08:00:00.000Z',
    actor: 'E1',
    role: 'employee',
    reason: 'I meet the requirements',
    payload: { employeeId: 'E1', target: 'IC3' },
    subjects: ['E1'],
  },
  {
    stream: P1,
    streamType: 'promotion',
    type: 'EligibilityChecked',
    at: '2026-04-10T08:00:01.000Z',
    actor: 'system',
    role: 'system',
    payload: { unmet: ['time-at-level'] },
  },
  {
    stream: W1,
    streamType: 'waiver',
    type: 'WaiverRequested',
    at: '2026-04-20T12:00:00.000Z',
    actor: 'mgr-1',
    role: 'manager',
    payload: { caseId: P1, requirementIds: ['time-at-level', 'peer-review'] },
    subjects: ['E1'],
  },
  {
    stream: W1,
    streamType: 'waiver',
    type: 'WaiverGranted',
    at: '2026-04-25T12:00:00.000Z',
    actor: 'lead-1',
    role: 'leadership',
    reason: 'urgent: EMEA lead left',
    payload: { caseId: P1, requirementIds: ['time-at-level', 'peer-review'] },
  },
  {
    stream: P1,
    streamType: 'promotion',
    type: 'PeerReviewRecorded',
    at: '2026-05-01T09:00:00.000Z',
    actor: 'mgr-1',
    role: 'manager',
    payload: { outcome: 'successful' },
  },
  {
    stream: W2,
    streamType: 'waiver',
    type: 'WaiverRequested',
    at: '2026-05-05T09:00:00.000Z',
    actor: 'mgr-2',
    role: 'manager',
    payload: { requirementIds: ['time-at-level'] },
    subjects: ['E2'],
  },
  {
    stream: W2,
    streamType: 'waiver',
    type: 'WaiverGranted',
    at: '2026-05-06T09:00:00.000Z',
    actor: 'lead-2',
    role: 'leadership',
    payload: { requirementIds: ['time-at-level'] },
  },
  {
    stream: W3,
    streamType: 'waiver',
    type: 'WaiverRequested',
    at: '2026-05-06T10:00:00.000Z',
    actor: 'mgr-2',
    role: 'manager',
    payload: { requirementIds: ['sme-count'] },
    subjects: ['E2'],
  },
  {
    stream: W3,
    streamType: 'waiver',
    type: 'WaiverDenied',
    at: '2026-05-07T09:00:00.000Z',
    actor: 'lead-1',
    role: 'leadership',
    reason: 'not urgent',
  },
  {
    stream: T1,
    streamType: 'transfer',
    type: 'TransferRequested',
    at: '2026-05-10T09:00:00.000Z',
    actor: 'E2',
    role: 'employee',
    subjects: ['E2'],
  },
  {
    stream: T1,
    streamType: 'transfer',
    type: 'TransferRejected',
    at: '2026-05-12T09:00:00.000Z',
    actor: 'lead-1',
    role: 'leadership',
    reason: 'no headcount, "maybe" next year\nask again',
  },
  {
    stream: P1,
    streamType: 'promotion',
    type: 'PromotionApproved',
    at: '2026-06-01T15:00:00.000Z',
    actor: 'lead-1',
    role: 'leadership',
    reason: 'strong case',
  },
  {
    stream: 'employee-E1',
    streamType: 'employee',
    type: 'DesignationGranted',
    at: '2026-06-02T09:00:00.000Z',
    actor: 'hr-1',
    role: 'hr',
  },
  {
    stream: P1,
    streamType: 'promotion',
    type: 'PromotionEffective',
    at: '2026-07-01T00:00:00.000Z',
    actor: 'system',
    role: 'system',
  },
  // backdated: recorded last, occurred in March
  {
    stream: 'employee-E1',
    streamType: 'employee',
    type: 'SmeSkillsetCertified',
    at: '2026-03-15T09:00:00.000Z',
    actor: 'mgr-1',
    role: 'manager',
    payload: { skillset: 'k8s' },
  },
];

type Indexed = Spec & { i: number };
const indexed: Indexed[] = LOG.map((s, i) => ({ ...s, i }));
const byLog = (xs: Indexed[]) => xs.map((x) => `${x.stream}#${x.type}`);
const byTime = (xs: Indexed[]) =>
  byLog([...xs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i)));
const keys = (items: AuditEvent[]) => items.map((e) => `${e.streamId}#${e.type}`);
const inPeriod = (from: string, to: string) => (x: Indexed) => x.at >= from && x.at < to;

/** Reads every page; fails on a duplicate or a page bigger than asked. */
async function drain<T extends AuditEvent>(
  read: (after: string | undefined) => Promise<Page<T>>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await read(after);
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (!page.nextCursor) break;
    expect(page.items.length).toBe(limit);
    after = page.nextCursor;
    if (pages > 1000) throw new Error('runaway paging');
  }
  expect(new Set(items.map((e) => e.position)).size).toBe(items.length);
  return { items, pages };
}

describe('audit queries', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(4);
    const f = new AuditFixture(new EventStore(db.dataSource));
    for (const s of LOG) {
      await f.append(
        s.stream,
        s.streamType,
        s.type,
        s.payload ?? {},
        f.meta(s.at, s.actor, s.role, s.reason),
        s.subjects,
      );
    }
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  describe('caseHistory', () => {
    it('returns every event of the case with who, when, why, what, version and chained hashes', async () => {
      const page = await caseHistory(db.dataSource, P1);
      expect(page.nextCursor).toBeNull();
      expect(keys(page.items)).toEqual(byLog(indexed.filter((x) => x.stream === P1)));
      expect(page.items.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      const [first, , , approved] = page.items;
      expect(first).toMatchObject({
        streamId: P1,
        streamType: 'promotion',
        type: 'PromotionRequested',
        actorId: 'E1',
        actorRole: 'employee',
        reason: 'I meet the requirements',
        occurredAt: '2026-04-10T08:00:00.000Z',
        payload: { employeeId: 'E1', target: 'IC3' },
        prevHash: null,
      });
      expect(first.correlationId).toMatch(/^corr-/);
      expect(Date.parse(first.recordedAt)).not.toBeNaN();
      expect(approved).toMatchObject({
        type: 'PromotionApproved',
        actorId: 'lead-1',
        actorRole: 'leadership',
        reason: 'strong case',
      });
      for (let i = 1; i < page.items.length; i++) {
        expect(page.items[i].prevHash).toBe(page.items[i - 1].hash);
        expect(page.items[i].hash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(page.items.every((e) => Number(e.position) > 0)).toBe(true);
    });

    it('pages without duplicates or gaps', async () => {
      for (const limit of [1, 2, 3]) {
        const { items, pages } = await drain(
          (after) => caseHistory(db.dataSource, P1, { after, limit }),
          limit,
        );
        expect(keys(items)).toEqual(byLog(indexed.filter((x) => x.stream === P1)));
        expect(pages).toBe(Math.ceil(5 / limit));
      }
    });

    it('is empty for a case with no events', async () => {
      await expect(caseHistory(db.dataSource, UNKNOWN)).resolves.toEqual({ items: [], nextCursor: null });
    });
  });

  describe('employeeTimeline', () => {
    it("merges the employee's facts and every case about them, in log order", async () => {
      const e1Streams = new Set(['employee-E1', P1, W1]);
      const page = await employeeTimeline(db.dataSource, 'E1', { limit: 100 });
      expect(keys(page.items)).toEqual(byLog(indexed.filter((x) => e1Streams.has(x.stream))));
      const positions = page.items.map((e) => Number(e.position));
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);

      const e2Streams = new Set(['employee-E2', W2, W3, T1]);
      const e2 = await employeeTimeline(db.dataSource, 'E2');
      expect(keys(e2.items)).toEqual(byLog(indexed.filter((x) => e2Streams.has(x.stream))));
    });

    it('filters by period [from, to) and pages without duplicates or gaps', async () => {
      const e1Streams = new Set(['employee-E1', P1, W1]);
      const from = '2026-03-15T09:00:00.000Z';
      const to = '2026-06-01T15:00:00.000Z';
      const expected = byLog(indexed.filter((x) => e1Streams.has(x.stream)).filter(inPeriod(from, to)));
      expect(expected.length).toBeGreaterThan(3);
      for (const limit of [1, 2, 4]) {
        const { items } = await drain(
          (after) => employeeTimeline(db.dataSource, 'E1', { from, to, after, limit }),
          limit,
        );
        expect(keys(items)).toEqual(expected);
      }
    });

    it('shows only the fact stream for an employee no case names', async () => {
      const page = await employeeTimeline(db.dataSource, 'E-nobody');
      expect(page.items).toEqual([]);
    });
  });

  describe('actorActivity', () => {
    it('returns what one actor did in a period, by time, paged', async () => {
      const from = '2026-03-01T00:00:00.000Z';
      const to = '2026-06-01T15:00:00.000Z'; // excludes the approval at exactly `to`
      const expected = byTime(indexed.filter((x) => x.actor === 'lead-1').filter(inPeriod(from, to)));
      expect(expected).toEqual([
        `${O1}#OpeningApproved`,
        `${W1}#WaiverGranted`,
        `${W3}#WaiverDenied`,
        `${T1}#TransferRejected`,
      ]);
      for (const limit of [1, 3, 500]) {
        const { items } = await drain(
          (after) => actorActivity(db.dataSource, 'lead-1', { from, to, after, limit }),
          limit,
        );
        expect(keys(items)).toEqual(expected);
        expect(items.every((e) => e.actorId === 'lead-1' && e.actorRole === 'leadership')).toBe(true);
      }
    });

    it('includes events recorded late but occurred in the period', async () => {
      const page = await actorActivity(db.dataSource, 'mgr-1', {
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
      });
      expect(keys(page.items)).toEqual(['employee-E1#SmeSkillsetCertified']);
      const year = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
      const { items } = await drain(
        (after) => actorActivity(db.dataSource, 'mgr-1', { ...year, after, limit: 1 }),
        1,
      );
      expect(items.map((e) => e.type)).toEqual([
        'SmeSkillsetCertified',
        'QuarterlyRatingRecorded',
        'WaiverRequested',
        'PeerReviewRecorded',
      ]);
    });
  });

  describe('approvals', () => {
    const from = '2026-01-01T00:00:00.000Z';
    const to = '2027-01-01T00:00:00.000Z';

    it('lists approvals, grants, denials and rejections on cases, by time, with the outcome', async () => {
      const decisions = indexed.filter(
        (x) => x.streamType !== 'employee' && /(Approved|Granted|Denied|Rejected)$/.test(x.type),
      );
      const page = await approvals(db.dataSource, { from, to });
      expect(keys(page.items)).toEqual(byTime(decisions));
      expect(page.items.map((a) => [a.type, a.actorId, a.outcome])).toEqual([
        ['OpeningApproved', 'lead-1', 'approve'],
        ['WaiverGranted', 'lead-1', 'approve'],
        ['WaiverGranted', 'lead-2', 'approve'],
        ['WaiverDenied', 'lead-1', 'deny'],
        ['TransferRejected', 'lead-1', 'deny'],
        ['PromotionApproved', 'lead-1', 'approve'],
      ]);
      // DesignationGranted on the employee fact stream is a fact, not a decision on a case
      expect(page.items.some((a) => a.streamType === 'employee')).toBe(false);
    });

    it('filters by approver and period, pages by time without duplicates or gaps', async () => {
      const p = { from: '2026-04-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z', approverId: 'lead-1' };
      const { items } = await drain((after) => approvals(db.dataSource, { ...p, after, limit: 1 }), 1);
      expect(items.map((a) => a.type)).toEqual(['WaiverGranted', 'WaiverDenied', 'TransferRejected']);
    });

    it('takes a custom vocabulary and stream types', async () => {
      const page = await approvals(db.dataSource, {
        from,
        to,
        vocabulary: { approve: ['DesignationGranted'], deny: [] },
        streamTypes: ['employee'],
      });
      expect(page.items.map((a) => [a.streamId, a.type, a.outcome])).toEqual([
        ['employee-E1', 'DesignationGranted', 'approve'],
      ]);
    });
  });

  describe('waiversGranted', () => {
    it('lists grants in the period with counts per requirement id', async () => {
      const result = await waiversGranted(db.dataSource, {
        from: '2026-04-01T00:00:00.000Z',
        to: '2026-06-01T00:00:00.000Z',
      });
      expect(result.total).toBe(2);
      expect(result.items.map((w) => [w.streamId, w.actorId, w.requirementIds])).toEqual([
        [W1, 'lead-1', ['time-at-level', 'peer-review']],
        [W2, 'lead-2', ['time-at-level']],
      ]);
      expect(result.byRequirement).toEqual([
        { requirementId: 'time-at-level', count: 2 },
        { requirementId: 'peer-review', count: 1 },
      ]);
    });

    it('counts over the whole period even when the page is smaller', async () => {
      const p = { from: '2026-04-26T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
      const page = await waiversGranted(db.dataSource, { ...p, limit: 1 });
      expect(page).toMatchObject({
        total: 1,
        nextCursor: null,
        byRequirement: [{ requirementId: 'time-at-level', count: 1 }],
      });
      const all = await waiversGranted(db.dataSource, {
        from: '2026-01-01T00:00:00Z',
        to: '2027-01-01T00:00:00Z',
        limit: 1,
      });
      expect(all.items).toHaveLength(1);
      expect(all.total).toBe(2);
      const next = await waiversGranted(db.dataSource, {
        from: '2026-01-01T00:00:00Z',
        to: '2027-01-01T00:00:00Z',
        limit: 1,
        after: all.nextCursor!,
      });
      expect(next.items.map((w) => w.streamId)).toEqual([W2]);
      expect(next.nextCursor).toBeNull();
    });
  });

  describe('streamEventsAsOf', () => {
    it('returns the events that had occurred by the instant, in stream order', async () => {
      const asOf = '2026-05-01T09:00:00.000Z'; // inclusive
      const events = await streamEventsAsOf(db.dataSource, P1, asOf);
      expect(events.map((e) => [e.version, e.type])).toEqual([
        [1, 'PromotionRequested'],
        [2, 'EligibilityChecked'],
        [3, 'PeerReviewRecorded'],
      ]);
      const facts = await streamEventsAsOf(db.dataSource, 'employee-E1', '2026-03-31T00:00:00.000Z');
      expect(facts.map((e) => e.type)).toEqual(['Hired', 'SmeSkillsetCertified']);
      expect(await streamEventsAsOf(db.dataSource, P1, '2026-01-01T00:00:00.000Z')).toEqual([]);
    });

    it('can answer what the system knew (recorded_at) instead', async () => {
      const before = await streamEventsAsOf(db.dataSource, 'employee-E1', new Date(0), { basis: 'recorded' });
      expect(before).toEqual([]);
      const now = await streamEventsAsOf(db.dataSource, 'employee-E1', new Date(Date.now() + 60_000), {
        basis: 'recorded',
      });
      expect(now.map((e) => e.type)).toEqual([
        'Hired',
        'QuarterlyRatingRecorded',
        'DesignationGranted',
        'SmeSkillsetCertified',
      ]);
    });
  });

  describe('stream_subjects', () => {
    it('recordStreamSubjects is an idempotent upsert', async () => {
      await recordStreamSubjects(db.dataSource.manager, P1, ['E1', 'E1']);
      await recordStreamSubjects(db.dataSource.manager, P1, ['E1', 'E3']);
      const rows: Array<{ employee_id: string }> = await db.dataSource.query(
        'SELECT employee_id FROM stream_subjects WHERE stream_id = $1 ORDER BY employee_id',
        [P1],
      );
      expect(rows.map((r) => r.employee_id)).toEqual(['E1', 'E3']);
      const e3 = await employeeTimeline(db.dataSource, 'E3');
      expect(e3.items.map((e) => e.streamId)).toEqual([P1, P1, P1, P1, P1]);
      await db.dataSource.query(`DELETE FROM stream_subjects WHERE employee_id = 'E3'`);
    });
  });

  describe('bad input', () => {
    it('refuses garbled, foreign and mismatched cursors with InvalidCursorError', async () => {
      const first = await caseHistory(db.dataSource, P1, { limit: 2 });
      const cursor = first.nextCursor!;
      const bad = [
        'not a cursor!',
        'eyJ2IjoxfQ', // {"v":1}
        Buffer.from('garbage').toString('base64url'),
        Buffer.from(JSON.stringify({ v: 1, q: 'caseHistory', f: 'x', p: '1; DROP TABLE events' })).toString(
          'base64url',
        ),
      ];
      for (const after of bad) {
        await expect(caseHistory(db.dataSource, P1, { after })).rejects.toBeInstanceOf(InvalidCursorError);
      }
      // issued for another case
      await expect(caseHistory(db.dataSource, W1, { after: cursor })).rejects.toThrow(/different filters/);
      // issued by another query
      await expect(employeeTimeline(db.dataSource, 'E1', { after: cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      // issued for another period
      const a = await approvals(db.dataSource, {
        from: '2026-01-01T00:00:00Z',
        to: '2027-01-01T00:00:00Z',
        limit: 1,
      });
      await expect(
        approvals(db.dataSource, {
          from: '2026-01-01T00:00:00Z',
          to: '2026-12-01T00:00:00Z',
          after: a.nextCursor!,
        }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('refuses bad filters with InvalidFilterError, naming the field', async () => {
      const period = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
      const cases: Array<[() => Promise<unknown>, string]> = [
        [() => caseHistory(db.dataSource, 'not-a-uuid'), 'caseId'],
        [() => caseHistory(db.dataSource, P1, { limit: 0 }), 'limit'],
        [() => caseHistory(db.dataSource, P1, { limit: 1.5 }), 'limit'],
        [() => actorActivity(db.dataSource, 'lead-1', { from: 'yesterday', to: period.to }), 'from'],
        [() => actorActivity(db.dataSource, 'lead-1', { from: '2026-01-01', to: period.to }), 'from'],
        [() => actorActivity(db.dataSource, 'lead-1', { from: period.to, to: period.from }), 'to'],
        [() => actorActivity(db.dataSource, '', period), 'actorId'],
        [
          () => approvals(db.dataSource, { ...period, vocabulary: { approve: ["x' OR 1=1"], deny: [] } }),
          'vocabulary',
        ],
        [() => approvals(db.dataSource, { ...period, vocabulary: { approve: [], deny: [] } }), 'vocabulary'],
        [() => waiversGranted(db.dataSource, { from: period.from, to: new Date('nope') }), 'to'],
        [() => streamEventsAsOf(db.dataSource, P1, 'later'), 'asOf'],
        [() => employeeTimeline(db.dataSource, 'E1', { from: period.to, to: period.from }), 'to'],
      ];
      for (const [run, field] of cases) {
        const err: unknown = await run().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InvalidFilterError);
        expect((err as InvalidFilterError).field).toBe(field);
      }
    });

    it('caps the page size', async () => {
      const page = await actorActivity(db.dataSource, 'lead-1', {
        from: '2026-01-01T00:00:00Z',
        to: '2027-01-01T00:00:00Z',
        limit: 1_000_000,
      });
      expect(page.items.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
      expect(page.nextCursor).toBeNull();
    });
  });
});
