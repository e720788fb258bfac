import { Injectable } from '@nestjs/common';
import {
  eligibility,
  findRole,
  transferEligibility,
  type EligibilityResult,
  type FrameworkDocument,
} from '@talent/career-framework';
import { EventStore } from '@talent/event-store';
import { findCase, findEmployee, type EmployeeDirectoryEntry } from '@talent/read-models';
import {
  InvalidInputError,
  NotFoundError,
  type CaseFacts,
  type CaseState,
  type CaseType,
  type DecideContext,
  type EligibilityVerdict,
  type GrantedWaiver,
} from '@talent/workflows';
import type { QueryRunner } from 'typeorm';
import { FrameworkCatalogReader } from '../frameworks/framework-catalog.reader.js';
import { EligibilityContextReader } from '../employees/eligibility-context.js';
import { EmployeeRepository } from '../employees/employee-stream.js';
import type { WriteContext } from '../write-context.js';

type Payload = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export const TRANSFER_TENURE_REQUIREMENT = 'min-tenure-on-team';

/** Eligibility as the pure workflows read it (they do not import the career-framework lib). */
export function toVerdict(r: EligibilityResult): EligibilityVerdict {
  return {
    targetRoleId: r.targetRoleId,
    asOf: r.asOf,
    eligible: r.eligible,
    blockers: r.blockers,
    requirements: r.requirements.map((q) => ({
      requirementId: q.requirementId,
      kind: q.kind,
      label: q.label,
      status: q.status,
      ...(q.missing ? { missing: q.missing } : {}),
    })),
  };
}

/**
 * Gathers what a decision needs from outside the case (relationships, eligibility, openings,
 * cycles, waivers) and fills the fields of creation commands the server owns (framework version,
 * path, current team), so clients cannot spoof them.
 */
@Injectable()
export class CaseContextBuilder {
  constructor(
    private readonly store: EventStore,
    private readonly employees: EmployeeRepository,
    private readonly frameworks: FrameworkCatalogReader,
    private readonly extra: EligibilityContextReader,
  ) {}

  /** Completes a creation payload with server-owned fields. */
  async enrichCreation(caseType: CaseType, action: string, payload: Payload): Promise<Payload> {
    switch (caseType) {
      case 'promotion': {
        const employee = await this.employee(payload.employeeId);
        const { document, version } = await this.frameworks.get(employee.frameworkId);
        const target = findRole(document, str(payload.targetRoleId) ?? '');
        if (!target)
          throw new InvalidInputError(
            `'${str(payload.targetRoleId) ?? '(none)'}' is not a role of ${document.id}; see GET /employees/${employee.employeeId}/next-roles`,
          );
        const kind = target.track.kind;
        return {
          ...payload,
          frameworkId: document.id,
          frameworkVersion: version,
          targetPath: kind === 'core' ? 'ic' : kind,
        };
      }
      case 'designation': {
        const employee = await this.employee(payload.employeeId);
        const { document, version } = await this.frameworks.get(employee.frameworkId);
        return { ...payload, frameworkId: document.id, frameworkVersion: version, team: employee.team };
      }
      case 'transfer': {
        const employee = await this.employee(payload.employeeId);
        return { ...payload, fromTeam: employee.team };
      }
      case 'waiver': {
        const subjectId = str(payload.subjectCaseId);
        const subject = subjectId ? await findCase(this.store.dataSource, subjectId) : null;
        if (!subject || !subjectId) throw new NotFoundError('case', subjectId ?? '(none)');
        const s = subject.state as Record<string, unknown>;
        return {
          ...payload,
          subjectCaseType: subject.caseType,
          employeeId: s.employeeId,
          targetRoleId: s.targetRoleId ?? s.designationId ?? TRANSFER_TENURE_REQUIREMENT,
        };
      }
      case 'opening':
      case 'reviewCycle': {
        const frameworkId = str(payload.frameworkId);
        if (!frameworkId)
          throw new InvalidInputError('frameworkId is required', [
            { path: 'frameworkId', message: 'Required' },
          ]);
        const { version } = await this.frameworks.get(frameworkId);
        return { ...payload, frameworkVersion: version };
      }
    }
    return payload;
  }

  async build(
    caseType: CaseType,
    action: string,
    state: CaseState | undefined,
    payload: Payload,
    ctx: WriteContext,
  ): Promise<DecideContext> {
    const s = (state ?? {}) as Record<string, unknown>;
    const employeeId =
      str(s.employeeId) ??
      str(payload.employeeId) ??
      (caseType === 'opening' && action === 'apply' ? ctx.actor.userId : undefined);
    const entry = employeeId ? await findEmployee(this.store.dataSource, employeeId) : null;
    const facts: CaseFacts = {};
    if (employeeId && caseType !== 'opening') facts.employeeId = employeeId;
    if (entry && caseType !== 'opening') {
      if (entry.managerId) facts.employeeManagerId = entry.managerId;
      facts.employeeTeam = entry.team;
    }
    const receiving = str(s.toTeam) ?? str(payload.toTeam);
    if (caseType === 'transfer' && receiving) facts.receivingTeam = receiving;
    const team = str(s.team) ?? str(payload.team);
    if (caseType === 'opening' && team) facts.team = team;

    const decide: DecideContext = {
      actor: {
        userId: ctx.actor.userId,
        roles: ctx.actor.roles,
        ...(ctx.actor.team ? { team: ctx.actor.team } : {}),
      },
      now: ctx.now,
      facts,
      requestId: ctx.requestId,
      ...(ctx.reason ? { reason: ctx.reason } : {}),
    };
    const today = ctx.now.slice(0, 10);

    if (entry && employeeId) {
      const target =
        caseType === 'opening'
          ? str(s.roleId)
          : (str(s.targetRoleId) ??
            str(payload.targetRoleId) ??
            str(s.designationId) ??
            str(payload.designationId));
      const fw = await this.frameworkOf(s, payload, entry);
      const { record } = await this.employees.load(employeeId);
      const waivers = await this.extra.waivers(employeeId);
      // a waiver is granted for the requirements of one target (role, designation or transfer):
      // it must not waive a same-named requirement of another target
      const waiverTarget = caseType === 'transfer' ? TRANSFER_TENURE_REQUIREMENT : target;
      decide.grantedWaivers = waivers
        .filter((w) => w.roleId === waiverTarget)
        .map((w): GrantedWaiver => ({ waiverId: w.waiverId, requirementIds: w.requirementIds }));
      if (caseType === 'transfer') {
        const t = transferEligibility({ framework: fw, employee: record, asOf: today });
        if (t) {
          decide.eligibility = {
            asOf: today,
            requirements: [
              {
                requirementId: TRANSFER_TENURE_REQUIREMENT,
                kind: 'minTenureOnTeam',
                status: t.eligible ? 'met' : 'unmet',
                label: `${t.requiredMonths} months with the team`,
                ...(t.eligible
                  ? {}
                  : {
                      missing: `${t.requiredMonths - t.tenureMonths} more months with ${t.team} (eligible on ${t.eligibleOn})`,
                    }),
              },
            ],
          };
        }
      } else if (target && caseType !== 'waiver') {
        const openings = await this.extra.openings();
        const result = eligibility({
          framework: fw,
          employee: record,
          targetRoleId: target,
          asOf: today,
          openings,
          waivers,
        });
        decide.eligibility = toVerdict(result);
      }
    }

    const openingId =
      str(s.openingId) ?? str(payload.openingId) ?? (caseType === 'opening' ? str(s.caseId) : undefined);
    if (openingId) {
      const opening = await findCase(this.store.dataSource, openingId);
      if (opening && opening.caseType === 'opening') {
        decide.opening = {
          openingId,
          stage: opening.stage,
          ...(opening.targetRoleId ? { targetRoleId: opening.targetRoleId } : {}),
          ...(opening.team ? { team: opening.team } : {}),
        };
      }
    }
    const cycleId = str(payload.cycleId) ?? str(s.cycleId);
    if (cycleId) {
      const cycle = await findCase(this.store.dataSource, cycleId);
      if (cycle && cycle.caseType === 'reviewCycle') decide.cycle = { cycleId, stage: cycle.stage };
    }
    return decide;
  }

  /** The relationships stored with the case row (for waiting-on and reads). */
  async factsFor(state: CaseState, tx?: Pick<QueryRunner, 'query'>): Promise<CaseFacts> {
    const s = state as unknown as Record<string, unknown>;
    const facts: CaseFacts = {};
    const employeeId = str(s.employeeId);
    if (employeeId && state.caseType !== 'reviewCycle') {
      facts.employeeId = employeeId;
      const entry = await findEmployee(tx ?? this.store.dataSource, employeeId);
      if (entry?.managerId) facts.employeeManagerId = entry.managerId;
      if (entry) facts.employeeTeam = entry.team;
    }
    if (str(s.toTeam)) facts.receivingTeam = str(s.toTeam);
    if (str(s.team)) facts.team = str(s.team);
    const requester = (s.requestedBy ?? s.nominatedBy ?? s.submittedBy ?? s.draftedBy ?? s.createdBy) as
      { by?: string } | undefined;
    if (requester?.by) facts.requesterId = requester.by;
    return facts;
  }

  private async employee(id: unknown): Promise<EmployeeDirectoryEntry> {
    const employeeId = str(id);
    if (!employeeId)
      throw new InvalidInputError('employeeId is required', [{ path: 'employeeId', message: 'Required' }]);
    const entry = await findEmployee(this.store.dataSource, employeeId);
    if (!entry) throw new NotFoundError('employee', employeeId);
    return entry;
  }

  private async frameworkOf(
    s: Record<string, unknown>,
    payload: Payload,
    entry: EmployeeDirectoryEntry,
  ): Promise<FrameworkDocument> {
    const frameworkId = str(s.frameworkId) ?? str(payload.frameworkId) ?? entry.frameworkId;
    const v = s.frameworkVersion ?? payload.frameworkVersion;
    return (await this.frameworks.get(frameworkId, typeof v === 'number' ? v : undefined)).document;
  }
}
