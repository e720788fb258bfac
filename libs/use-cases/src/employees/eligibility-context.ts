import { Injectable } from '@nestjs/common';
import type { GrantedWaiver, RoleOpening } from '@talent/career-framework';
import { EventStore } from '@talent/event-store';

/**
 * The facts eligibility needs beyond the employee's own stream: approved, open role openings
 * (documented needs) and waivers leadership granted, read from the case list.
 */
@Injectable()
export class EligibilityContextReader {
  constructor(private readonly store: EventStore) {}

  async openings(): Promise<RoleOpening[]> {
    const rows = await this.store.dataSource.query<
      Array<{
        case_id: string;
        target_role_id: string | null;
        team: string | null;
        stage: string;
        state: OpeningStateView;
      }>
    >(
      `SELECT case_id, target_role_id, team, stage, state FROM cases WHERE case_type = 'opening' AND stage = ANY($1::text[])`,
      [OPEN_OPENING_STAGES],
    );
    return rows
      .filter((r) => r.target_role_id)
      .map((r) => ({
        openingId: r.case_id,
        roleId: r.target_role_id!,
        ...(r.team ? { team: r.team } : {}),
        approvedAt: (r.state.approval?.at ?? r.state.approvedAt ?? r.state.updatedAt ?? '1970-01-01').slice(
          0,
          10,
        ),
        status: 'open',
      }));
  }

  async waivers(employeeId: string): Promise<GrantedWaiver[]> {
    const rows: Array<{ case_id: string; target_role_id: string | null; state: WaiverStateView }> =
      await this.store.dataSource.query(
        `SELECT case_id, target_role_id, state FROM cases WHERE case_type = 'waiver' AND stage = 'granted' AND employee_id = $1`,
        [employeeId],
      );
    return rows.map((r) => ({
      waiverId: r.case_id,
      requirementIds: r.state.requirementIds ?? [],
      roleId: r.target_role_id ?? r.state.targetRoleId ?? '',
      grantedBy: r.state.decision?.by ?? r.state.grantedBy ?? 'unknown',
      grantedAt: (r.state.decision?.at ?? r.state.grantedAt ?? r.state.updatedAt ?? '1970-01-01').slice(
        0,
        10,
      ),
    }));
  }
}

/** Stages in which a role opening is an approved, open documented need. */
export const OPEN_OPENING_STAGES = [
  'open',
  'applications',
  'applicationWindowClosed',
  'interviews',
  'candidateSelected',
];

interface OpeningStateView {
  approval?: { at?: string };
  approvedAt?: string;
  updatedAt?: string;
}
interface WaiverStateView {
  requirementIds?: string[];
  targetRoleId?: string;
  decision?: { by?: string; at?: string };
  grantedBy?: string;
  grantedAt?: string;
  updatedAt?: string;
}
