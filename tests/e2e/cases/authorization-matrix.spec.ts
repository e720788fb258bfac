import { jest } from '@jest/globals';
import { POLICY, type CaseType } from '@talent/workflows';
import {
  CREATION,
  iso,
  LADDER,
  startCaseWorld,
  TEAM,
  type CaseWorld,
  type PersonKey,
} from '../../support/case-world.js';

// jest's per-project testTimeout is not applied (it is a global option): set it for this file
jest.setTimeout(60_000);

/**
 * Authorization matrix over HTTP: every action of every case type (the rows are generated from
 * POLICY, so a new action fails this file until it has a row) x every role or relationship below.
 * The expected answer is NOT derived from POLICY: it is the hand-written table, read as an HR
 * person would read the policy. A denied cell must be a 403 and must write no event; an allowed
 * cell must not be a 403 (the stage may still refuse it with 409, or a rule with 400/422).
 *
 * Who each column is, per case (see tests/support/case-world.ts for the organisation):
 *   hr       hr-1                          aud   aud-1 (auditor)
 *   self     the case's employee (ce-1; ic-1 for designations; for openings ce-1, an employee of the team)
 *   oEmp     ce-2, an employee of the same team who is not the subject
 *   mgr      mgr-1, manager of the employee (a manager of team support for openings)
 *   oMgr     mgr-2, manager in team sales
 *   lead     lead-support, leadership of the employee's team (of the opening's team)
 *   oLead    lead-sales, leadership of an unrelated team
 *   rLead    lead-platform, leadership of the receiving team of transfers
 *   req      who opened the case: mgr-1 (promotion, designation), ce-1 (transfer, their own),
 *            lead-support-2 (waiver: a second leader of the team), mgr-lead (opening: manager AND
 *            leadership of support), hr-1 (review cycle)
 *   sys      the system actor (scheduled jobs)
 */
const TABLE = `
                                  hr aud self oEmp mgr oMgr lead oLead rLead req sys
promotion.read                    Y  Y   Y    .    Y   .    Y    .     .     Y   .
promotion.request                 .  .   Y    .    Y   .    .    .     .     Y   Y
promotion.checkEligibility        Y  .   .    .    Y   .    .    .     .     Y   Y
promotion.waiverRequested         .  .   .    .    .   .    .    .     .     .   Y
promotion.waiverDecided           .  .   .    .    .   .    .    .     .     .   Y
promotion.beginReview             Y  .   .    .    Y   .    .    .     .     Y   .
promotion.recordPeerReview        Y  .   .    .    Y   .    .    .     .     Y   .
promotion.recommend               .  .   .    .    Y   .    .    .     .     Y   .
promotion.enterCalibration        Y  .   .    .    Y   .    .    .     .     Y   .
promotion.approve                 Y  .   .    .    .   .    .    .     .     .   .
promotion.deny                    Y  .   .    .    .   .    .    .     .     .   .
promotion.leadershipApprove       .  .   .    .    .   .    Y    .     .     .   .
promotion.leadershipDeny          .  .   .    .    .   .    Y    .     .     .   .
promotion.reachEffectiveDate      .  .   .    .    .   .    .    .     .     .   Y
promotion.close                   Y  .   .    .    .   .    .    .     .     .   Y
promotion.withdraw                .  .   Y    .    Y   .    .    .     .     Y   .
designation.read                  Y  Y   Y    .    Y   .    Y    .     .     Y   .
designation.nominate              .  .   .    .    Y   .    .    .     .     Y   .
designation.beginPeerReview       Y  .   .    .    Y   .    .    .     .     Y   .
designation.recordPeerReview      Y  .   .    .    Y   .    .    .     .     Y   .
designation.approve               .  .   .    .    .   .    Y    .     .     .   .
designation.reject                .  .   .    .    .   .    Y    .     .     .   .
designation.end                   Y  .   .    .    Y   .    Y    .     .     Y   .
designation.withdraw              .  .   Y    .    Y   .    .    .     .     Y   .
opening.read                      Y  Y   Y    Y    Y   Y    Y    Y     Y     Y   Y
opening.draft                     Y  .   .    .    Y   .    .    .     .     Y   .
opening.submit                    Y  .   .    .    Y   .    .    .     .     Y   .
opening.approve                   .  .   .    .    .   .    Y    .     .     .   .
opening.reject                    .  .   .    .    .   .    Y    .     .     .   .
opening.remindApproval            .  .   .    .    .   .    .    .     .     .   Y
opening.approvalDeadlinePassed    .  .   .    .    .   .    .    .     .     .   Y
opening.escalationDeadlinePassed  .  .   .    .    .   .    .    .     .     .   Y
opening.invite                    Y  .   .    .    Y   .    .    .     .     Y   Y
opening.apply                     .  .   Y    Y    .   .    .    .     .     .   .
opening.closeApplicationWindow    Y  .   .    .    .   .    .    .     .     .   Y
opening.startInterviews           Y  .   .    .    Y   .    .    .     .     Y   .
opening.selectCandidate           Y  .   .    .    Y   .    .    .     .     Y   .
opening.fill                      Y  .   .    .    .   .    .    .     .     .   Y
opening.cancel                    Y  .   .    .    Y   .    .    .     .     Y   .
transfer.read                     Y  Y   Y    .    Y   .    Y    .     Y     Y   .
transfer.request                  .  .   Y    .    .   .    .    .     .     Y   .
transfer.acknowledge              .  .   .    .    Y   .    .    .     .     .   .
transfer.approve                  .  .   .    .    .   .    .    .     Y     .   .
transfer.reject                   .  .   .    .    .   .    .    .     Y     .   .
transfer.remindApproval           .  .   .    .    .   .    .    .     .     .   Y
transfer.approvalDeadlinePassed   .  .   .    .    .   .    .    .     .     .   Y
transfer.escalationDeadlinePassed .  .   .    .    .   .    .    .     .     .   Y
transfer.agreeEffectiveDate       Y  .   .    .    Y   .    .    .     Y     .   .
transfer.reachEffectiveDate       .  .   .    .    .   .    .    .     .     .   Y
transfer.complete                 Y  .   .    .    .   .    .    .     .     .   Y
transfer.withdraw                 .  .   Y    .    .   .    .    .     .     Y   .
waiver.read                       Y  Y   Y    .    Y   .    Y    .     .     Y   .
waiver.request                    Y  .   Y    .    Y   .    Y    .     .     Y   .
waiver.grant                      .  .   .    .    .   .    Y    .     .     .   .
waiver.deny                       .  .   .    .    .   .    Y    .     .     .   .
waiver.withdraw                   .  .   .    .    .   .    .    .     .     Y   .
waiver.remindApproval             .  .   .    .    .   .    .    .     .     .   Y
waiver.approvalDeadlinePassed     .  .   .    .    .   .    .    .     .     .   Y
waiver.escalationDeadlinePassed   .  .   .    .    .   .    .    .     .     .   Y
reviewCycle.read                  Y  Y   Y    Y    Y   Y    Y    Y     Y     Y   Y
reviewCycle.create                Y  .   .    .    .   .    .    .     .     Y   Y
reviewCycle.open                  Y  .   .    .    .   .    .    .     .     Y   Y
reviewCycle.nominationDeadlinePassed  .  .   .    .    .   .    .    .     .     .   Y
reviewCycle.startCalibration      Y  .   .    .    .   .    .    .     .     Y   .
reviewCycle.calibrationDeadlinePassed .  .   .    .    .   .    .    .     .     .   Y
reviewCycle.decide                Y  .   .    .    .   .    .    .     .     Y   .
reviewCycle.close                 Y  .   .    .    .   .    .    .     .     Y   .
reviewCycle.cancel                Y  .   .    .    .   .    .    .     .     Y   .
`;

const COLUMNS = ['hr', 'aud', 'self', 'oEmp', 'mgr', 'oMgr', 'lead', 'oLead', 'rLead', 'req', 'sys'] as const;
type Column = (typeof COLUMNS)[number];

function parseTable(text: string): Map<string, Set<Column>> {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const header = lines[0].trim().split(/\s+/);
  expect(header).toEqual([...COLUMNS]);
  const rows = new Map<string, Set<Column>>();
  for (const line of lines.slice(1)) {
    const [key, ...cells] = line.trim().split(/\s+/);
    expect({ key, cells: cells.length }).toEqual({ key, cells: COLUMNS.length });
    expect(cells.every((c) => c === 'Y' || c === '.')).toBe(true);
    rows.set(key, new Set(COLUMNS.filter((_, i) => cells[i] === 'Y')));
  }
  return rows;
}

/** Who each column is for a case type. */
function personFor(caseType: CaseType, column: Column): PersonKey {
  switch (column) {
    case 'hr':
      return 'hr';
    case 'aud':
      return 'auditor';
    case 'self':
      return caseType === 'designation' ? 'icEmployee' : 'employee';
    case 'oEmp':
      return 'otherEmployee';
    case 'mgr':
      return 'manager';
    case 'oMgr':
      return 'otherManager';
    case 'lead':
      return 'leadership';
    case 'oLead':
      return 'otherLeadership';
    case 'rLead':
      return 'receivingLeadership';
    case 'sys':
      return 'system';
    case 'req':
      return REQUESTER[caseType];
  }
}

const REQUESTER: Record<CaseType, PersonKey> = {
  promotion: 'manager',
  designation: 'manager',
  opening: 'managerLeader',
  transfer: 'employee',
  waiver: 'leadership2',
  reviewCycle: 'hr',
};

const DAY = 86_400_000;
function creationBody(caseType: CaseType, w: CaseWorld): Record<string, unknown> {
  const now = Date.now();
  switch (caseType) {
    case 'promotion':
      return { employeeId: 'ce-1', targetRoleId: 'senior-engineer' };
    case 'designation':
      return { employeeId: 'ic-1', designationId: 'regional-team-lead' };
    case 'opening':
      return {
        team: TEAM.home,
        roleId: 'team-lead',
        frameworkId: LADDER,
        justification: 'APAC coverage needs a team lead for four new hires',
      };
    case 'transfer':
      return { employeeId: 'ce-1', toTeam: TEAM.receiving };
    case 'waiver':
      return {
        subjectCaseId: w.subjectPromotionId,
        requirementIds: ['time-at-level-1'],
        urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
      };
    case 'reviewCycle':
      return {
        name: 'Matrix cycle',
        frameworkId: LADDER,
        nominationDeadline: iso(now + 30 * DAY),
        calibrationDeadline: iso(now + 60 * DAY),
      };
  }
}

/** A payload each action accepts, so the request reaches the authorization check. */
function payloadFor(caseType: CaseType, action: string, w: CaseWorld): Record<string, unknown> {
  const later = iso(Date.now() + 30 * DAY);
  const today = iso(Date.now()).slice(0, 10);
  const payloads: Record<string, Record<string, Record<string, unknown>>> = {
    promotion: {
      waiverRequested: { waiverId: 'matrix-waiver', requirementIds: ['time-at-level-1'] },
      waiverDecided: { waiverId: 'matrix-waiver', outcome: 'granted', requirementIds: ['time-at-level-1'] },
      recordPeerReview: { outcome: 'passed' },
      recommend: { summary: 'ready' },
      enterCalibration: { cycleId: w.cycleId },
      approve: { effectiveDate: later },
    },
    designation: {
      recordPeerReview: { outcome: 'passed' },
      approve: { startDate: today },
      end: { endDate: today },
    },
    opening: {
      approve: { applicationWindowClosesAt: later },
      invite: { employeeIds: ['ce-2'] },
      selectCandidate: { employeeId: 'ce-2' },
    },
    transfer: { agreeEffectiveDate: { effectiveDate: later } },
    waiver: {},
    reviewCycle: {},
  };
  return payloads[caseType]?.[action] ?? {};
}

const EXPECTED = parseTable(TABLE);
const CASE_TYPES = Object.keys(POLICY) as CaseType[];

describe('authorization matrix over HTTP (every action x every role and relationship)', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await startCaseWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('has exactly one expectation row per POLICY action', () => {
    const fromPolicy = CASE_TYPES.flatMap((t) => Object.keys(POLICY[t]).map((a) => `${t}.${a}`)).sort();
    expect([...EXPECTED.keys()].sort()).toEqual(fromPolicy);
  });

  const open = async (caseType: CaseType): Promise<string> => {
    const res = await w.c.open(
      CREATION[caseType].path,
      w.people[REQUESTER[caseType]],
      creationBody(caseType, w),
    );
    expect({ caseType, status: res.status, body: res.body }).toMatchObject({ caseType, status: 201 });
    return res.body.caseId as string;
  };

  const rows = CASE_TYPES.flatMap((t) => Object.keys(POLICY[t]).map((a) => [t, a] as const));

  it.each(rows)('%s.%s', async (caseType, action) => {
    const allowed = EXPECTED.get(`${caseType}.${action}`) ?? new Set<Column>();
    const isCreation = action === CREATION[caseType].action;
    const caseId = isCreation ? undefined : await open(caseType);
    const outcomes: Array<{ column: Column; expected: 'allow' | 'deny'; got: number; wrote: number }> = [];
    for (const column of COLUMNS) {
      const who = w.people[personFor(caseType, column)];
      const before = await w.eventCount();
      const res =
        action === 'read'
          ? await w.c.get(caseId!, who)
          : isCreation
            ? await w.c.open(CREATION[caseType].path, who, creationBody(caseType, w))
            : await w.c.act(caseId!, action, who, payloadFor(caseType, action, w));
      const wrote = (await w.eventCount()) - before;
      // never a server error, never an authentication problem: these are all valid tokens
      expect({ column, status: res.status, body: res.body }).toMatchObject({ column });
      expect(res.status).toBeLessThan(500);
      expect(res.status).not.toBe(401);
      if (res.status === 403) {
        expect(typeof res.body.message).toBe('string');
        expect(wrote).toBe(0);
      }
      outcomes.push({ column, expected: allowed.has(column) ? 'allow' : 'deny', got: res.status, wrote });
    }
    const got = outcomes.map((o) => ({ column: o.column, result: o.got === 403 ? 'deny' : 'allow' }));
    expect(got).toEqual(outcomes.map((o) => ({ column: o.column, result: o.expected })));
  });

  it('refuses self-approval explicitly: the requester of a waiver or opening who is also a leader', async () => {
    const waiverId = await open('waiver');
    const own = await w.c.act(waiverId, 'grant', w.people.leadership2, {});
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('SELF_APPROVAL');
    const openingId = await open('opening');
    expect((await w.c.act(openingId, 'submit', w.people.managerLeader)).status).toBe(200);
    const ownOpening = await w.c.act(openingId, 'approve', w.people.managerLeader, {
      applicationWindowClosesAt: iso(Date.now() + 30 * DAY),
    });
    expect(ownOpening.status).toBe(403);
    expect(ownOpening.body.code).toBe('SELF_APPROVAL');
    // another leader of the team may
    const other = await w.c.act(openingId, 'approve', w.people.leadership, {
      applicationWindowClosesAt: iso(Date.now() + 30 * DAY),
    });
    expect(other.status).toBe(200);
    expect(other.body.stage).toBe('open');
  });
});

describe('GET /cases lists exactly the cases each caller may read', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await startCaseWorld();
    // one case of each type, opened by its usual requester
    for (const t of CASE_TYPES) {
      const res = await w.c.open(CREATION[t].path, w.people[REQUESTER[t]], creationBody(t, w));
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await w.close();
  });

  // the system actor is left out: it lists every case (it sees all) but may GET only openings and
  // cycles (POLICY grants it no read of employee cases; its jobs read through the repositories)
  const everyone: PersonKey[] = [
    'hr',
    'auditor',
    'employee',
    'otherEmployee',
    'icEmployee',
    'manager',
    'otherManager',
    'leadership',
    'leadership2',
    'otherLeadership',
    'receivingLeadership',
    'managerLeader',
  ];

  it.each(everyone)('%s: the list and GET /cases/{id} agree', async (who) => {
    const person = w.people[who];
    const all: Array<{ case_id: string; case_type: string }> = await w.api.db.dataSource.query(
      'SELECT case_id, case_type FROM cases ORDER BY case_id',
    );
    const listed = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await w.c.list(`limit=200${cursor ? `&cursor=${cursor}` : ''}`, person);
      expect(res.status).toBe(200);
      for (const item of res.body.items as Array<{ caseId: string }>) listed.add(item.caseId);
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    const readable = new Set<string>();
    for (const row of all) if ((await w.c.get(row.case_id, person)).status === 200) readable.add(row.case_id);
    const describeSet = (ids: Set<string>) =>
      all.filter((r) => ids.has(r.case_id)).map((r) => `${r.case_type} ${r.case_id}`);
    expect({ who, listed: describeSet(listed) }).toEqual({ who, listed: describeSet(readable) });

    // "waiting on me" lists exactly the readable cases in which the caller has something to do
    // (actions anyone involved may always take — withdraw, cancel, close, end — do not count)
    const waiting = await w.c.list('limit=200&waitingOnMe=true', person);
    expect(waiting.status).toBe(200);
    const waitingIds = new Set((waiting.body.items as Array<{ caseId: string }>).map((i) => i.caseId));
    const actionable = new Set<string>();
    for (const id of readable) {
      const view = await w.c.get(id, person);
      const todo = (view.body.availableActions as string[]).filter(
        (a) => !['withdraw', 'cancel', 'close', 'end'].includes(a),
      );
      if (todo.length > 0) actionable.add(id);
    }
    // Exactly those: nothing missing, and nothing extra (a role token such as role:leadership@support
    // does not list a waiver for the leader who requested it, who may not decide it)
    expect({
      who,
      missing: describeSet(new Set([...actionable].filter((id) => !waitingIds.has(id)))),
      extra: describeSet(new Set([...waitingIds].filter((id) => !actionable.has(id)))),
    }).toEqual({ who, missing: [], extra: [] });
  });
});
