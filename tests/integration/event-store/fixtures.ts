import type { EventMetadata, NewEvent, JsonObject } from '@talent/event-store';

export const T0 = '2026-03-01T09:00:00.000Z';

export function meta(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actorId: 'user-hr-1',
    actorRole: 'hr',
    occurredAt: T0,
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    ...overrides,
  };
}

export function ev(type: string, payload: JsonObject = {}, extra: Partial<NewEvent> = {}): NewEvent {
  return { type, payload, metadata: meta(), ...extra };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(
  cond: () => Promise<boolean> | boolean,
  timeoutMs = 15000,
  stepMs = 50,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(stepMs);
  }
}
