import { describe, expect, it } from '@jest/globals';
import { opening, type OpeningState } from './opening.js';
import { designation } from './designation.js';
import { transfer } from './transfer.js';
import { reviewCycle } from './review-cycle.js';
import { ForbiddenError, InvalidInputError, RequirementUnmetError, type DomainError } from '../errors.js';
import type { Actor, DecideContext } from '../common/types.js';
import { allMet, at, ctxFor, people, T0, timeUnmet } from '../testing/world.js';

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

function openOpening(): OpeningState {
  const run = (
    s: OpeningState | undefined,
    type: string,
    payload: unknown,
    who: Actor,
    ctx: Partial<DecideContext> = {},
  ) => opening.fold(opening.decide(s, { type, caseId: 'op-1', payload }, ctxFor(who, T0, ctx)), s)!;
  let s = run(
    undefined,
    'draft',
    {
      team: 'team-a',
      roleId: 'team-lead',
      frameworkId: 'ce',
      frameworkVersion: 1,
      justification: 'a second shift needs a lead',
    },
    people.manager,
  );
  s = run(s, 'submit', {}, people.manager);
  s = run(s, 'approve', { applicationWindowClosesAt: at(14) }, people.leadership);
  return run(s, 'invite', { employeeIds: ['emp-2'] }, people.system);
}

describe('role opening', () => {
  it('whoever submitted a documented need cannot approve it', () => {
    const drafterLeader: Actor = { userId: 'lead-a', roles: ['leadership', 'manager'], team: 'team-a' };
    let s = opening.fold(
      opening.decide(
        undefined,
        {
          type: 'draft',
          caseId: 'op-9',
          payload: {
            team: 'team-a',
            roleId: 'manager',
            frameworkId: 'ce',
            frameworkVersion: 1,
            justification: 'team grew to 9 people',
          },
        },
        ctxFor(drafterLeader, T0),
      ),
    )!;
    s = opening.fold(
      opening.decide(s, { type: 'submit', caseId: 'op-9', payload: {} }, ctxFor(drafterLeader, T0)),
      s,
    )!;
    const err = thrown(() =>
      opening.decide(
        s,
        { type: 'approve', caseId: 'op-9', payload: { applicationWindowClosesAt: at(9) } },
        ctxFor(drafterLeader, at(1)),
      ),
    );
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.code).toBe('SELF_APPROVAL');
  });

  it('invited employees apply once; others need to meet the requirements', () => {
    const s = openOpening();
    expect(s.stage).toBe('applications');
    expect(s.approval).toMatchObject({ decision: 'approved', by: 'lead-a' });
    const applied = opening.fold(
      opening.decide(s, { type: 'apply', caseId: 'op-1', payload: {} }, ctxFor(people.otherEmployee, at(1))),
      s,
    )!;
    expect(applied.applicants).toEqual([{ employeeId: 'emp-2', at: at(1) }]);
    expect(
      thrown(() =>
        opening.decide(
          applied,
          { type: 'apply', caseId: 'op-1', payload: {} },
          ctxFor(people.otherEmployee, at(2)),
        ),
      ).code,
    ).toBe('ALREADY_APPLIED');
    const notInvited = thrown(() =>
      opening.decide(
        applied,
        { type: 'apply', caseId: 'op-1', payload: {} },
        ctxFor(people.employee, at(2), { eligibility: timeUnmet }),
      ),
    );
    expect(notInvited).toBeInstanceOf(RequirementUnmetError);
    expect(
      opening.decide(
        applied,
        { type: 'apply', caseId: 'op-1', payload: {} },
        ctxFor(people.employee, at(2), { eligibility: allMet }),
      ),
    ).toHaveLength(1);
  });

  it('interviews need applicants, and only an applicant can be selected', () => {
    let s = openOpening();
    s = opening.fold(
      opening.decide(
        s,
        { type: 'closeApplicationWindow', caseId: 'op-1', payload: {} },
        ctxFor(people.hr, at(2)),
      ),
      s,
    )!;
    expect(s.stage).toBe('applicationWindowClosed');
    expect(
      thrown(() =>
        opening.decide(
          s,
          { type: 'startInterviews', caseId: 'op-1', payload: {} },
          ctxFor(people.manager, at(3)),
        ),
      ),
    ).toBeInstanceOf(RequirementUnmetError);

    let t = openOpening();
    t = opening.fold(
      opening.decide(t, { type: 'apply', caseId: 'op-1', payload: {} }, ctxFor(people.otherEmployee, at(1))),
      t,
    )!;
    t = opening.fold(
      opening.decide(
        t,
        { type: 'closeApplicationWindow', caseId: 'op-1', payload: {} },
        ctxFor(people.system, at(14)),
      ),
      t,
    )!;
    t = opening.fold(
      opening.decide(
        t,
        { type: 'startInterviews', caseId: 'op-1', payload: {} },
        ctxFor(people.manager, at(15)),
      ),
      t,
    )!;
    expect(
      thrown(() =>
        opening.decide(
          t,
          { type: 'selectCandidate', caseId: 'op-1', payload: { employeeId: 'emp-1' } },
          ctxFor(people.manager, at(16)),
        ),
      ).code,
    ).toBe('NOT_AN_APPLICANT');
    t = opening.fold(
      opening.decide(
        t,
        { type: 'selectCandidate', caseId: 'op-1', payload: { employeeId: 'emp-2', promotionCaseId: 'p-2' } },
        ctxFor(people.manager, at(16)),
      ),
      t,
    )!;
    const filled = opening.decide(
      t,
      { type: 'fill', caseId: 'op-1', payload: {} },
      ctxFor(people.hr, at(17)),
    );
    expect(filled[0]).toMatchObject({
      type: 'RoleOpeningFilled',
      payload: { employeeId: 'emp-2', roleId: 'team-lead', promotionCaseId: 'p-2' },
    });
  });

  it('the system may not close the application window before it is due', () => {
    const s = openOpening();
    expect(
      thrown(() =>
        opening.decide(
          s,
          { type: 'closeApplicationWindow', caseId: 'op-1', payload: {} },
          ctxFor(people.system, at(13)),
        ),
      ).code,
    ).toBe('NOT_DUE_YET');
  });
});

describe('team-lead designation', () => {
  const nominate = {
    employeeId: 'emp-1',
    designationId: 'regional-team-lead',
    frameworkId: 'ce',
    frameworkVersion: 1,
    team: 'team-a',
  };
  it('is only for someone who meets the designation requirements (422)', () => {
    const err = thrown(() =>
      designation.decide(
        undefined,
        { type: 'nominate', caseId: 'd-1', payload: nominate },
        ctxFor(people.manager, T0, { eligibility: timeUnmet }),
      ),
    );
    expect(err).toBeInstanceOf(RequirementUnmetError);
  });
  it('a failed peer review rejects the nomination; approval records who and when', () => {
    const run = (
      s: ReturnType<typeof designation.fold>,
      type: string,
      payload: unknown,
      who: Actor,
      d: number,
    ) => designation.fold(designation.decide(s, { type, caseId: 'd-1', payload }, ctxFor(who, at(d))), s)!;
    const nominated = run(undefined, 'nominate', nominate, people.manager, 0);
    const inReview = run(nominated, 'beginPeerReview', {}, people.manager, 1);
    expect(run(inReview, 'recordPeerReview', { outcome: 'failed' }, people.manager, 2).stage).toBe(
      'rejected',
    );
    const passed = run(inReview, 'recordPeerReview', { outcome: 'passed' }, people.hr, 2);
    const designated = run(passed, 'approve', { startDate: '2026-03-01' }, people.leadership, 3);
    expect(designated).toMatchObject({
      stage: 'designated',
      startDate: '2026-03-01',
      approval: { decision: 'approved', by: 'lead-a', at: at(3) },
    });
    expect(run(designated, 'end', { endDate: '2026-12-31' }, people.manager, 4)).toMatchObject({
      stage: 'ended',
      endDate: '2026-12-31',
    });
  });
});

describe('cross-team transfer', () => {
  const req = {
    type: 'request',
    caseId: 't-1',
    payload: { employeeId: 'emp-1', fromTeam: 'team-a', toTeam: 'team-b' },
  };
  it('needs the minimum tenure with the team, or a waiver of it, before the manager acknowledges (422); a different team (400)', () => {
    const tenureUnmet = {
      requirements: [
        { requirementId: 'team-tenure', status: 'unmet' as const, missing: '5 months more on team team-a' },
      ],
    };
    // the request is recorded (it is what a tenure waiver is requested against) ...
    const requested = transfer.fold(
      transfer.decide(undefined, req, ctxFor(people.employee, T0, { eligibility: tenureUnmet })),
    )!;
    expect(requested.stage).toBe('requested');
    // ... but the manager cannot acknowledge it while the tenure is unmet and not waived
    const ack = { type: 'acknowledge', caseId: 't-1', payload: {} };
    const err = thrown(() =>
      transfer.decide(requested, ack, ctxFor(people.manager, at(1), { eligibility: tenureUnmet })),
    );
    expect(err).toBeInstanceOf(RequirementUnmetError);
    expect(err.message).toContain('5 months more on team team-a');
    const waived = transfer.decide(
      requested,
      ack,
      ctxFor(people.manager, at(1), {
        eligibility: tenureUnmet,
        grantedWaivers: [{ waiverId: 'w-1', requirementIds: ['team-tenure'] }],
      }),
    );
    expect(waived.map((e) => e.type)).toEqual(['TransferAcknowledged']);
    const same = thrown(() =>
      transfer.decide(
        undefined,
        { ...req, payload: { ...req.payload, toTeam: 'team-a' } },
        ctxFor(people.employee, T0),
      ),
    );
    expect(same).toBeInstanceOf(InvalidInputError);
  });
  it('only the receiving team leadership approves', () => {
    const tenure = {
      eligibility: { requirements: [{ requirementId: 'team-tenure', status: 'met' as const }] },
    };
    let s = transfer.fold(transfer.decide(undefined, req, ctxFor(people.employee, T0, tenure)))!;
    s = transfer.fold(
      transfer.decide(
        s,
        { type: 'acknowledge', caseId: 't-1', payload: {} },
        ctxFor(people.manager, at(1), tenure),
      ),
      s,
    )!;
    expect(s.acknowledgedBy).toEqual({ by: 'mgr-1', role: 'manager', at: at(1) });
    expect(
      thrown(() =>
        transfer.decide(s, { type: 'approve', caseId: 't-1', payload: {} }, ctxFor(people.leadership, at(2))),
      ),
    ).toBeInstanceOf(ForbiddenError);
    const ok = transfer.fold(
      transfer.decide(
        s,
        { type: 'approve', caseId: 't-1', payload: {} },
        ctxFor(people.receivingLeadership, at(2)),
      ),
      s,
    )!;
    expect(ok.approval).toEqual({ decision: 'approved', by: 'lead-b', role: 'leadership', at: at(2) });
  });
});

describe('review cycle', () => {
  it('refuses deadlines in the wrong order (400)', () => {
    const err = thrown(() =>
      reviewCycle.decide(
        undefined,
        {
          type: 'create',
          caseId: 'c-1',
          payload: {
            name: 'H2',
            frameworkId: 'ce',
            frameworkVersion: 1,
            nominationDeadline: at(10),
            calibrationDeadline: at(5),
          },
        },
        ctxFor(people.hr, T0),
      ),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues[0].path).toBe('calibrationDeadline');
  });
  it('HR opens and closes cycles; managers may not', () => {
    const s = reviewCycle.fold(
      reviewCycle.decide(
        undefined,
        {
          type: 'create',
          caseId: 'c-1',
          payload: {
            name: 'H2',
            frameworkId: 'ce',
            frameworkVersion: 1,
            nominationDeadline: at(10),
            calibrationDeadline: at(20),
          },
        },
        ctxFor(people.hr, T0),
      ),
    )!;
    expect(s.timeZone).toBe('UTC');
    expect(reviewCycle.availableActions(s, people.hr, {})).toEqual(['open', 'cancel']);
    expect(reviewCycle.availableActions(s, people.system, {})).toEqual(['open']);
    expect(reviewCycle.availableActions(s, people.manager, {})).toEqual([]);
  });
});
