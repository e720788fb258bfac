import { describe, expect, it } from '@jest/globals';
import { caseReducer, fromStoredEvent, toStoreEvent } from './envelope.js';
import { promotion } from './aggregates/promotion.js';
import { NotFoundError } from './errors.js';
import { getMachine, listMachines } from './machines/registry.js';
import { ctxFor, people, T0 } from './testing/world.js';

describe('event envelope and machine versions', () => {
  const events = promotion.decide(
    undefined,
    {
      type: 'request',
      caseId: 'promotion-1',
      payload: {
        employeeId: 'emp-1',
        targetRoleId: 'senior',
        targetPath: 'ic',
        frameworkId: 'ce',
        frameworkVersion: 2,
      },
    },
    { ...ctxFor(people.manager, T0), reason: 'strong year' },
  );

  it('round-trips through the event store shape', () => {
    const stored = events.map((e) => ({
      ...toStoreEvent(e, { causationId: 'cmd-1' }),
      streamId: 'promotion-1',
    }));
    expect(stored[0]).toEqual({
      streamId: 'promotion-1',
      type: 'PromotionRequested',
      schemaVersion: 1,
      payload: expect.objectContaining({ employeeId: 'emp-1', machineVersion: 'promotion@1' }),
      metadata: {
        actorId: 'mgr-1',
        actorRole: 'manager',
        occurredAt: T0,
        correlationId: 'req-1',
        causationId: 'cmd-1',
        reason: 'strong year',
      },
    });
    expect(stored.map((s) => fromStoredEvent('promotion', s))).toEqual(events);
    const reducer = caseReducer('promotion');
    expect(stored.reduce(reducer.evolve, reducer.initial)).toEqual(promotion.fold(events));
  });

  it('a case keeps the machine version it started on; an unknown version is a 404, not a crash', () => {
    const state = promotion.fold(events)!;
    expect(state.machineVersion).toBe('promotion@1');
    expect(() => promotion.snapshotOf({ ...state, machineVersion: 'promotion@0' })).toThrow(NotFoundError);
    const old = {
      ...events[0],
      payload: { ...(events[0].payload as object), machineVersion: 'promotion@0' },
    };
    expect(() => promotion.evolve(undefined, old)).toThrow(
      "workflow machine version 'promotion@0' does not exist",
    );
  });

  it('registers every machine under its own version id', () => {
    for (const m of listMachines()) {
      expect(getMachine(m.version)).toBe(m.machine);
      expect(m.machine.version).toBe(m.version);
    }
  });
});
