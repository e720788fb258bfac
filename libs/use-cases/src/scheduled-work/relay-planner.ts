import type { QueryRunner } from 'typeorm';
import { Injectable } from '@nestjs/common';
import type { ScheduledJob } from '@talent/scheduling';
import { uuidV5, type StoredEvent } from '@talent/event-store';
import { timerChanges, type CaseState } from '@talent/workflows';
import { isCaseType } from '../cases/case-events.js';
import { CaseRepository } from '../cases/case-repository.js';
import {
  JOB_NAMES,
  safeJobId,
  WORK_QUEUES,
  type CaseCommandJob,
  type CycleEligibilityJob,
  type RecordFactJob,
} from './jobs.js';

export interface RelayPlan {
  schedule: ScheduledJob[];
  cancel: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * What a committed event calls for downstream: the case's timers (scheduled when it enters a stage,
 * cancelled when it leaves) and the follow-up commands of process managers. Pure over the log: the
 * same event always yields the same jobs with the same ids, so re-reading it after a crash adds nothing.
 */
@Injectable()
export class RelayPlanner {
  constructor(private readonly cases: CaseRepository) {}

  /** `tx` is the subscription's transaction: reads share its connection (no second pool checkout). */
  async plan(event: StoredEvent, tx?: QueryRunner): Promise<RelayPlan> {
    if (!isCaseType(event.streamType)) return { schedule: [], cancel: [] };
    const after = await this.cases.load(event.streamId, {
      untilVersion: event.streamVersion,
      ...(tx ? { queryRunner: tx } : {}),
    });
    if (!after) return { schedule: [], cancel: [] };
    const before =
      event.streamVersion > 1
        ? await this.cases.load(event.streamId, {
            untilVersion: event.streamVersion - 1,
            ...(tx ? { queryRunner: tx } : {}),
          })
        : undefined;
    const changes = timerChanges(before?.state, after.state);
    const schedule: ScheduledJob[] = changes.schedule.map((t) => ({
      jobId: t.timerId,
      queue: WORK_QUEUES.timers,
      name: JOB_NAMES.caseTimer,
      data: {
        caseType: t.caseType,
        caseId: t.caseId,
        action: t.command.type,
        payload: t.command.payload,
      } satisfies CaseCommandJob,
      runAt: t.fireAt,
      sourceEventId: event.eventId,
    }));
    schedule.push(...this.effects(event, after.state));
    return { schedule, cancel: changes.cancel };
  }

  /** Process managers: cross-case and employee effects of an event. */
  private effects(event: StoredEvent, state: CaseState): ScheduledJob[] {
    const p = event.payload as Record<string, unknown>;
    const s = state as unknown as Record<string, unknown>;
    const now = event.metadata.occurredAt;
    const job = (name: string, data: object): ScheduledJob => ({
      jobId: safeJobId('effect', name, event.eventId),
      queue: WORK_QUEUES.effects,
      name,
      data: data as Record<string, unknown>,
      runAt: now,
      sourceEventId: event.eventId,
    });
    switch (event.type) {
      case 'PromotionBecameEffective':
        return [
          job(JOB_NAMES.recordFact, {
            employeeId: String(p.employeeId),
            type: 'LevelChanged',
            data: {
              employeeId: p.employeeId,
              roleId: p.targetRoleId,
              effectiveDate: String(p.effectiveDate).slice(0, 10),
              reason: `promotion case ${event.streamId}`,
            },
          } satisfies RecordFactJob),
        ];
      case 'TransferBecameEffective':
        return [
          job(JOB_NAMES.recordFact, {
            employeeId: String(p.employeeId),
            type: 'TeamChanged',
            data: {
              employeeId: p.employeeId,
              team: p.toTeam,
              effectiveDate: String(p.effectiveDate).slice(0, 10),
            },
          } satisfies RecordFactJob),
        ];
      case 'WaiverRequested':
        return p.subjectCaseType === 'promotion'
          ? [
              job(JOB_NAMES.caseCommand, {
                caseType: 'promotion',
                caseId: String(p.subjectCaseId),
                action: 'waiverRequested',
                payload: { waiverId: event.streamId, requirementIds: p.requirementIds },
              } satisfies CaseCommandJob),
            ]
          : [];
      case 'WaiverGranted':
      case 'WaiverDenied':
        return s.subjectCaseType === 'promotion'
          ? [
              job(JOB_NAMES.caseCommand, {
                caseType: 'promotion',
                caseId: String(s.subjectCaseId),
                action: 'waiverDecided',
                payload: {
                  waiverId: event.streamId,
                  outcome: event.type === 'WaiverGranted' ? 'granted' : 'denied',
                  requirementIds: s.requirementIds,
                },
              } satisfies CaseCommandJob),
            ]
          : [];
      case 'CandidateSelected':
        // Selecting a candidate opens their promotion case against this opening (unless one is named).
        return str(p.promotionCaseId)
          ? []
          : [
              job(JOB_NAMES.caseCommand, {
                caseType: 'promotion',
                caseId: uuidV5(`case|opening-promotion|${event.streamId}|${String(p.employeeId)}`),
                action: 'request',
                payload: {
                  employeeId: p.employeeId,
                  targetRoleId: p.roleId,
                  openingId: event.streamId,
                  justification: `selected for role opening ${event.streamId}`,
                },
              } satisfies CaseCommandJob),
            ];
      case 'ReviewCycleOpened':
        return [
          job(JOB_NAMES.cycleEligibility, {
            cycleId: event.streamId,
            frameworkId: String(s.frameworkId),
            frameworkVersion: Number(s.frameworkVersion),
            asOf: now.slice(0, 10),
          } satisfies CycleEligibilityJob),
        ];
      default:
        return [];
    }
  }
}
