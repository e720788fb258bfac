import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp } from '../common/kit.js';
import { assertNotBefore, assertTimerCurrent, timerPayload, assertDeadlineDue } from '../common/rules.js';
import {
  frameworkVersionSchema,
  id,
  isoInstant,
  type CaseStateBase,
  type DomainEvent,
  type FrameworkVersion,
  type Stamp,
} from '../common/types.js';

export interface ReviewCycleState extends CaseStateBase {
  caseType: 'reviewCycle';
  name: string;
  frameworkId: string;
  frameworkVersion: FrameworkVersion;
  timeZone: string;
  createdBy: Stamp;
  deadlines: { opensAt?: string; nominationDeadline: string; calibrationDeadline: string };
  openedAt?: string;
  calibrationStartedAt?: string;
  decided?: Stamp & { summary?: string };
  closed?: Stamp;
  cancelled?: Stamp;
}

const note = z.string().max(4000).optional();

export const reviewCycleCommandSchemas = {
  create: z.object({
    name: z.string().min(1).max(200),
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    timeZone: z.string().min(1).default('UTC'),
    opensAt: isoInstant.optional(),
    nominationDeadline: isoInstant,
    calibrationDeadline: isoInstant,
  }),
  open: timerPayload,
  nominationDeadlinePassed: timerPayload,
  startCalibration: z.object({}),
  calibrationDeadlinePassed: timerPayload,
  decide: z.object({ summary: note }),
  close: z.object({}),
  cancel: z.object({}),
};
type Cmd = { [K in keyof typeof reviewCycleCommandSchemas]: z.infer<(typeof reviewCycleCommandSchemas)[K]> };

export const reviewCycleEventSchemas = {
  ReviewCycleCreated: z.object({
    name: z.string(),
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    timeZone: z.string(),
    opensAt: isoInstant.optional(),
    nominationDeadline: isoInstant,
    calibrationDeadline: isoInstant,
    machineVersion: z.string(),
  }),
  ReviewCycleOpened: z.object({}),
  NominationDeadlinePassed: z.object({ deadline: isoInstant }),
  CalibrationStarted: z.object({}),
  CalibrationDeadlinePassed: z.object({ deadline: isoInstant }),
  ReviewCycleDecided: z.object({ summary: z.string().optional() }),
  ReviewCycleClosed: z.object({}),
  ReviewCycleCancelled: z.object({}),
};
type Ev = { [K in keyof typeof reviewCycleEventSchemas]: z.infer<(typeof reviewCycleEventSchemas)[K]> };
export type ReviewCycleEvent = { [K in keyof Ev]: DomainEvent<K, Ev[K]> }[keyof Ev];

type St = ReviewCycleState;
const C = reviewCycleCommandSchemas;
const S = reviewCycleEventSchemas;
const bySystem = (roles: readonly string[]) => roles.includes('system');

export const reviewCycle = defineAggregate<ReviewCycleState>({
  caseType: 'reviewCycle',
  creations: {
    create: creationSpec<Cmd['create']>({
      schema: C.create,
      check: ({ payload }) => {
        if (Date.parse(payload.nominationDeadline) >= Date.parse(payload.calibrationDeadline)) {
          throw new InvalidInputError('the nomination deadline must come before the calibration deadline', [
            { path: 'calibrationDeadline', message: 'must be after nominationDeadline' },
          ]);
        }
        if (payload.opensAt && Date.parse(payload.opensAt) >= Date.parse(payload.nominationDeadline)) {
          throw new InvalidInputError('the cycle must open before its nomination deadline', [
            { path: 'opensAt', message: 'must be before nominationDeadline' },
          ]);
        }
      },
      emit: ({ payload }) => [{ type: 'ReviewCycleCreated', payload }],
    }),
  },
  commands: {
    open: commandSpec<St, Cmd['open']>({
      schema: C.open,
      machineEvents: ['OPEN'],
      check: ({ state, payload, ctx }) => {
        assertTimerCurrent(state, payload, 'open', state.deadlines.opensAt);
        if (bySystem(ctx.actor.roles)) assertNotBefore('open', ctx.now, state.deadlines.opensAt);
      },
      emit: () => [{ type: 'ReviewCycleOpened', payload: {} }],
    }),
    nominationDeadlinePassed: commandSpec<St, Cmd['nominationDeadlinePassed']>({
      schema: C.nominationDeadlinePassed,
      machineEvents: ['NOMINATION_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'nominationDeadlinePassed',
          ctx.now,
          state.deadlines.nominationDeadline,
        );
      },
      emit: ({ state }) => [
        { type: 'NominationDeadlinePassed', payload: { deadline: state.deadlines.nominationDeadline } },
      ],
    }),
    startCalibration: commandSpec<St, Cmd['startCalibration']>({
      schema: C.startCalibration,
      machineEvents: ['START_CALIBRATION'],
      emit: () => [{ type: 'CalibrationStarted', payload: {} }],
    }),
    calibrationDeadlinePassed: commandSpec<St, Cmd['calibrationDeadlinePassed']>({
      schema: C.calibrationDeadlinePassed,
      machineEvents: ['CALIBRATION_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'calibrationDeadlinePassed',
          ctx.now,
          state.deadlines.calibrationDeadline,
        );
      },
      emit: ({ state }) => [
        { type: 'CalibrationDeadlinePassed', payload: { deadline: state.deadlines.calibrationDeadline } },
      ],
    }),
    decide: commandSpec<St, Cmd['decide']>({
      schema: C.decide,
      machineEvents: ['DECIDE'],
      emit: ({ payload }) => [{ type: 'ReviewCycleDecided', payload }],
    }),
    close: commandSpec<St, Cmd['close']>({
      schema: C.close,
      machineEvents: ['CLOSE'],
      emit: () => [{ type: 'ReviewCycleClosed', payload: {} }],
    }),
    cancel: commandSpec<St, Cmd['cancel']>({
      schema: C.cancel,
      machineEvents: ['CANCEL'],
      emit: () => [{ type: 'ReviewCycleCancelled', payload: {} }],
    }),
  },
  events: {
    ReviewCycleCreated: eventSpec<St, Ev['ReviewCycleCreated']>({
      schema: S.ReviewCycleCreated,
      create: (e) => {
        const p = e.payload;
        const deadlines: St['deadlines'] = {
          nominationDeadline: p.nominationDeadline,
          calibrationDeadline: p.calibrationDeadline,
        };
        if (p.opensAt !== undefined) deadlines.opensAt = p.opensAt;
        return {
          name: p.name,
          frameworkId: p.frameworkId,
          frameworkVersion: p.frameworkVersion,
          timeZone: p.timeZone,
          createdBy: stamp(e),
          deadlines,
        };
      },
    }),
    ReviewCycleOpened: eventSpec<St, Ev['ReviewCycleOpened']>({
      schema: S.ReviewCycleOpened,
      machineEvent: () => ({ type: 'OPEN' }),
      apply: (s, e) => ({ ...s, openedAt: e.meta.occurredAt }),
    }),
    NominationDeadlinePassed: eventSpec<St, Ev['NominationDeadlinePassed']>({
      schema: S.NominationDeadlinePassed,
      machineEvent: () => ({ type: 'NOMINATION_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, calibrationStartedAt: e.meta.occurredAt }),
    }),
    CalibrationStarted: eventSpec<St, Ev['CalibrationStarted']>({
      schema: S.CalibrationStarted,
      machineEvent: () => ({ type: 'START_CALIBRATION' }),
      apply: (s, e) => ({ ...s, calibrationStartedAt: e.meta.occurredAt }),
    }),
    CalibrationDeadlinePassed: eventSpec<St, Ev['CalibrationDeadlinePassed']>({
      schema: S.CalibrationDeadlinePassed,
      machineEvent: () => ({ type: 'CALIBRATION_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, decided: stamp(e) }),
    }),
    ReviewCycleDecided: eventSpec<St, Ev['ReviewCycleDecided']>({
      schema: S.ReviewCycleDecided,
      machineEvent: () => ({ type: 'DECIDE' }),
      apply: (s, e) => {
        const decided: NonNullable<St['decided']> = stamp(e);
        if (e.payload.summary !== undefined) decided.summary = e.payload.summary;
        return { ...s, decided };
      },
    }),
    ReviewCycleClosed: eventSpec<St, Ev['ReviewCycleClosed']>({
      schema: S.ReviewCycleClosed,
      machineEvent: () => ({ type: 'CLOSE' }),
      apply: (s, e) => ({ ...s, closed: stamp(e) }),
    }),
    ReviewCycleCancelled: eventSpec<St, Ev['ReviewCycleCancelled']>({
      schema: S.ReviewCycleCancelled,
      machineEvent: () => ({ type: 'CANCEL' }),
      apply: (s, e) => ({ ...s, cancelled: stamp(e) }),
    }),
  },
});
