import { z } from 'zod';
import { InvalidInputError, RequirementUnmetError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp, decisionOf } from '../common/kit.js';
import {
  addHours,
  assertNotBefore,
  assertTimerCurrent,
  timerPayload,
  unmetRequirements,
  assertDeadlineDue,
  assertReminderDue,
} from '../common/rules.js';
import { DEADLINE_POLICY } from '../deadline-policy.js';
import {
  frameworkVersionSchema,
  id,
  isoInstant,
  type CaseStateBase,
  type DomainEvent,
  type FrameworkVersion,
  type Stamp,
} from '../common/types.js';

export interface OpeningState extends CaseStateBase {
  caseType: 'opening';
  team: string;
  roleId: string;
  frameworkId: string;
  frameworkVersion: FrameworkVersion;
  justification: string;
  draftedBy: Stamp;
  submittedBy?: Stamp;
  deadlines: {
    approvalDeadline?: string;
    approvalReminders?: string[];
    escalationDeadline?: string;
    applicationWindowClosesAt?: string;
  };
  remindersSent: number;
  escalatedAt?: string;
  approval?: Stamp & { decision: 'approved' | 'rejected'; note?: string };
  invitedEmployeeIds: string[];
  applicants: Array<{ employeeId: string; at: string }>;
  selectedCandidateId?: string;
  promotionCaseId?: string;
  endedBy?: Stamp & { how: 'filled' | 'cancelled' | 'expired' };
}

const note = z.string().max(4000).optional();
export const openingCommandSchemas = {
  draft: z.object({
    team: id,
    roleId: id,
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    justification: z
      .string()
      .trim()
      .min(10, 'justify the need for the role (10 characters at least)')
      .max(4000),
  }),
  submit: z.object({ approvalDeadline: isoInstant.optional() }),
  approve: z.object({ applicationWindowClosesAt: isoInstant, note }),
  reject: z.object({ note }),
  remindApproval: timerPayload.extend({ reminderNumber: z.number().int().positive().optional() }),
  approvalDeadlinePassed: timerPayload,
  escalationDeadlinePassed: timerPayload,
  invite: z.object({ employeeIds: z.array(id) }),
  apply: z.object({}),
  closeApplicationWindow: timerPayload,
  startInterviews: z.object({}),
  selectCandidate: z.object({ employeeId: id, promotionCaseId: id.optional() }),
  fill: z.object({ promotionCaseId: id.optional() }),
  cancel: z.object({ note }),
};
type Cmd = { [K in keyof typeof openingCommandSchemas]: z.infer<(typeof openingCommandSchemas)[K]> };

export const openingEventSchemas = {
  RoleOpeningDrafted: openingCommandSchemas.draft.extend({ machineVersion: z.string() }),
  RoleOpeningSubmitted: z.object({
    approvalDeadline: isoInstant,
    approvalReminders: z.array(isoInstant),
    escalationDeadline: isoInstant,
  }),
  RoleOpeningApproved: z.object({
    roleId: id,
    team: id,
    applicationWindowClosesAt: isoInstant,
    note: z.string().optional(),
  }),
  RoleOpeningRejected: z.object({ note: z.string().optional() }),
  RoleOpeningApprovalReminderDue: z.object({
    approvalDeadline: isoInstant,
    reminderNumber: z.number().int().positive(),
  }),
  RoleOpeningApprovalEscalated: z.object({ approvalDeadline: isoInstant, escalationDeadline: isoInstant }),
  RoleOpeningExpired: z.object({ escalationDeadline: isoInstant }),
  EligibleEmployeesInvited: z.object({ employeeIds: z.array(id) }),
  ApplicationSubmitted: z.object({ employeeId: id }),
  ApplicationWindowClosed: z.object({ applicants: z.number().int().nonnegative() }),
  InterviewsStarted: z.object({}),
  CandidateSelected: z.object({ employeeId: id, roleId: id, promotionCaseId: id.optional() }),
  RoleOpeningFilled: z.object({ employeeId: id, roleId: id, promotionCaseId: id.optional() }),
  RoleOpeningCancelled: z.object({ note: z.string().optional() }),
};
type Ev = { [K in keyof typeof openingEventSchemas]: z.infer<(typeof openingEventSchemas)[K]> };
export type OpeningEvent = { [K in keyof Ev]: DomainEvent<K, Ev[K]> }[keyof Ev];

type St = OpeningState;
const C = openingCommandSchemas;
const S = openingEventSchemas;

export const opening = defineAggregate<OpeningState>({
  caseType: 'opening',
  factsFromState: (s) => ({ team: s.team, requesterId: s.submittedBy?.by ?? s.draftedBy.by }),
  creations: {
    draft: creationSpec<Cmd['draft']>({
      schema: C.draft,
      facts: (p) => ({ team: p.team }),
      emit: ({ payload }) => [{ type: 'RoleOpeningDrafted', payload }],
    }),
  },
  commands: {
    submit: commandSpec<St, Cmd['submit']>({
      schema: C.submit,
      machineEvents: ['SUBMIT'],
      check: ({ payload, ctx }) => {
        if (payload.approvalDeadline && Date.parse(payload.approvalDeadline) <= Date.parse(ctx.now)) {
          throw new InvalidInputError('the approval deadline must be in the future', [
            { path: 'approvalDeadline', message: 'must be after now' },
          ]);
        }
      },
      emit: ({ payload, ctx }) => {
        const policy = DEADLINE_POLICY.opening;
        const approvalDeadline = payload.approvalDeadline ?? addHours(ctx.now, policy.approvalWindowHours);
        const approvalReminders = policy.approvalReminderHoursBefore
          .map((h) => addHours(approvalDeadline, -h))
          .filter((t) => Date.parse(t) > Date.parse(ctx.now))
          .sort();
        return [
          {
            type: 'RoleOpeningSubmitted',
            payload: {
              approvalDeadline,
              approvalReminders,
              escalationDeadline: addHours(approvalDeadline, policy.escalationWindowHours),
            },
          },
        ];
      },
    }),
    approve: commandSpec<St, Cmd['approve']>({
      schema: C.approve,
      machineEvents: ['APPROVE'],
      check: ({ payload, ctx }) => {
        if (Date.parse(payload.applicationWindowClosesAt) <= Date.parse(ctx.now)) {
          throw new InvalidInputError('the application window must close in the future', [
            { path: 'applicationWindowClosesAt', message: 'must be after now' },
          ]);
        }
      },
      emit: ({ state, payload }) => [
        { type: 'RoleOpeningApproved', payload: { roleId: state.roleId, team: state.team, ...payload } },
      ],
    }),
    reject: commandSpec<St, Cmd['reject']>({
      schema: C.reject,
      machineEvents: ['REJECT'],
      emit: ({ payload }) => [{ type: 'RoleOpeningRejected', payload }],
    }),
    remindApproval: commandSpec<St, Cmd['remindApproval']>({
      schema: C.remindApproval,
      machineEvents: ['REMIND_APPROVAL'],
      check: ({ state, payload }) => {
        assertReminderDue(state, payload);
      },
      emit: ({ state }) => [
        {
          type: 'RoleOpeningApprovalReminderDue',
          payload: {
            approvalDeadline: state.deadlines.approvalDeadline,
            reminderNumber: state.remindersSent + 1,
          },
        },
      ],
    }),
    approvalDeadlinePassed: commandSpec<St, Cmd['approvalDeadlinePassed']>({
      schema: C.approvalDeadlinePassed,
      machineEvents: ['APPROVAL_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'approvalDeadlinePassed',
          ctx.now,
          state.deadlines.approvalDeadline,
        );
      },
      emit: ({ state }) => [
        {
          type: 'RoleOpeningApprovalEscalated',
          payload: {
            approvalDeadline: state.deadlines.approvalDeadline,
            escalationDeadline: state.deadlines.escalationDeadline,
          },
        },
      ],
    }),
    escalationDeadlinePassed: commandSpec<St, Cmd['escalationDeadlinePassed']>({
      schema: C.escalationDeadlinePassed,
      machineEvents: ['ESCALATION_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'escalationDeadlinePassed',
          ctx.now,
          state.deadlines.escalationDeadline,
        );
      },
      emit: ({ state }) => [
        { type: 'RoleOpeningExpired', payload: { escalationDeadline: state.deadlines.escalationDeadline } },
      ],
    }),
    invite: commandSpec<St, Cmd['invite']>({
      schema: C.invite,
      machineEvents: ['INVITE'],
      emit: ({ state, payload }) => [
        {
          type: 'EligibleEmployeesInvited',
          payload: { employeeIds: payload.employeeIds.filter((e) => !state.invitedEmployeeIds.includes(e)) },
        },
      ],
    }),
    apply: commandSpec<St, Cmd['apply']>({
      schema: C.apply,
      machineEvents: ['APPLY'],
      check: ({ state, ctx }) => {
        const me = ctx.actor.userId;
        if (state.applicants.some((a) => a.employeeId === me)) {
          throw new InvalidInputError(
            `you have already applied to role opening '${state.caseId}'`,
            [],
            'ALREADY_APPLIED',
          );
        }
        if (state.invitedEmployeeIds.includes(me)) return;
        // not invited (yet): eligible employees may still apply, with a fresh verdict
        const unmet = ctx.eligibility
          ? unmetRequirements(ctx.eligibility, {
              grantedWaivers: ctx.grantedWaivers ?? [],
              deferPeerReview: true,
            })
          : [
              {
                requirementId: 'invitation',
                missing: 'only employees who meet the role requirements are invited to apply',
              },
            ];
        if (unmet.length > 0) throw new RequirementUnmetError('apply', unmet);
      },
      emit: ({ ctx }) => [{ type: 'ApplicationSubmitted', payload: { employeeId: ctx.actor.userId } }],
    }),
    closeApplicationWindow: commandSpec<St, Cmd['closeApplicationWindow']>({
      schema: C.closeApplicationWindow,
      machineEvents: ['APPLICATION_WINDOW_CLOSED'],
      check: ({ state, payload, ctx }) => {
        assertTimerCurrent(
          state,
          payload,
          'closeApplicationWindow',
          state.deadlines.applicationWindowClosesAt,
        );
        if (ctx.actor.roles.includes('system')) {
          assertNotBefore('closeApplicationWindow', ctx.now, state.deadlines.applicationWindowClosesAt);
        }
      },
      emit: ({ state }) => [
        { type: 'ApplicationWindowClosed', payload: { applicants: state.applicants.length } },
      ],
    }),
    startInterviews: commandSpec<St, Cmd['startInterviews']>({
      schema: C.startInterviews,
      machineEvents: ['START_INTERVIEWS'],
      check: ({ state }) => {
        if (state.applicants.length === 0) {
          throw new RequirementUnmetError(
            'startInterviews',
            [{ requirementId: 'applicants', missing: 'at least one application' }],
            'Cancel the opening, or draft a new one',
          );
        }
      },
      emit: () => [{ type: 'InterviewsStarted', payload: {} }],
    }),
    selectCandidate: commandSpec<St, Cmd['selectCandidate']>({
      schema: C.selectCandidate,
      machineEvents: ['SELECT_CANDIDATE'],
      check: ({ state, payload }) => {
        if (!state.applicants.some((a) => a.employeeId === payload.employeeId)) {
          throw new InvalidInputError(
            `employee '${payload.employeeId}' did not apply to this opening; applicants: ${state.applicants.map((a) => a.employeeId).join(', ')}`,
            [{ path: 'employeeId', message: 'not an applicant' }],
            'NOT_AN_APPLICANT',
          );
        }
      },
      emit: ({ state, payload }) => [
        { type: 'CandidateSelected', payload: { roleId: state.roleId, ...payload } },
      ],
    }),
    fill: commandSpec<St, Cmd['fill']>({
      schema: C.fill,
      machineEvents: ['FILL'],
      emit: ({ state, payload }) => {
        const p: Ev['RoleOpeningFilled'] = {
          employeeId: state.selectedCandidateId ?? '',
          roleId: state.roleId,
        };
        const promotionCaseId = payload.promotionCaseId ?? state.promotionCaseId;
        if (promotionCaseId !== undefined) p.promotionCaseId = promotionCaseId;
        return [{ type: 'RoleOpeningFilled', payload: p }];
      },
    }),
    cancel: commandSpec<St, Cmd['cancel']>({
      schema: C.cancel,
      machineEvents: ['CANCEL'],
      emit: ({ payload }) => [{ type: 'RoleOpeningCancelled', payload }],
    }),
  },
  events: {
    RoleOpeningDrafted: eventSpec<St, Ev['RoleOpeningDrafted']>({
      schema: S.RoleOpeningDrafted,
      create: (e) => ({
        team: e.payload.team,
        roleId: e.payload.roleId,
        frameworkId: e.payload.frameworkId,
        frameworkVersion: e.payload.frameworkVersion,
        justification: e.payload.justification,
        draftedBy: stamp(e),
        deadlines: {},
        remindersSent: 0,
        invitedEmployeeIds: [],
        applicants: [],
      }),
    }),
    RoleOpeningSubmitted: eventSpec<St, Ev['RoleOpeningSubmitted']>({
      schema: S.RoleOpeningSubmitted,
      machineEvent: () => ({ type: 'SUBMIT' }),
      apply: (s, e) => ({ ...s, submittedBy: stamp(e), deadlines: { ...s.deadlines, ...e.payload } }),
    }),
    RoleOpeningApproved: eventSpec<St, Ev['RoleOpeningApproved']>({
      schema: S.RoleOpeningApproved,
      machineEvent: () => ({ type: 'APPROVE' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'approved');
        return {
          ...s,
          approval,
          deadlines: { ...s.deadlines, applicationWindowClosesAt: e.payload.applicationWindowClosesAt },
        };
      },
    }),
    RoleOpeningRejected: eventSpec<St, Ev['RoleOpeningRejected']>({
      schema: S.RoleOpeningRejected,
      machineEvent: () => ({ type: 'REJECT' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'rejected');
        return { ...s, approval };
      },
    }),
    RoleOpeningApprovalReminderDue: eventSpec<St, Ev['RoleOpeningApprovalReminderDue']>({
      schema: S.RoleOpeningApprovalReminderDue,
      machineEvent: () => ({ type: 'REMIND_APPROVAL' }),
      apply: (s) => ({ ...s, remindersSent: s.remindersSent + 1 }),
    }),
    RoleOpeningApprovalEscalated: eventSpec<St, Ev['RoleOpeningApprovalEscalated']>({
      schema: S.RoleOpeningApprovalEscalated,
      machineEvent: () => ({ type: 'APPROVAL_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, escalatedAt: e.meta.occurredAt }),
    }),
    RoleOpeningExpired: eventSpec<St, Ev['RoleOpeningExpired']>({
      schema: S.RoleOpeningExpired,
      machineEvent: () => ({ type: 'ESCALATION_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'expired', ...stamp(e) } }),
    }),
    EligibleEmployeesInvited: eventSpec<St, Ev['EligibleEmployeesInvited']>({
      schema: S.EligibleEmployeesInvited,
      machineEvent: () => ({ type: 'INVITE' }),
      apply: (s, e) => ({ ...s, invitedEmployeeIds: [...s.invitedEmployeeIds, ...e.payload.employeeIds] }),
    }),
    ApplicationSubmitted: eventSpec<St, Ev['ApplicationSubmitted']>({
      schema: S.ApplicationSubmitted,
      machineEvent: () => ({ type: 'APPLY' }),
      apply: (s, e) => ({
        ...s,
        applicants: [...s.applicants, { employeeId: e.payload.employeeId, at: e.meta.occurredAt }],
      }),
    }),
    ApplicationWindowClosed: eventSpec<St, Ev['ApplicationWindowClosed']>({
      schema: S.ApplicationWindowClosed,
      machineEvent: () => ({ type: 'APPLICATION_WINDOW_CLOSED' }),
    }),
    InterviewsStarted: eventSpec<St, Ev['InterviewsStarted']>({
      schema: S.InterviewsStarted,
      machineEvent: () => ({ type: 'START_INTERVIEWS' }),
    }),
    CandidateSelected: eventSpec<St, Ev['CandidateSelected']>({
      schema: S.CandidateSelected,
      machineEvent: () => ({ type: 'SELECT_CANDIDATE' }),
      apply: (s, e) => {
        const next: St = { ...s, selectedCandidateId: e.payload.employeeId };
        if (e.payload.promotionCaseId !== undefined) next.promotionCaseId = e.payload.promotionCaseId;
        return next;
      },
    }),
    RoleOpeningFilled: eventSpec<St, Ev['RoleOpeningFilled']>({
      schema: S.RoleOpeningFilled,
      machineEvent: () => ({ type: 'FILL' }),
      apply: (s, e) => {
        const next: St = { ...s, endedBy: { how: 'filled', ...stamp(e) } };
        if (e.payload.promotionCaseId !== undefined) next.promotionCaseId = e.payload.promotionCaseId;
        return next;
      },
    }),
    RoleOpeningCancelled: eventSpec<St, Ev['RoleOpeningCancelled']>({
      schema: S.RoleOpeningCancelled,
      machineEvent: () => ({ type: 'CANCEL' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'cancelled', ...stamp(e) } }),
    }),
  },
});
