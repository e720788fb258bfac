import { EventStore, type NewEvent } from '@talent/event-store';
import { employeeTimeline, rebuildStreamSubjects, recordCaseSubjects } from '@talent/audit';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

const PROMO = '5e0c1f7a-2222-4000-8000-000000000001';
const OPENING = '5e0c1f7a-2222-4000-8000-000000000002';

const meta = (at: string) => ({
  actorId: 'mgr-1',
  actorRole: 'manager',
  occurredAt: at,
  correlationId: 'c',
  causationId: 'c',
});
const ev = (type: string, payload: NewEvent['payload'], at: string): NewEvent => ({
  type,
  payload,
  metadata: meta(at),
});

describe('stream_subjects read model', () => {
  let db: TestDatabase;
  let store: EventStore;
  const rows = async () =>
    (
      await db.dataSource.query<Array<{ stream_id: string; employee_id: string }>>(
        'SELECT stream_id, employee_id FROM stream_subjects ORDER BY stream_id, employee_id',
      )
    ).map((r) => `${r.stream_id}:${r.employee_id}`);

  beforeAll(async () => {
    db = await createTestDatabase(2);
    store = new EventStore(db.dataSource);
    const inline = {
      inline: (
        tx: Parameters<typeof recordCaseSubjects>[0],
        stored: Parameters<typeof recordCaseSubjects>[1],
      ) => recordCaseSubjects(tx, stored),
    };
    await store.append(
      'employee-E1',
      'employee',
      0,
      [ev('Hired', { employeeId: 'E1' }, '2026-01-01T00:00:00Z')],
      inline,
    );
    await store.append(
      PROMO,
      'promotion',
      0,
      [ev('PromotionRequested', { employeeId: 'E1' }, '2026-02-01T00:00:00Z')],
      inline,
    );
    await store.append(
      OPENING,
      'opening',
      0,
      [ev('RoleOpeningDrafted', { roleId: 'staff' }, '2026-02-02T00:00:00Z')],
      inline,
    );
    await store.append(
      OPENING,
      'opening',
      1,
      [
        ev('EligibleEmployeesInvited', { employeeIds: ['E1', 'E2', 'E3'] }, '2026-02-03T00:00:00Z'),
        ev('ApplicationReceived', { employeeId: 'E2' }, '2026-02-04T00:00:00Z'),
      ],
      inline,
    );
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  it('is written inline from the employees case events name', async () => {
    expect(await rows()).toEqual([`${PROMO}:E1`, `${OPENING}:E1`, `${OPENING}:E2`, `${OPENING}:E3`]);
    const e2 = await employeeTimeline(db.dataSource, 'E2');
    expect(e2.items.map((e) => e.type)).toEqual([
      'RoleOpeningDrafted',
      'EligibleEmployeesInvited',
      'ApplicationReceived',
    ]);
  });

  it('rebuilds from the log to the same rows', async () => {
    const before = await rows();
    await db.dataSource.query('DELETE FROM stream_subjects');
    await db.dataSource.query(`INSERT INTO stream_subjects VALUES ('junk', 'E9')`);
    expect(await rebuildStreamSubjects(db.dataSource)).toBe(before.length);
    expect(await rows()).toEqual(before);
  });
});
