import type { NotifiableEvent, NotificationReason } from '../types.js';
import { escapeHtml, oneLine } from './escape.js';

/** What a template may use besides the event. Pure data: templates do no I/O. */
export interface TemplateContext {
  recipientId: string;
  reason: NotificationReason;
  /** Display names by user id; a missing one renders as the id. */
  names: Readonly<Record<string, string>>;
  /** Base URL of the web app for links (no trailing slash needed); links are left out without it. */
  appUrl?: string;
}

export interface RenderedNotification {
  title: string;
  /** Plain text. */
  body: string;
  /** The same content as HTML, every interpolated value escaped. */
  html?: string;
}

export type NotificationTemplate = (event: NotifiableEvent, ctx: TemplateContext) => RenderedNotification;

// ---- helpers (pure) ----

function field(event: NotifiableEvent, key: string): string | undefined {
  const v = event.payload[key];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function list(event: NotifiableEvent, key: string): string[] {
  const v = event.payload[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function nameOf(ctx: TemplateContext, userId: string | undefined): string {
  if (!userId) return 'someone';
  return ctx.names[userId] ?? userId;
}

/** "you" when the person is the recipient, their name otherwise. */
function who(ctx: TemplateContext, userId: string | undefined): string {
  return userId !== undefined && userId === ctx.recipientId ? 'you' : nameOf(ctx, userId);
}

function whose(ctx: TemplateContext, userId: string | undefined): string {
  return userId !== undefined && userId === ctx.recipientId ? 'your' : `${nameOf(ctx, userId)}'s`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function date(iso: string | undefined): string | undefined {
  return iso?.slice(0, 10);
}

function link(event: NotifiableEvent, ctx: TemplateContext): string | undefined {
  if (!ctx.appUrl) return undefined;
  const base = ctx.appUrl.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(event.streamType)}/${encodeURIComponent(event.streamId)}`;
}

/**
 * Builds the text and HTML forms from plain lines: every line is escaped for HTML, so no template can
 * inject markup. `undefined` lines are skipped. An action line is added for recipients who must act.
 */
export function compose(
  event: NotifiableEvent,
  ctx: TemplateContext,
  title: string,
  lines: Array<string | undefined>,
  action?: string,
): RenderedNotification {
  const kept = lines.filter((l): l is string => l !== undefined && l !== '');
  if (event.metadata.reason) kept.push(`Reason given: ${event.metadata.reason}`);
  if (ctx.reason === 'must_act' && action) kept.push(`Action needed: ${action}`);
  const url = link(event, ctx);
  const text = [...kept, ...(url ? [`Open: ${url}`] : [])].join('\n\n');
  const html = [
    ...kept.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...(url ? [`<p><a href="${escapeHtml(url)}">Open in Talent Reviews</a></p>`] : []),
  ].join('\n');
  return { title: oneLine(title), body: text, html };
}

const actor = (e: NotifiableEvent, ctx: TemplateContext) => nameOf(ctx, e.metadata.actorId);
const employee = (e: NotifiableEvent) => field(e, 'employeeId');
const role = (e: NotifiableEvent) => field(e, 'targetRoleId') ?? field(e, 'roleId') ?? 'the target role';
const note = (e: NotifiableEvent) => {
  const n = field(e, 'note') ?? field(e, 'summary');
  return n ? `Note: ${n}` : undefined;
};

// ---- the registry ----

/** Fallback for event types without a template: names the type and the stream, nothing more. */
export const defaultTemplate: NotificationTemplate = (e, ctx) =>
  compose(e, ctx, `${e.type.replace(/([a-z])([A-Z])/g, '$1 $2')} (${e.streamType})`, [
    `${actor(e, ctx)} recorded ${e.type} on ${e.streamType} ${e.streamId}.`,
  ]);

export const templates: Readonly<Record<string, NotificationTemplate>> = {
  // promotion cases
  PromotionRequested: (e, ctx) =>
    compose(
      e,
      ctx,
      `Promotion requested for ${nameOf(ctx, employee(e))}`,
      [
        `${capitalize(who(ctx, e.metadata.actorId))} requested a promotion review for ${who(ctx, employee(e))} to ${role(e)}.`,
        field(e, 'justification') ? `Justification: ${field(e, 'justification')}` : undefined,
      ],
      'check the eligibility of the request and move the case forward.',
    ),
  EligibilityChecked: (e, ctx) => {
    const verdict = e.payload['verdict'];
    const met =
      typeof verdict === 'object' && verdict !== null && 'eligible' in verdict
        ? verdict.eligible === true
        : undefined;
    return compose(e, ctx, `Eligibility checked for ${nameOf(ctx, employee(e))}`, [
      `Eligibility for ${whose(ctx, employee(e))} promotion case was checked.`,
      met === undefined
        ? undefined
        : met
          ? 'All requirements are met.'
          : 'Some requirements are not met yet.',
    ]);
  },
  WaiverRequested: (e, ctx) =>
    compose(
      e,
      ctx,
      'Requirement waiver requested',
      [
        `${capitalize(who(ctx, e.metadata.actorId))} requested a waiver of ${list(e, 'requirementIds').join(', ') || 'requirements'}.`,
        field(e, 'urgentNeed') ? `Urgent need: ${field(e, 'urgentNeed')}` : undefined,
      ],
      'approve or deny the waiver.',
    ),
  WaiverGranted: (e, ctx) =>
    compose(e, ctx, 'Requirement waiver granted', [
      `${capitalize(actor(e, ctx))} granted the waiver of ${list(e, 'requirementIds').join(', ') || 'the requested requirements'}.`,
      note(e),
    ]),
  WaiverDenied: (e, ctx) =>
    compose(e, ctx, 'Requirement waiver denied', [
      `${capitalize(actor(e, ctx))} denied the waiver of ${list(e, 'requirementIds').join(', ') || 'the requested requirements'}.`,
      note(e),
    ]),
  PeerReviewRecorded: (e, ctx) =>
    compose(
      e,
      ctx,
      `Peer review recorded: ${field(e, 'outcome') ?? 'outcome recorded'}`,
      [
        `The peer review of ${whose(ctx, employee(e))} case was recorded (${field(e, 'outcome') ?? 'see the case'}).`,
        note(e),
      ],
      'write your recommendation.',
    ),
  ManagerRecommended: (e, ctx) =>
    compose(
      e,
      ctx,
      'Manager recommendation recorded',
      [`${capitalize(actor(e, ctx))} recommended the promotion of ${who(ctx, employee(e))}.`, note(e)],
      'review the case in calibration.',
    ),
  PromotionApproved: (e, ctx) =>
    compose(e, ctx, 'Promotion approved', [
      `The promotion of ${who(ctx, employee(e))} to ${role(e)} was approved by ${actor(e, ctx)}.`,
      field(e, 'effectiveDate') ? `Effective on ${date(field(e, 'effectiveDate'))}.` : undefined,
      note(e),
    ]),
  PromotionDenied: (e, ctx) =>
    compose(e, ctx, 'Promotion not approved', [
      `The promotion request of ${who(ctx, employee(e))} was not approved.`,
      note(e),
    ]),
  PromotionEffective: (e, ctx) =>
    compose(e, ctx, 'Promotion effective', [
      `The promotion of ${who(ctx, employee(e))} to ${role(e)} is now effective.`,
    ]),
  CaseWithdrawn: (e, ctx) =>
    compose(e, ctx, 'Case withdrawn', [`${capitalize(actor(e, ctx))} withdrew the ${e.streamType} case.`]),
  // role openings (documented needs)
  OpeningSubmitted: (e, ctx) =>
    compose(
      e,
      ctx,
      `Role opening submitted: ${role(e)}`,
      [`${capitalize(actor(e, ctx))} submitted a documented need for ${role(e)}.`, field(e, 'justification')],
      'approve or reject the opening before its deadline.',
    ),
  OpeningApproved: (e, ctx) =>
    compose(e, ctx, `Role opening approved: ${role(e)}`, [
      `${capitalize(actor(e, ctx))} approved the documented need for ${role(e)}.`,
    ]),
  OpeningOpened: (e, ctx) =>
    compose(
      e,
      ctx,
      `You are invited to apply: ${role(e)}`,
      [
        `A role opening for ${role(e)} is open and you meet its requirements.`,
        field(e, 'closesAt') ? `Applications close on ${date(field(e, 'closesAt'))}.` : undefined,
      ],
      'apply if you are interested.',
    ),
  ApplicationSubmitted: (e, ctx) =>
    compose(
      e,
      ctx,
      `Application received from ${nameOf(ctx, field(e, 'applicantId') ?? e.metadata.actorId)}`,
      [
        `${capitalize(who(ctx, field(e, 'applicantId') ?? e.metadata.actorId))} applied to the ${role(e)} opening.`,
      ],
      'review the application.',
    ),
  CandidateSelected: (e, ctx) =>
    compose(e, ctx, `Candidate selected for ${role(e)}`, [
      `${capitalize(who(ctx, field(e, 'candidateId') ?? employee(e)))} ${field(e, 'candidateId') === ctx.recipientId || employee(e) === ctx.recipientId ? 'were' : 'was'} selected for ${role(e)}.`,
    ]),
  // transfers
  TransferRequested: (e, ctx) =>
    compose(
      e,
      ctx,
      `Transfer requested by ${nameOf(ctx, employee(e) ?? e.metadata.actorId)}`,
      [
        `${capitalize(who(ctx, employee(e) ?? e.metadata.actorId))} requested a transfer to team ${field(e, 'toTeamId') ?? field(e, 'targetTeamId') ?? 'another team'}.`,
      ],
      'acknowledge the transfer request.',
    ),
  TransferAcknowledged: (e, ctx) =>
    compose(
      e,
      ctx,
      'Transfer acknowledged by the current manager',
      [`${capitalize(actor(e, ctx))} acknowledged the transfer of ${who(ctx, employee(e))}.`],
      'approve or reject the transfer into your team.',
    ),
  TransferApproved: (e, ctx) =>
    compose(e, ctx, 'Transfer approved', [
      `The transfer of ${who(ctx, employee(e))} was approved by ${actor(e, ctx)}.`,
      field(e, 'effectiveDate') ? `Effective on ${date(field(e, 'effectiveDate'))}.` : undefined,
    ]),
  TransferRejected: (e, ctx) =>
    compose(e, ctx, 'Transfer rejected', [`The transfer of ${who(ctx, employee(e))} was rejected.`, note(e)]),
  TransferEffective: (e, ctx) =>
    compose(e, ctx, 'Transfer effective', [`The transfer of ${who(ctx, employee(e))} is now effective.`]),
  // scheduled work
  DeadlineReminder: (e, ctx) =>
    compose(
      e,
      ctx,
      `Reminder: ${field(e, 'deadline') ?? 'a deadline'} is due ${date(field(e, 'dueAt')) ?? 'soon'}`,
      [
        `The ${field(e, 'deadline') ?? 'deadline'} of ${e.streamType} ${e.streamId} is due on ${date(field(e, 'dueAt')) ?? 'a date soon'}.`,
      ],
      'act before the deadline.',
    ),
  DeadlineEscalated: (e, ctx) =>
    compose(
      e,
      ctx,
      `Escalation: ${field(e, 'deadline') ?? 'a deadline'} has lapsed`,
      [
        `The ${field(e, 'deadline') ?? 'deadline'} of ${e.streamType} ${e.streamId} lapsed without action and was escalated.`,
      ],
      'decide now or delegate.',
    ),
  CycleOpened: (e, ctx) =>
    compose(e, ctx, `Review cycle opened: ${field(e, 'name') ?? e.streamId}`, [
      `The review cycle ${field(e, 'name') ?? e.streamId} is open for nominations.`,
      field(e, 'nominationDeadline')
        ? `Nominations close on ${date(field(e, 'nominationDeadline'))}.`
        : undefined,
    ]),
  EligibilityDigest: (e, ctx) => {
    const eligible = list(e, 'eligibleEmployeeIds').map((id) => nameOf(ctx, id));
    const close = list(e, 'closeEmployeeIds').map((id) => nameOf(ctx, id));
    return compose(
      e,
      ctx,
      `Eligibility digest: ${eligible.length} eligible, ${close.length} close`,
      [
        eligible.length ? `Eligible now: ${eligible.join(', ')}.` : 'None of your reports is eligible now.',
        close.length ? `Close to eligible: ${close.join(', ')}.` : undefined,
      ],
      'consider nominating eligible reports in the open cycle.',
    );
  },
  CycleClosed: (e, ctx) =>
    compose(e, ctx, `Review cycle closed: ${field(e, 'name') ?? e.streamId}`, [
      `The review cycle ${field(e, 'name') ?? e.streamId} is closed and its outcomes are published.`,
    ]),
};

/** Event type names used by the workflows that share a template with a brief's name. */
export const templateAliases: Readonly<Record<string, string>> = {
  PromotionBecameEffective: 'PromotionEffective',
  PromotionWithdrawn: 'CaseWithdrawn',
  PromotionWaiverPending: 'WaiverRequested',
  TransferWithdrawn: 'CaseWithdrawn',
  OpeningWithdrawn: 'CaseWithdrawn',
  WaiverWithdrawn: 'CaseWithdrawn',
  DesignationWithdrawn: 'CaseWithdrawn',
  CalibrationApproved: 'PromotionApproved',
  CalibrationDenied: 'PromotionDenied',
  LeadershipApproved: 'PromotionApproved',
  LeadershipDenied: 'PromotionDenied',
  TransferBecameEffective: 'TransferEffective',
  ReviewCycleOpened: 'CycleOpened',
  ReviewCycleClosed: 'CycleClosed',
  RoleOpeningSubmitted: 'OpeningSubmitted',
  RoleOpeningApproved: 'OpeningApproved',
  RoleOpeningApprovalReminderDue: 'DeadlineReminder',
  RoleOpeningApprovalEscalated: 'DeadlineEscalated',
  WaiverApprovalReminderDue: 'DeadlineReminder',
  WaiverApprovalEscalated: 'DeadlineEscalated',
  TransferApprovalReminderDue: 'DeadlineReminder',
  TransferApprovalEscalated: 'DeadlineEscalated',
  EligibleEmployeesInvited: 'OpeningOpened',
};

function templateFor(event: NotifiableEvent): NotificationTemplate {
  if (event.type === 'PromotionWaiverDecided') {
    return event.payload['outcome'] === 'granted' ? templates.WaiverGranted : templates.WaiverDenied;
  }
  const name = templateAliases[event.type] ?? event.type;
  return Object.hasOwn(templates, name) ? templates[name] : defaultTemplate;
}

/** Renders an event for one recipient; unknown types get `defaultTemplate`. Pure. */
export function renderNotification(event: NotifiableEvent, ctx: TemplateContext): RenderedNotification {
  return templateFor(event)(event, ctx);
}
