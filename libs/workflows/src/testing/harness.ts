// Drives cases through decide/evolve the way a command handler does (test support).
import { POLICY, type Grant } from '../authorization.js';
import type { Aggregate } from '../common/kit.js';
import type { CaseStateBase, CaseType, DecideContext, DomainEvent } from '../common/types.js';
import { at, ctxFor, people, type Person } from './world.js';

export const GRANT_PERSON: Record<Grant, Person> = {
  hr: 'hr',
  system: 'system',
  auditor: 'auditor',
  self: 'employee',
  anyEmployee: 'otherEmployee',
  requester: 'manager',
  managerOfEmployee: 'manager',
  leadershipOfEmployeeTeam: 'leadership',
  leadershipOfReceivingTeam: 'receivingLeadership',
  managerOfTeam: 'manager',
  leadershipOfTeam: 'leadership',
  anyone: 'hr',
};

/** someone the policy allows to take the action (its first grant) */
export function authorizedPerson(caseType: CaseType, action: string): Person {
  const grant = POLICY[caseType][action]?.grants[0];
  if (!grant) throw new Error(`no policy for ${caseType}.${action}`);
  return GRANT_PERSON[grant];
}

export interface CaseScript {
  caseType: CaseType;
  caseId: string;
  creation: { action: string; payload: (now: string) => unknown };
  /** a valid payload for each action; `machineEvent` says which transition the path takes */
  payloads: Record<string, (now: string, machineEvent: string) => unknown>;
  /** data-only self-transitions to run on entering a stage (prerequisites of later steps) */
  onEnter?: Record<string, string[]>;
  ctx?: Partial<DecideContext>;
}

export class Driver<S extends CaseStateBase> {
  state: S | undefined;
  readonly events: DomainEvent[] = [];
  private step = 0;
  constructor(
    readonly aggregate: Aggregate<S>,
    readonly script: CaseScript,
    /** start the case on this (older) machine version instead of the current one */
    readonly machineVersion?: string,
  ) {}

  now(): string {
    return at(this.step * 30);
  }

  ctx(action: string, who?: Person): DecideContext {
    return ctxFor(people[who ?? authorizedPerson(this.script.caseType, action)], this.now(), this.script.ctx);
  }

  command(action: string, machineEvent = ''): { type: string; caseId: string; payload: unknown } {
    const isCreation = action === this.script.creation.action;
    const payload = isCreation
      ? this.script.creation.payload(this.now())
      : (this.script.payloads[action] ?? (() => ({})))(this.now(), machineEvent);
    return { type: action, caseId: this.script.caseId, payload };
  }

  /** decide + evolve, as a handler would; returns the new events */
  run(action: string, machineEvent = '', who?: Person): DomainEvent[] {
    this.step += 1;
    const decided = this.aggregate.decide(
      this.state,
      this.command(action, machineEvent),
      this.ctx(action, who),
    );
    const events =
      this.state === undefined && this.machineVersion !== undefined
        ? decided.map((e, i) =>
            i === 0
              ? { ...e, payload: { ...(e.payload as object), machineVersion: this.machineVersion } }
              : e,
          )
        : decided;
    for (const e of events) this.state = this.aggregate.evolve(this.state, e);
    this.events.push(...events);
    return events;
  }

  create(): S {
    this.run(this.script.creation.action);
    return this.state!;
  }

  /** the action that sends a machine event */
  actionFor(machineEvent: string): string {
    const found = Object.entries(this.aggregate.machineEventsByAction).find(([, evs]) =>
      evs.includes(machineEvent),
    );
    if (!found) throw new Error(`no ${this.script.caseType} action sends ${machineEvent}`);
    return found[0];
  }
}
