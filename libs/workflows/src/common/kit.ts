import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import { checkAuthorization, authorize } from '../authorization.js';
import { InvalidInputError, NotFoundError, StageConflictError, type InputIssue } from '../errors.js';
import { CURRENT_MACHINE_VERSION, getMachine } from '../machines/registry.js';
import {
  CASE_LABELS,
  type Actor,
  type CaseFacts,
  type CaseStateBase,
  type CaseType,
  type Command,
  type DecideContext,
  type DomainEvent,
  type Stamp,
} from './types.js';

/** Who did it, under which role, and when: from an event's metadata. */
export function stamp(e: DomainEvent): Stamp {
  return { by: e.meta.actorId, role: e.meta.actorRole, at: e.meta.occurredAt };
}

/** A decision stamp (approved, rejected, ...) with the decider's optional note. */
export function decisionOf<D extends string>(
  e: DomainEvent<string, { note?: string | undefined }>,
  decision: D,
): Stamp & { decision: D; note?: string } {
  const d: Stamp & { decision: D; note?: string } = { decision, ...stamp(e) };
  if (e.payload.note !== undefined) d.note = e.payload.note;
  return d;
}

export interface MachineEvent {
  type: string;
}

/** An event to append, before the kit adds envelope and metadata. */
export interface NewEvent {
  type: string;
  payload: unknown;
}

export interface CommandArgs<S, P> {
  state: S;
  payload: P;
  ctx: DecideContext;
}

/** A command on an existing case. */
export interface CommandSpec<S extends CaseStateBase, P> {
  schema: z.ZodType<P>;
  /** the machine event(s) this command may send; used for `can`, StageConflict and availableActions */
  machineEvents: readonly string[];
  /** picks the machine event from the payload when there is more than one */
  toMachineEvent?: (payload: P) => MachineEvent;
  /** business rules; throw RequirementUnmet / Forbidden / StageConflict */
  check?: (args: CommandArgs<S, P>) => void;
  emit: (args: CommandArgs<S, P>) => NewEvent[];
}

/** A command that starts a case (the case does not exist yet). */
export interface CreationSpec<P> {
  schema: z.ZodType<P>;
  /** relationships the payload fixes (employee, team); they override the caller's facts */
  facts?: (payload: P) => CaseFacts;
  check?: (args: { payload: P; ctx: DecideContext; caseId: string }) => void;
  /** the first event is the creation event; the kit adds `machineVersion` to its payload */
  emit: (args: { payload: P; ctx: DecideContext; caseId: string }) => NewEvent[];
}

export interface EventSpec<S extends CaseStateBase, P> {
  schema: z.ZodType<P>;
  /** creation events build the data part of the state; the kit adds the case/stage fields */
  create?: (event: DomainEvent<string, P>) => Omit<S, keyof CaseStateBase>;
  /** machine event this event folds through; omitted only for creation events */
  machineEvent?: (payload: P) => MachineEvent;
  /** machine input for creation events */
  machineInput?: (payload: P) => unknown;
  apply?: (state: S, event: DomainEvent<string, P>) => S;
}

export function commandSpec<S extends CaseStateBase, P>(spec: CommandSpec<S, P>): CommandSpec<S, unknown> {
  return spec as unknown as CommandSpec<S, unknown>;
}
export function creationSpec<P>(spec: CreationSpec<P>): CreationSpec<unknown> {
  return spec as unknown as CreationSpec<unknown>;
}
export function eventSpec<S extends CaseStateBase, P>(spec: EventSpec<S, P>): EventSpec<S, unknown> {
  return spec as unknown as EventSpec<S, unknown>;
}

export interface AggregateDefinition<S extends CaseStateBase> {
  caseType: CaseType;
  creations: Record<string, CreationSpec<unknown>>;
  commands: Record<string, CommandSpec<S, unknown>>;
  events: Record<string, EventSpec<S, unknown>>;
  /** relationships the case itself knows (employee, requester); they override the caller's facts */
  factsFromState?: (state: S) => CaseFacts;
}

export interface Aggregate<S extends CaseStateBase> {
  caseType: CaseType;
  /** refuse (typed domain error) or return the events to append; never mutates */
  decide(state: S | undefined, command: Command, ctx: DecideContext): DomainEvent[];
  /** fold one stored event (through the case's machine version) */
  evolve(state: S | undefined, event: DomainEvent): S;
  /** fold a whole stream */
  fold(events: readonly DomainEvent[], from?: S): S | undefined;
  /** the XState snapshot of a case, resolved from its stored stage on its own machine version */
  snapshotOf(state: S): AnyMachineSnapshot;
  /** commands the actor may take now (snapshot.can + authorize) */
  availableActions(state: S, actor: Actor, facts: CaseFacts): string[];
  /** stages in which an action is allowed (for messages and docs) */
  allowedStages(action: string, machineVersion?: string): string[];
  /** zod schemas of command payloads, for the HTTP layer */
  commandSchemas: Record<string, z.ZodType>;
  /** zod schemas of event payloads (all schemaVersion 1) */
  eventSchemas: Record<string, z.ZodType>;
  creationActions: readonly string[];
  actions: readonly string[];
  /** machine events each (non-creation) action may send */
  machineEventsByAction: Readonly<Record<string, readonly string[]>>;
}

export class EventReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventReplayError';
  }
}

function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

export function parsePayload<P>(schema: z.ZodType<P>, payload: unknown, what: string): P {
  const r = schema.safeParse(payload);
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new InvalidInputError(
      `invalid ${what}: ` + issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues,
    );
  }
  return r.data;
}

/** stages (top-level states) whose transitions include one of the machine events */
export function stagesAccepting(machine: AnyStateMachine, machineEvents: readonly string[]): string[] {
  const out: string[] = [];
  for (const [key, node] of Object.entries(machine.root.states)) {
    const on = (node.config.on ?? {}) as Record<string, unknown>;
    if (machineEvents.some((e) => e in on)) out.push(key);
  }
  return out;
}

export function stageOf(snapshot: AnyMachineSnapshot): string {
  const v: unknown = snapshot.value;
  if (typeof v !== 'string')
    throw new EventReplayError(`nested stage values are not supported: ${JSON.stringify(v)}`);
  return v;
}

export function defineAggregate<S extends CaseStateBase>(def: AggregateDefinition<S>): Aggregate<S> {
  const label = CASE_LABELS[def.caseType];

  const snapshotOf = (state: S): AnyMachineSnapshot =>
    getMachine(state.machineVersion).resolveState({ value: state.stage, context: state.machineContext });

  const allowedStages = (
    action: string,
    machineVersion = CURRENT_MACHINE_VERSION[def.caseType],
  ): string[] => {
    const spec = def.commands[action];
    return spec ? stagesAccepting(getMachine(machineVersion), spec.machineEvents) : [];
  };

  const wrap = (
    caseId: string,
    ctx: DecideContext,
    role: DomainEvent['meta']['actorRole'],
    e: NewEvent,
  ): DomainEvent => {
    const spec = def.events[e.type];
    if (!spec) throw new EventReplayError(`${def.caseType} has no event type ${e.type}`);
    // the payload we emit must satisfy its own published schema
    const payload = spec.schema.parse(e.payload);
    const meta: DomainEvent['meta'] = { actorId: ctx.actor.userId, actorRole: role, occurredAt: ctx.now };
    if (ctx.reason !== undefined) meta.reason = ctx.reason;
    if (ctx.requestId !== undefined) meta.requestId = ctx.requestId;
    return { type: e.type, schemaVersion: 1, caseType: def.caseType, caseId, payload, meta };
  };

  const mergeFacts = (state: S, facts: CaseFacts): CaseFacts => {
    const own = def.factsFromState?.(state) ?? {};
    const merged: CaseFacts = { ...facts };
    for (const [k, v] of Object.entries(own) as Array<[keyof CaseFacts, string | undefined]>) {
      if (v !== undefined) merged[k] = v;
    }
    return merged;
  };

  const decide = (state: S | undefined, command: Command, ctx: DecideContext): DomainEvent[] => {
    const creation = def.creations[command.type];
    if (creation) {
      const payload = parsePayload(creation.schema, command.payload, `'${command.type}' command`);
      const facts: CaseFacts = { ...ctx.facts, requesterId: ctx.actor.userId };
      for (const [k, v] of Object.entries(creation.facts?.(payload) ?? {}) as Array<
        [keyof CaseFacts, string | undefined]
      >) {
        if (v !== undefined) facts[k] = v;
      }
      const { as } = authorize(def.caseType, command.type, ctx.actor, facts);
      ctx = { ...ctx, facts };
      if (state !== undefined) {
        throw new StageConflictError({
          caseType: def.caseType,
          caseLabel: label,
          stage: state.stage,
          action: command.type,
          allowedStages: [],
          note: `case '${command.caseId}' already exists; '${command.type}' only starts a new case`,
          code: 'CASE_EXISTS',
        });
      }
      creation.check?.({ payload, ctx, caseId: command.caseId });
      const emitted = creation.emit({ payload, ctx, caseId: command.caseId });
      const [first, ...rest] = emitted;
      if (!first) return [];
      const withVersion: NewEvent = {
        type: first.type,
        payload: { ...(first.payload as object), machineVersion: CURRENT_MACHINE_VERSION[def.caseType] },
      };
      return [withVersion, ...rest].map((e) => wrap(command.caseId, ctx, as, e));
    }
    const spec = def.commands[command.type];
    if (!spec) {
      const known = [...Object.keys(def.creations), ...Object.keys(def.commands)].join(', ');
      throw new InvalidInputError(
        `'${command.type}' is not a ${label} command; known: ${known}`,
        [],
        'UNKNOWN_COMMAND',
      );
    }
    if (state === undefined) throw new NotFoundError(label, command.caseId, 'CASE_NOT_FOUND');
    const payload = parsePayload(spec.schema, command.payload, `'${command.type}' command`);
    const facts = mergeFacts(state, ctx.facts);
    const { as } = authorize(def.caseType, command.type, ctx.actor, facts);
    const machineEvent = spec.toMachineEvent
      ? spec.toMachineEvent(payload)
      : { type: spec.machineEvents[0] ?? '' };
    const snapshot = snapshotOf(state);
    if (!snapshot.can(machineEvent)) {
      throw new StageConflictError({
        caseType: def.caseType,
        caseLabel: label,
        stage: state.stage,
        action: command.type,
        allowedStages: allowedStages(command.type, state.machineVersion),
      });
    }
    const checkedCtx = { ...ctx, facts };
    spec.check?.({ state, payload, ctx: checkedCtx });
    return spec.emit({ state, payload, ctx: checkedCtx }).map((e) => wrap(state.caseId, ctx, as, e));
  };

  const evolve = (state: S | undefined, event: DomainEvent): S => {
    const spec = def.events[event.type];
    if (!spec) throw new EventReplayError(`${def.caseType} has no event type ${event.type}`);
    if (state === undefined) {
      if (!spec.create) throw new EventReplayError(`${event.type} cannot start a ${label}`);
      const payload = event.payload as { machineVersion?: string };
      const machineVersion = payload.machineVersion ?? CURRENT_MACHINE_VERSION[def.caseType];
      const machine = getMachine(machineVersion);
      const [snap] = initialTransition(
        machine,
        spec.machineInput ? spec.machineInput(event.payload) : undefined,
      );
      const base: CaseStateBase = {
        caseId: event.caseId,
        caseType: def.caseType,
        machineVersion,
        stage: stageOf(snap),
        machineContext: (snap.context ?? {}) as Record<string, unknown>,
        version: 1,
        createdAt: event.meta.occurredAt,
        updatedAt: event.meta.occurredAt,
        stageEnteredAt: event.meta.occurredAt,
        stageEnteredVersion: 1,
      };
      return { ...spec.create(event), ...base } as S;
    }
    let next: S;
    if (spec.machineEvent) {
      const snapshot = snapshotOf(state);
      const me = spec.machineEvent(event.payload);
      if (!snapshot.can(me)) {
        throw new EventReplayError(
          `${event.type} (${me.type}) is not accepted by ${state.machineVersion} in stage '${state.stage}' of ${state.caseId}`,
        );
      }
      const [after] = transition(getMachine(state.machineVersion), snapshot, me);
      const stage = stageOf(after);
      const version = state.version + 1;
      next = {
        ...state,
        stage,
        machineContext: after.context as Record<string, unknown>,
        version,
        updatedAt: event.meta.occurredAt,
        stageEnteredAt: stage !== state.stage ? event.meta.occurredAt : state.stageEnteredAt,
        stageEnteredVersion: stage !== state.stage ? version : state.stageEnteredVersion,
      };
    } else {
      next = { ...state, version: state.version + 1, updatedAt: event.meta.occurredAt };
    }
    return spec.apply ? spec.apply(next, event) : next;
  };

  const fold = (events: readonly DomainEvent[], from?: S): S | undefined =>
    events.reduce<S | undefined>((s, e) => evolve(s, e), from);

  const availableActions = (state: S, actor: Actor, callerFacts: CaseFacts): string[] => {
    const snapshot = snapshotOf(state);
    const facts = mergeFacts(state, callerFacts);
    return Object.entries(def.commands)
      .filter(([, spec]) => spec.machineEvents.some((type) => snapshot.can({ type })))
      .filter(([action]) => checkAuthorization(def.caseType, action, actor, facts).allowed)
      .map(([action]) => action);
  };

  const commandSchemas: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(def.creations)) commandSchemas[k] = v.schema;
  for (const [k, v] of Object.entries(def.commands)) commandSchemas[k] = v.schema;
  const eventSchemas: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(def.events)) eventSchemas[k] = v.schema;

  return {
    caseType: def.caseType,
    decide,
    evolve,
    fold,
    snapshotOf,
    availableActions,
    allowedStages,
    commandSchemas,
    eventSchemas,
    creationActions: Object.keys(def.creations),
    actions: Object.keys(def.commands),
    machineEventsByAction: Object.fromEntries(
      Object.entries(def.commands).map(([action, spec]) => [action, spec.machineEvents]),
    ),
  };
}
