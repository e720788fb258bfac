import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  eligibility,
  transferEligibility,
  type EligibilityResult,
  type TransferEligibility,
} from '@talent/career-framework';
import { NotFoundError, type CaseState } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { AuditAccess } from '../audit-access.js';
import { asOfInstant, AsOfContext, type AsOf, type AsOfBasis } from '../as-of-context.js';

export interface AsOfEventRef {
  version: number;
  type: string;
  actorId: string;
  actorRole: string;
  occurredAt: string;
  recordedAt: string;
}

export interface CaseAsOfView {
  caseId: string;
  caseType: string;
  /** The instant asked for (UTC) and what it means (`recorded`: what the engine knew then). */
  asOf: string;
  basis: AsOfBasis;
  /** The date eligibility was evaluated for (the instant's UTC date). */
  asOfDate: string;
  /** The stream version known at the instant, and the version now. */
  version: number;
  currentVersion: number;
  stage: string;
  machineVersion: string;
  state: CaseState;
  /** The last event folded in. */
  lastEvent: AsOfEventRef;
  /** The verdict recorded on the case by then (its eligibility check), as the case showed it. */
  recordedEligibility: unknown;
  /**
   * Eligibility evaluated as the engine would have then: facts, openings and waivers known at the
   * instant, the framework version the case was opened under, as of the instant's date. Null for
   * cases without an employee and a target (openings, waivers, review cycles).
   */
  eligibility: EligibilityResult | null;
  /** For transfers: the tenure part of the transfer policy, evaluated the same way. */
  transferEligibility: TransferEligibility | null;
}

/** A case as it stood at a past instant, rebuilt from its event log. */
export class GetCaseAsOfQuery extends Query<CaseAsOfView> {
  constructor(
    readonly caseId: string,
    readonly instant: string,
    readonly actor: ActorRef,
    readonly basis: AsOfBasis = 'recorded',
  ) {
    super();
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

@QueryHandler(GetCaseAsOfQuery)
export class GetCaseAsOfHandler implements IQueryHandler<GetCaseAsOfQuery, CaseAsOfView> {
  constructor(
    private readonly access: AuditAccess,
    private readonly context: AsOfContext,
  ) {}

  async execute(q: GetCaseAsOfQuery): Promise<CaseAsOfView> {
    const at = asOfInstant(q.instant, q.basis);
    const current = await this.access.readableCase(q.caseId, q.actor);
    const loaded = await this.context.loadCase(q.caseId, at);
    if (!loaded) {
      const first = current.events[0];
      throw new NotFoundError(
        `case (as of ${at.instant}; it was first recorded at ${first ? first.recordedAt.toISOString() : '?'})`,
        q.caseId,
      );
    }
    const last = loaded.events[loaded.events.length - 1];
    const s = loaded.state as unknown as Record<string, unknown>;
    const evaluated = await this.evaluate(loaded.caseType, s, at);
    return {
      caseId: q.caseId,
      caseType: loaded.caseType,
      asOf: at.instant,
      basis: at.basis,
      asOfDate: at.date,
      version: loaded.version,
      currentVersion: current.version,
      stage: loaded.state.stage,
      machineVersion: loaded.state.machineVersion,
      state: loaded.state,
      lastEvent: {
        version: last.streamVersion,
        type: last.type,
        actorId: last.metadata.actorId,
        actorRole: last.metadata.actorRole,
        occurredAt: last.metadata.occurredAt,
        recordedAt: last.recordedAt.toISOString(),
      },
      recordedEligibility: (s.eligibility as { verdict?: unknown } | undefined)?.verdict ?? null,
      ...evaluated,
    };
  }

  private async evaluate(
    caseType: string,
    s: Record<string, unknown>,
    at: AsOf,
  ): Promise<{ eligibility: EligibilityResult | null; transferEligibility: TransferEligibility | null }> {
    const none = { eligibility: null, transferEligibility: null };
    const employeeId = str(s.employeeId);
    if (!employeeId) return none;
    const employee = await this.context.employee(employeeId, at);
    if (!employee) return none;
    const version = typeof s.frameworkVersion === 'number' ? s.frameworkVersion : undefined;
    const frameworkId = str(s.frameworkId) ?? employee.record.frameworkId;
    if (caseType === 'transfer') {
      const { document } = await this.context.framework(frameworkId, at, version);
      return {
        eligibility: null,
        transferEligibility:
          transferEligibility({ framework: document, employee: employee.record, asOf: at.date }) ?? null,
      };
    }
    const target = str(s.targetRoleId) ?? str(s.designationId);
    if (!target || (caseType !== 'promotion' && caseType !== 'designation')) return none;
    const [{ document }, openings, waivers] = await Promise.all([
      this.context.framework(frameworkId, at, version),
      this.context.openings(at),
      this.context.waivers(employeeId, at),
    ]);
    return {
      eligibility: eligibility({
        framework: document,
        employee: employee.record,
        targetRoleId: target,
        asOf: at.date,
        openings,
        waivers,
      }),
      transferEligibility: null,
    };
  }
}
