import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { eligibility, type EligibilityResult } from '@talent/career-framework';
import { EventStore } from '@talent/event-store';
import { findCase, findEmployee, listCases, type CaseListEntry } from '@talent/read-models';
import { CYCLE_DECIDING_STAGES, ForbiddenError, NotFoundError, type PromotionState } from '@talent/workflows';
import { EligibilityContextReader } from '../../employees/eligibility-context.js';
import { EmployeeRepository } from '../../employees/employee-stream.js';
import { FrameworkCatalogReader } from '../../frameworks/framework-catalog.reader.js';
import type { ActorRef } from '../../write-context.js';

/** Roles that see a cycle's calibration (it spans every team). */
export const CALIBRATION_READERS = ['hr', 'leadership', 'auditor'] as const;

export interface CalibrationWaiver {
  waiverId: string;
  stage: string;
  requirementIds: string[];
  urgentNeed: string | null;
  requestedBy: string | null;
  decision: { outcome: string; by: string; at: string; note?: string } | null;
}

export interface CalibrationCase {
  caseId: string;
  stage: string;
  version: number;
  employee: {
    employeeId: string;
    name: string | null;
    team: string | null;
    managerId: string | null;
    currentRoleId: string | null;
  };
  targetRoleId: string;
  targetPath: string;
  frameworkId: string;
  frameworkVersion: PromotionState['frameworkVersion'];
  /** As of today, under the framework version the case was opened with; null when it cannot be evaluated. */
  eligibility: EligibilityResult | null;
  eligibilityError?: string;
  /** The verdict recorded on the case by checkEligibility (what it was when checked). */
  recordedEligibility: PromotionState['eligibility'] | null;
  peerReview: PromotionState['peerReview'] | null;
  recommendation: PromotionState['recommendation'] | null;
  waivedRequirementIds: string[];
  pendingWaiverId: string | null;
  waivers: CalibrationWaiver[];
  approvals: PromotionState['approvals'];
  effectiveDate: string | null;
  outcome: string | null;
  requestedBy: PromotionState['requestedBy'];
}

export interface CalibrationView {
  cycle: {
    cycleId: string;
    name: string | null;
    stage: string;
    frameworkId: string | null;
    /** Whether promotions may be decided now (the cycle is open for nominations or in calibration). */
    deciding: boolean;
  };
  asOf: string;
  cases: CalibrationCase[];
}

/** Every promotion case of a review cycle with the evidence calibration weighs. */
export class GetCalibrationQuery extends Query<CalibrationView> {
  constructor(
    readonly cycleId: string,
    readonly actor: ActorRef,
    /** ISO instant: "now", read at the edge; eligibility is evaluated on its date. */
    readonly now: string,
  ) {
    super();
  }
}

interface WaiverRow {
  case_id: string;
  stage: string;
  state: {
    subjectCaseId?: string;
    requirementIds?: string[];
    urgentNeed?: string;
    requestedBy?: { by?: string };
    decision?: { outcome: string; by: string; at: string; note?: string };
  };
}

const PAGE = 500;

@QueryHandler(GetCalibrationQuery)
export class GetCalibrationHandler implements IQueryHandler<GetCalibrationQuery, CalibrationView> {
  constructor(
    private readonly store: EventStore,
    private readonly employees: EmployeeRepository,
    private readonly frameworks: FrameworkCatalogReader,
    private readonly context: EligibilityContextReader,
  ) {}

  async execute({ cycleId, actor, now }: GetCalibrationQuery): Promise<CalibrationView> {
    if (!actor.roles.some((r) => (CALIBRATION_READERS as readonly string[]).includes(r))) {
      throw new ForbiddenError(`only ${CALIBRATION_READERS.join(', ')} may read a cycle's calibration`);
    }
    const ds = this.store.dataSource;
    const cycle = await findCase(ds, cycleId);
    if (!cycle || cycle.caseType !== 'reviewCycle') throw new NotFoundError('review cycle', cycleId);
    const rows = await this.promotionsOf(cycleId);
    const asOf = now.slice(0, 10);
    const [openings, waiverRows] = await Promise.all([
      this.context.openings(),
      ds.query<WaiverRow[]>(
        `SELECT case_id, stage, state FROM cases
          WHERE case_type = 'waiver' AND state->>'subjectCaseId' = ANY($1::text[])
          ORDER BY opened_at, case_id`,
        [rows.map((r) => r.caseId)],
      ),
    ]);
    const cases: CalibrationCase[] = [];
    for (const row of rows) {
      const s = row.state as PromotionState;
      const entry = await findEmployee(ds, s.employeeId);
      let verdict: EligibilityResult | null = null;
      let eligibilityError: string | undefined;
      try {
        const [{ record }, { document }, granted] = await Promise.all([
          this.employees.load(s.employeeId),
          this.frameworks.get(
            s.frameworkId,
            typeof s.frameworkVersion === 'number' ? s.frameworkVersion : undefined,
          ),
          this.context.waivers(s.employeeId),
        ]);
        verdict = eligibility({
          framework: document,
          employee: record,
          targetRoleId: s.targetRoleId,
          asOf,
          openings,
          // a waiver counts only for the target it was granted for (as in decisions)
          waivers: granted.filter((w) => w.roleId === s.targetRoleId),
        });
      } catch (e) {
        eligibilityError = e instanceof Error ? e.message : String(e);
      }
      cases.push({
        caseId: row.caseId,
        stage: row.stage,
        version: row.version,
        employee: {
          employeeId: s.employeeId,
          name: entry?.name ?? null,
          team: entry?.team ?? row.team,
          managerId: entry?.managerId ?? null,
          currentRoleId: entry?.roleId ?? null,
        },
        targetRoleId: s.targetRoleId,
        targetPath: s.targetPath,
        frameworkId: s.frameworkId,
        frameworkVersion: s.frameworkVersion,
        eligibility: verdict,
        ...(eligibilityError ? { eligibilityError } : {}),
        recordedEligibility: s.eligibility ?? null,
        peerReview: s.peerReview ?? null,
        recommendation: s.recommendation ?? null,
        waivedRequirementIds: s.waivedRequirementIds ?? [],
        pendingWaiverId: s.pendingWaiverId ?? null,
        waivers: waiverRows
          .filter((w) => w.state.subjectCaseId === row.caseId)
          .map((w) => ({
            waiverId: w.case_id,
            stage: w.stage,
            requirementIds: w.state.requirementIds ?? [],
            urgentNeed: w.state.urgentNeed ?? null,
            requestedBy: w.state.requestedBy?.by ?? null,
            decision: w.state.decision ?? null,
          })),
        approvals: s.approvals ?? [],
        effectiveDate: s.effectiveDate ?? null,
        outcome: s.outcome ?? null,
        requestedBy: s.requestedBy,
      });
    }
    const cs = cycle.state as { name?: unknown };
    return {
      cycle: {
        cycleId,
        name: typeof cs.name === 'string' ? cs.name : null,
        stage: cycle.stage,
        frameworkId: cycle.frameworkId,
        deciding: CYCLE_DECIDING_STAGES.includes(cycle.stage),
      },
      asOf,
      cases,
    };
  }

  /** Promotion cases with cycle_id = the cycle, oldest first. */
  private async promotionsOf(cycleId: string): Promise<CaseListEntry[]> {
    const all: CaseListEntry[] = [];
    let after: { updatedAt: string; caseId: string } | undefined;
    for (;;) {
      const page = await listCases(this.store.dataSource, {
        caseType: 'promotion',
        cycleId,
        limit: PAGE,
        ...(after ? { after } : {}),
      });
      all.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) break;
      after = { updatedAt: last.updatedAt, caseId: last.caseId };
    }
    return all.sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId));
  }
}
