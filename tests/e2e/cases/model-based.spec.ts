import { jest } from '@jest/globals';
import type { AnyStateMachine } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { CURRENT_MACHINE_VERSION, getMachine, type CaseType } from '@talent/workflows';
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
 * Model-based tests over HTTP: every simple path of every case machine (from `xstate/graph`) is
 * driven through the real API and PostgreSQL. Each machine event is mapped to the action, the actor
 * and the payload that produce it (timeouts are `system` actions carrying their timer payload, sent
 * once the fake clock has passed the deadline). After every step the `cases` read-model row and
 * `GET /cases/{id}` must both show the stage the machine predicts, at the version the response
 * returned; at the end the stream's versions are contiguous and a sample of actions the stage does
 * not accept is refused with 409 without writing.
 *
 * Simple paths do not explode for these machines (111 paths, about 370 steps in all); the cap below
 * only guards against a future machine that would.
 */
const MAX_PATHS_PER_MACHINE = 60;
const DAY = 86_400_000;

type View = { stage: string; version: number; state: Record<string, unknown> };
interface Step {
  action: string;
  who: PersonKey;
  body?: Record<string, unknown>;
  /** runs before the request (moves the clock past a deadline) */
  before?: () => void;
}
interface Model {
  name: string;
  caseType: CaseType;
  input?: unknown;
  /** stages no path of this variant can reach (guarded transitions) */
  unreachable?: string[];
  open(w: CaseWorld): { who: PersonKey; body: Record<string, unknown> };
  step(event: string, view: View, w: CaseWorld): Step;
  /** data-only self-transitions run on entering a stage (prerequisites of later steps) */
  onEnter?: Record<string, (view: View, w: CaseWorld) => Step>;
}

const deadlines = (v: View) => (v.state.deadlines ?? {}) as Record<string, string | string[] | undefined>;
const timer = (v: View, dueAt: string | undefined) => ({
  ...(dueAt ? { dueAt } : {}),
  forStageVersion: v.state.stageEnteredVersion as number,
});
/** the approval timers of openings (and of transfer@2 / waiver@2): system actions with the fake clock */
const approvalTimer = (event: string, v: View, w: CaseWorld): Step => {
  const d = deadlines(v);
  switch (event) {
    case 'REMIND_APPROVAL': {
      const reminders = (d.approvalReminders ?? []) as string[];
      const next = (v.state.remindersSent as number | undefined) ?? 0;
      return {
        action: 'remindApproval',
        who: 'system',
        body: { ...timer(v, reminders[next]), reminderNumber: next + 1 },
      };
    }
    case 'APPROVAL_DEADLINE_PASSED':
      return {
        action: 'approvalDeadlinePassed',
        who: 'system',
        body: timer(v, d.approvalDeadline as string),
        before: () => w.clock.passTo(d.approvalDeadline as string),
      };
    case 'ESCALATION_DEADLINE_PASSED':
      return {
        action: 'escalationDeadlinePassed',
        who: 'system',
        body: timer(v, d.escalationDeadline as string),
        before: () => w.clock.passTo(d.escalationDeadline as string),
      };
    default:
      throw new Error(`not an approval timer: ${event}`);
  }
};
const unmapped = (model: string, event: string): never => {
  throw new Error(`${model}: no mapping for machine event ${event}; add one to the model`);
};

function promotionModel(path: 'ic' | 'management'): Model {
  const name = `promotion (${path} path)`;
  return {
    name,
    caseType: 'promotion',
    input: { requiresLeadershipApproval: path === 'management' },
    // only management-path targets need a leadership approval after calibration
    unreachable: path === 'ic' ? ['leadershipApproval'] : [],
    open: (w) => ({
      who: 'manager',
      body:
        path === 'ic'
          ? { employeeId: 'ce-1', targetRoleId: 'senior-engineer' }
          : { employeeId: 'ce-1', targetRoleId: 'team-lead', openingId: w.openingId },
    }),
    step: (event, v, w) => {
      switch (event) {
        case 'CHECK_ELIGIBILITY':
          return { action: 'checkEligibility', who: 'manager' };
        case 'WAIVER_REQUESTED':
          return {
            action: 'waiverRequested',
            who: 'system',
            body: { waiverId: `waiver-of-${v.state.caseId as string}`, requirementIds: ['time-at-level-1'] },
          };
        case 'WAIVER_DECIDED':
          return {
            action: 'waiverDecided',
            who: 'system',
            body: {
              waiverId: v.state.pendingWaiverId ?? 'no-pending-waiver',
              outcome: 'granted',
              requirementIds: ['time-at-level-1'],
            },
          };
        case 'BEGIN_REVIEW':
          return { action: 'beginReview', who: 'manager' };
        case 'RECORD_PEER_REVIEW':
          return {
            action: 'recordPeerReview',
            who: 'manager',
            body: { outcome: 'passed', reviewers: ['ce-2'] },
          };
        case 'RECOMMEND':
          return { action: 'recommend', who: 'manager', body: { summary: 'Backstop for complex issues' } };
        case 'ENTER_CALIBRATION':
          return { action: 'enterCalibration', who: 'manager', body: { cycleId: w.cycleId } };
        case 'APPROVE':
          return { action: 'approve', who: 'hr', body: { effectiveDate: iso(Date.now() + 60_000) } };
        case 'DENY':
          return { action: 'deny', who: 'hr', body: { note: 'not yet' } };
        case 'LEADERSHIP_APPROVE':
          return { action: 'leadershipApprove', who: 'leadership' };
        case 'LEADERSHIP_DENY':
          return { action: 'leadershipDeny', who: 'leadership' };
        case 'EFFECTIVE_DATE_REACHED': {
          const due = v.state.effectiveDate as string;
          return {
            action: 'reachEffectiveDate',
            who: 'system',
            body: timer(v, due),
            before: () => w.clock.passTo(due),
          };
        }
        case 'CLOSE':
          return { action: 'close', who: 'hr' };
        case 'WITHDRAW':
          return { action: 'withdraw', who: 'employee' };
        default:
          return unmapped(name, event);
      }
    },
    onEnter: {
      evidenceAndPeerReview: () => ({
        action: 'recordPeerReview',
        who: 'manager',
        body: { outcome: 'passed', reviewers: ['ce-2'] },
      }),
    },
  };
}

const designationModel: Model = {
  name: 'team-lead designation',
  caseType: 'designation',
  open: () => ({ who: 'manager', body: { employeeId: 'ic-1', designationId: 'regional-team-lead' } }),
  step: (event) => {
    const today = iso(Date.now()).slice(0, 10);
    switch (event) {
      case 'BEGIN_PEER_REVIEW':
        return { action: 'beginPeerReview', who: 'manager' };
      case 'PEER_REVIEW_PASSED':
        return { action: 'recordPeerReview', who: 'hr', body: { outcome: 'passed', reviewers: ['ce-1'] } };
      case 'PEER_REVIEW_FAILED':
        return { action: 'recordPeerReview', who: 'manager', body: { outcome: 'failed' } };
      case 'APPROVE':
        return { action: 'approve', who: 'leadership', body: { startDate: today } };
      case 'REJECT':
        return { action: 'reject', who: 'leadership', body: { note: 'not now' } };
      case 'END':
        return { action: 'end', who: 'leadership', body: { endDate: today } };
      case 'WITHDRAW':
        return { action: 'withdraw', who: 'manager' };
      default:
        return unmapped('designation', event);
    }
  },
};

const openingModel: Model = {
  name: 'role opening',
  caseType: 'opening',
  open: () => ({
    who: 'manager',
    body: {
      team: TEAM.home,
      roleId: 'team-lead',
      frameworkId: LADDER,
      justification: 'APAC coverage needs a team lead for four new hires',
    },
  }),
  step: (event, v, w) => {
    const d = deadlines(v);
    switch (event) {
      case 'SUBMIT':
        return { action: 'submit', who: 'manager' };
      case 'APPROVE':
        return {
          action: 'approve',
          who: 'leadership',
          body: { applicationWindowClosesAt: iso(Date.now() + 10 * DAY) },
        };
      case 'REJECT':
        return { action: 'reject', who: 'leadership' };
      case 'REMIND_APPROVAL':
      case 'APPROVAL_DEADLINE_PASSED':
      case 'ESCALATION_DEADLINE_PASSED':
        return approvalTimer(event, v, w);
      case 'INVITE':
        return { action: 'invite', who: 'system', body: { employeeIds: ['ce-2'] } };
      case 'APPLY':
        return { action: 'apply', who: 'otherEmployee' };
      case 'APPLICATION_WINDOW_CLOSED':
        return {
          action: 'closeApplicationWindow',
          who: 'system',
          body: timer(v, d.applicationWindowClosesAt as string),
          before: () => w.clock.passTo(d.applicationWindowClosesAt as string),
        };
      case 'START_INTERVIEWS':
        return { action: 'startInterviews', who: 'manager' };
      case 'SELECT_CANDIDATE':
        return { action: 'selectCandidate', who: 'manager', body: { employeeId: 'ce-2' } };
      case 'FILL':
        return { action: 'fill', who: 'hr' };
      case 'CANCEL':
        return { action: 'cancel', who: 'manager', body: { note: 'budget moved' } };
      default:
        return unmapped('opening', event);
    }
  },
  onEnter: {
    // the first approval reminder fires (a timer), then the invited engineer applies
    submitted: (v, w) => openingModel.step('REMIND_APPROVAL', v, w),
    applications: () => ({ action: 'apply', who: 'otherEmployee' }),
  },
};

const transferModel: Model = {
  name: 'cross-team transfer',
  caseType: 'transfer',
  open: () => ({ who: 'employee', body: { employeeId: 'ce-1', toTeam: TEAM.receiving } }),
  step: (event, v, w) => {
    const d = deadlines(v);
    switch (event) {
      case 'ACKNOWLEDGE':
        return { action: 'acknowledge', who: 'manager' };
      case 'APPROVE':
        return { action: 'approve', who: 'receivingLeadership' };
      case 'REJECT':
        return { action: 'reject', who: 'receivingLeadership', body: { note: 'no headcount' } };
      case 'REMIND_APPROVAL':
      case 'APPROVAL_DEADLINE_PASSED':
      case 'ESCALATION_DEADLINE_PASSED':
        return approvalTimer(event, v, w);
      case 'AGREE_EFFECTIVE_DATE':
        return {
          action: 'agreeEffectiveDate',
          who: 'hr',
          body: { effectiveDate: iso(Date.now() + 7 * DAY) },
        };
      case 'EFFECTIVE_DATE_REACHED':
        return {
          action: 'reachEffectiveDate',
          who: 'system',
          body: timer(v, d.effectiveDate as string),
          before: () => w.clock.passTo(d.effectiveDate as string),
        };
      case 'COMPLETE':
        return { action: 'complete', who: 'system' };
      case 'WITHDRAW':
        return { action: 'withdraw', who: 'employee' };
      default:
        return unmapped('transfer', event);
    }
  },
  onEnter: {
    // the first approval reminder fires (a timer)
    acknowledgedByManager: (v, w) => transferModel.step('REMIND_APPROVAL', v, w),
  },
};

const waiverModel: Model = {
  name: 'requirement waiver',
  caseType: 'waiver',
  open: (w) => ({
    who: 'manager',
    body: {
      subjectCaseId: w.subjectPromotionId,
      requirementIds: ['time-at-level-1'],
      urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
    },
  }),
  step: (event, v, w) => {
    switch (event) {
      case 'REMIND_APPROVAL':
      case 'APPROVAL_DEADLINE_PASSED':
      case 'ESCALATION_DEADLINE_PASSED':
        return approvalTimer(event, v, w);
      case 'GRANT':
        return { action: 'grant', who: 'leadership', body: { note: 'urgent' } };
      case 'DENY':
        return { action: 'deny', who: 'leadership2' };
      case 'WITHDRAW':
        return { action: 'withdraw', who: 'manager' };
      default:
        return unmapped('waiver', event);
    }
  },
};

const reviewCycleModel: Model = {
  name: 'review cycle',
  caseType: 'reviewCycle',
  // deadlines already passed, so each timeout is due as soon as its stage is entered
  open: () => {
    const now = Date.now();
    return {
      who: 'hr',
      body: {
        name: 'Model cycle',
        frameworkId: LADDER,
        timeZone: 'Europe/Berlin',
        opensAt: iso(now - 3 * DAY),
        nominationDeadline: iso(now - 2 * DAY),
        calibrationDeadline: iso(now - DAY),
      },
    };
  },
  step: (event, v) => {
    const d = deadlines(v);
    switch (event) {
      case 'OPEN':
        return { action: 'open', who: 'system', body: timer(v, d.opensAt as string) };
      case 'NOMINATION_DEADLINE_PASSED':
        return {
          action: 'nominationDeadlinePassed',
          who: 'system',
          body: timer(v, d.nominationDeadline as string),
        };
      case 'START_CALIBRATION':
        return { action: 'startCalibration', who: 'hr' };
      case 'CALIBRATION_DEADLINE_PASSED':
        return {
          action: 'calibrationDeadlinePassed',
          who: 'system',
          body: timer(v, d.calibrationDeadline as string),
        };
      case 'DECIDE':
        return { action: 'decide', who: 'hr', body: { summary: 'calibrated' } };
      case 'CLOSE':
        return { action: 'close', who: 'hr' };
      case 'CANCEL':
        return { action: 'cancel', who: 'hr' };
      default:
        return unmapped('reviewCycle', event);
    }
  },
};

const MODELS: Model[] = [
  promotionModel('ic'),
  promotionModel('management'),
  designationModel,
  openingModel,
  transferModel,
  waiverModel,
  reviewCycleModel,
];

interface PathModel {
  label: string;
  target: string;
  steps: Array<{ event: string; stage: string }>;
}

function pathsOf(machine: AnyStateMachine, input: unknown): PathModel[] {
  return getSimplePaths(machine, input === undefined ? {} : { input })
    .map((p): PathModel => {
      const steps = p.steps
        .filter((s) => !String(s.event.type).startsWith('xstate.'))
        .map((s) => ({ event: String(s.event.type), stage: String(s.state.value) }));
      return {
        label: steps.map((s) => s.event).join(' > ') || '(created)',
        target: String(p.state.value),
        steps,
      };
    })
    .slice(0, MAX_PATHS_PER_MACHINE);
}

describe.each(MODELS)('$name: every simple path over HTTP and PostgreSQL', (model) => {
  const machine = getMachine(CURRENT_MACHINE_VERSION[model.caseType]);
  const paths = pathsOf(machine, model.input);
  const initial = machine.config.initial as string;
  let w: CaseWorld;

  beforeAll(async () => {
    w = await startCaseWorld();
    w.clock.install();
  });
  afterAll(async () => {
    w.clock.uninstall();
    await w.close();
  });

  const view = async (caseId: string): Promise<View> => {
    const res = await w.c.get(caseId, w.people.hr);
    expect(res.status).toBe(200);
    return res.body as View;
  };

  /** Read model row and GET agree with the machine's stage, at the version the write returned. */
  const expectStage = async (caseId: string, stage: string, version: number, ctx: string) => {
    const row = await w.caseRow(caseId);
    const got = await view(caseId);
    expect({ ctx, row, get: { stage: got.stage, version: got.version } }).toEqual({
      ctx,
      row: { stage, version },
      get: { stage, version },
    });
  };

  const run = async (caseId: string, step: Step, expectedStage: string, ctx: string) => {
    step.before?.();
    if (step.who !== 'system') {
      // the caller is offered the action before taking it (the system actor reads no employee case)
      const offered = await w.c.get(caseId, w.people[step.who]);
      expect({ ctx, available: offered.body.availableActions }).toEqual({
        ctx,
        available: expect.arrayContaining([step.action]),
      });
    }
    const res = await w.c.act(caseId, step.action, w.people[step.who], step.body ?? {});
    expect({ ctx, status: res.status, body: res.body }).toMatchObject({ ctx, status: 200 });
    expect(res.body.stage).toBe(expectedStage);
    expect(res.headers.etag).toBe(`"${res.body.version as number}"`);
    await expectStage(caseId, expectedStage, res.body.version as number, ctx);
  };

  it('reaches every stage of the machine through its simple paths', () => {
    const stages = Object.keys(machine.root.states).filter((s) => !model.unreachable?.includes(s));
    const reached = new Set([initial, ...paths.map((p) => p.target)]);
    expect([...reached].sort()).toEqual([...stages].sort());
  });

  it.each(paths.map((p) => [p.label, p] as const))('%s', async (_label, path) => {
    const { who, body } = model.open(w);
    const opened = await w.c.open(CREATION[model.caseType].path, w.people[who], body);
    expect({ status: opened.status, body: opened.body }).toMatchObject({ status: 201 });
    const caseId = opened.body.caseId as string;
    expect(opened.body.stage).toBe(initial);
    await expectStage(caseId, initial, 1, 'created');

    for (const [i, s] of path.steps.entries()) {
      const step = model.step(s.event, await view(caseId), w);
      await run(caseId, step, s.stage, `step ${i + 1} ${s.event} (${step.action} by ${step.who})`);
      const extra = model.onEnter?.[s.stage];
      if (extra && i < path.steps.length - 1) {
        const e = extra(await view(caseId), w);
        await run(caseId, e, s.stage, `on entering ${s.stage}: ${e.action}`);
      }
    }

    const final = await view(caseId);
    expect(final.stage).toBe(path.target);
    // the stream is gap-free from 1 and the read model is at its head
    const versions = await w.streamVersions(caseId);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(final.version).toBe(versions.length);

    // actions the final stage does not accept are refused (409) by someone allowed to take them, writing nothing
    const snapshot = machine.resolveState({ value: final.stage, context: final.state.machineContext });
    const before = await w.eventCount();
    let refused = 0;
    for (const [machineEvent, stage] of Object.entries(machine.root.states).flatMap(([stage, node]) =>
      Object.keys((node.config.on ?? {}) as Record<string, unknown>).map((e) => [e, stage] as const),
    )) {
      if (snapshot.can({ type: machineEvent }) || refused >= 3 || stage === final.stage) continue;
      const step = model.step(machineEvent, final, w);
      if (step.before) continue; // do not move the clock for a refusal
      const res = await w.c.act(caseId, step.action, w.people[step.who], step.body ?? {});
      expect({ action: step.action, stage: final.stage, status: res.status }).toEqual({
        action: step.action,
        stage: final.stage,
        status: 409,
      });
      expect(res.body.message).toContain(`'${step.action}' is only allowed in`);
      refused += 1;
    }
    expect(await w.eventCount()).toBe(before);
  });
});
