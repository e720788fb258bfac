import fc from 'fast-check';
import type { NotifiableEvent } from '../types.js';
import { escapeHtml, oneLine } from './escape.js';
import { defaultTemplate, renderNotification, templates, type TemplateContext } from './templates.js';

const BRIEF_TYPES = [
  'PromotionRequested',
  'EligibilityChecked',
  'WaiverRequested',
  'WaiverGranted',
  'WaiverDenied',
  'PeerReviewRecorded',
  'ManagerRecommended',
  'PromotionApproved',
  'PromotionDenied',
  'PromotionEffective',
  'CaseWithdrawn',
  'OpeningSubmitted',
  'OpeningApproved',
  'OpeningOpened',
  'ApplicationSubmitted',
  'CandidateSelected',
  'TransferRequested',
  'TransferAcknowledged',
  'TransferApproved',
  'TransferRejected',
  'TransferEffective',
  'DeadlineReminder',
  'DeadlineEscalated',
  'CycleOpened',
  'EligibilityDigest',
  'CycleClosed',
];

function event(type: string, payload: Record<string, unknown> = {}, reason?: string): NotifiableEvent {
  return {
    eventId: '11111111-1111-4111-8111-111111111111',
    streamId: 'case-1',
    streamType: 'promotion',
    streamVersion: 3,
    type,
    payload,
    metadata: {
      actorId: 'mgr-1',
      actorRole: 'manager',
      occurredAt: '2026-11-01T09:00:00.000Z',
      correlationId: 'c',
      causationId: 'c',
      ...(reason ? { reason } : {}),
    },
  };
}

const ctx: TemplateContext = {
  recipientId: 'emp-1',
  reason: 'affected',
  names: { 'emp-1': 'Eve', 'mgr-1': 'Maria' },
  appUrl: 'https://talent.example.test/',
};

describe('notification templates', () => {
  it.each(BRIEF_TYPES)('%s has a template that renders with an empty payload', (type) => {
    expect(Object.hasOwn(templates, type)).toBe(true);
    const r = renderNotification(event(type), ctx);
    expect(r.title.length).toBeGreaterThan(0);
    expect(r.title).not.toMatch(/[\r\n]/);
    expect(r.body.length).toBeGreaterThan(0);
    expect(r.html).toContain('<p>');
    expect(r.body).toContain('https://talent.example.test/promotion/case-1');
  });

  it('speaks to the recipient and names others', () => {
    const r = renderNotification(
      event('PromotionApproved', { employeeId: 'emp-1', targetRoleId: 'senior-ce' }),
      ctx,
    );
    expect(r.title).toBe('Promotion approved');
    expect(r.body).toContain('The promotion of you to senior-ce was approved by Maria.');
    const forMgr = renderNotification(event('PromotionApproved', { employeeId: 'emp-1' }), {
      ...ctx,
      recipientId: 'mgr-1',
    });
    expect(forMgr.body).toContain('The promotion of Eve');
  });

  it('adds the action only for recipients who must act', () => {
    const e = event('WaiverRequested', { requirementIds: ['time-at-level'] });
    expect(renderNotification(e, { ...ctx, reason: 'must_act' }).body).toContain(
      'Action needed: approve or deny',
    );
    expect(renderNotification(e, ctx).body).not.toContain('Action needed');
  });

  it('escapes every interpolated value in HTML and keeps subjects on one line', () => {
    const e = event(
      'PromotionRequested',
      { employeeId: 'x', justification: '<script>alert(1)</script> & "quotes"' },
      'because <b>',
    );
    const r = renderNotification(e, { ...ctx, names: { x: 'Mal\r\nBcc: victim@example.test <img>' } });
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<img>');
    expect(r.html).not.toContain('<b>');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(r.title).toBe('Promotion requested for Mal Bcc: victim@example.test <img>');
    expect(r.body).toContain('Reason given: because <b>');
  });

  it('falls back to a safe default for unknown types, and maps workflow aliases', () => {
    const unknown = renderNotification(event('SomethingNew<x>', { secret: 'do not leak' }), ctx);
    expect(unknown).toEqual(defaultTemplate(event('SomethingNew<x>', { secret: 'do not leak' }), ctx));
    expect(unknown.body).not.toContain('do not leak');
    expect(unknown.html).toContain('SomethingNew&lt;x&gt;');
    expect(renderNotification(event('PromotionBecameEffective', { employeeId: 'emp-1' }), ctx).title).toBe(
      'Promotion effective',
    );
    expect(renderNotification(event('PromotionWaiverDecided', { outcome: 'denied' }), ctx).title).toBe(
      'Requirement waiver denied',
    );
    expect(renderNotification(event('toString'), ctx).title).toContain('to String');
  });

  it('is pure: same input, same output', () => {
    const e = event('EligibilityDigest', {
      eligibleEmployeeIds: ['emp-1', 'emp-2'],
      closeEmployeeIds: ['emp-3'],
    });
    expect(renderNotification(e, ctx)).toEqual(renderNotification(e, ctx));
    expect(renderNotification(e, ctx).title).toBe('Eligibility digest: 2 eligible, 1 close');
  });

  it('escapeHtml leaves no markup characters; oneLine leaves no control characters', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
        expect([...oneLine(s)].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
      }),
    );
  });
});
