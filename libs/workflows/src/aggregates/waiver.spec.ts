import { describe, expect, it } from '@jest/globals';
import { waiver, type WaiverState } from './waiver.js';
import { ForbiddenError, InvalidInputError, StageConflictError, type DomainError } from '../errors.js';
import type { Actor } from '../common/types.js';
import { at, baseFacts, ctxFor, people, T0 } from '../testing/world.js';

const requestPayload = {
  employeeId: 'emp-1',
  subjectCaseType: 'promotion',
  subjectCaseId: 'p-1',
  targetRoleId: 'team-lead',
  requirementIds: ['time-at-level'],
  urgentNeed: 'The APAC team lead left; nobody else can lead the on-call rotation',
};

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

function requestedBy(actor: Actor): WaiverState {
  const events = waiver.decide(
    undefined,
    { type: 'request', caseId: 'w-1', payload: requestPayload },
    ctxFor(actor, T0),
  );
  return waiver.fold(events)!;
}

describe('requirement waiver', () => {
  it('a leader who requested a waiver may never grant it, even if the caller forgets to say who requested it', () => {
    const s = requestedBy(people.leadership);
    expect(s.requestedBy).toEqual({ by: 'lead-a', role: 'leadership', at: T0 });
    for (const action of ['grant', 'deny']) {
      for (const facts of [{ ...baseFacts, requesterId: 'lead-a' }, baseFacts]) {
        const err = thrown(() =>
          waiver.decide(
            s,
            { type: action, caseId: 'w-1', payload: {} },
            { ...ctxFor(people.leadership, at(1)), facts },
          ),
        );
        expect(err).toBeInstanceOf(ForbiddenError);
        expect(err.code).toBe('SELF_APPROVAL');
        expect(err.message).toContain('another');
      }
    }
    const events = waiver.decide(
      s,
      { type: 'grant', caseId: 'w-1', payload: { note: 'urgent' } },
      ctxFor(people.leadership2, at(1)),
    );
    expect(events[0]).toMatchObject({
      type: 'WaiverGranted',
      payload: {
        employeeId: 'emp-1',
        subjectCaseId: 'p-1',
        requirementIds: ['time-at-level'],
        note: 'urgent',
      },
      meta: { actorId: 'lead-a2', actorRole: 'leadership' },
    });
    const granted = waiver.fold(events, s)!;
    expect(granted.stage).toBe('granted');
    expect(granted.decision).toEqual({
      outcome: 'granted',
      by: 'lead-a2',
      role: 'leadership',
      at: at(1),
      note: 'urgent',
    });
  });

  it('the employee a waiver benefits cannot grant it', () => {
    const s = requestedBy(people.manager);
    const selfLeader: Actor = { userId: 'emp-1', roles: ['leadership', 'employee'], team: 'team-a' };
    expect(
      thrown(() => waiver.decide(s, { type: 'grant', caseId: 'w-1', payload: {} }, ctxFor(selfLeader, at(1))))
        .code,
    ).toBe('OWN_CASE_DECISION');
  });

  it('needs the urgent need stated and named requirements', () => {
    const err = thrown(() =>
      waiver.decide(
        undefined,
        {
          type: 'request',
          caseId: 'w-1',
          payload: { ...requestPayload, urgentNeed: 'pls', requirementIds: [] },
        },
        ctxFor(people.manager, T0),
      ),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues.map((i) => i.path).sort()).toEqual([
      'requirementIds',
      'urgentNeed',
    ]);
  });

  it('only the requester may withdraw it, and only while it is undecided', () => {
    const s = requestedBy(people.manager);
    expect(
      thrown(() =>
        waiver.decide(s, { type: 'withdraw', caseId: 'w-1', payload: {} }, ctxFor(people.employee, at(1))),
      ),
    ).toBeInstanceOf(ForbiddenError);
    const denied = waiver.fold(
      waiver.decide(s, { type: 'deny', caseId: 'w-1', payload: {} }, ctxFor(people.leadership, at(1))),
      s,
    )!;
    expect(denied.stage).toBe('denied');
    const late = thrown(() =>
      waiver.decide(denied, { type: 'withdraw', caseId: 'w-1', payload: {} }, ctxFor(people.manager, at(2))),
    );
    expect(late).toBeInstanceOf(StageConflictError);
    expect(late.message).toBe(
      "the requirement waiver is in stage 'denied'; 'withdraw' is only allowed in: requested, approvalEscalated",
    );
  });
});
