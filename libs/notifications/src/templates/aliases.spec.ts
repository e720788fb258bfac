import { renderNotification, templateAliases } from './templates.js';

const event = (type: string) => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  streamId: 'case-1',
  streamType: 'reviewCycle',
  streamVersion: 3,
  type,
  payload: {},
  metadata: {
    actorId: 'hr-1',
    actorRole: 'hr',
    occurredAt: '2026-07-15T09:00:00.000Z',
    correlationId: 'r',
    causationId: 'r',
  },
});
const ctx = { recipientId: 'ce-1', reason: 'affected' as const, names: {} };

describe('workflow event names render with the template of the notification they are', () => {
  it.each(Object.entries(templateAliases))('%s uses the %s template', (workflowType, templateType) => {
    expect(renderNotification(event(workflowType), ctx).title).toBe(
      renderNotification(event(templateType), ctx).title,
    );
  });

  it('a closed review cycle tells its outcomes are published', () => {
    expect(renderNotification(event('ReviewCycleClosed'), ctx).body).toMatch(
      /closed and its outcomes are published/,
    );
  });
});
