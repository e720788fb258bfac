import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Persistence models of the read-model tables (schema diff only; queries are plain SQL). */
@Entity({ name: 'employees' })
@Index('employees_team_idx', ['team'])
@Index('employees_manager_idx', ['managerId'])
@Index('employees_framework_idx', ['frameworkId'])
export class EmployeeRow {
  @PrimaryColumn({ name: 'employee_id', type: 'text', primaryKeyConstraintName: 'employees_pkey' })
  employeeId!: string;
  @Column({ name: 'name', type: 'text' })
  name!: string;
  @Column({ name: 'email', type: 'text' })
  email!: string;
  @Column({ name: 'team', type: 'text' })
  team!: string;
  @Column({ name: 'manager_id', type: 'text', nullable: true })
  managerId!: string | null;
  @Column({ name: 'framework_id', type: 'text' })
  frameworkId!: string;
  @Column({ name: 'track', type: 'text' })
  track!: string;
  @Column({ name: 'role_id', type: 'text' })
  roleId!: string;
  @Column({ name: 'hired_on', type: 'date' })
  hiredOn!: string;
  @Column({ name: 'version', type: 'integer' })
  version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'cases' })
@Index('cases_type_stage_idx', ['caseType', 'stage'])
@Index('cases_employee_idx', ['employeeId'])
@Index('cases_team_idx', ['team'])
@Index('cases_cycle_idx', ['cycleId'])
export class CaseRow {
  @PrimaryColumn({ name: 'case_id', type: 'uuid', primaryKeyConstraintName: 'cases_pkey' })
  caseId!: string;
  @Column({ name: 'case_type', type: 'text' })
  caseType!: string;
  @Column({ name: 'stage', type: 'text' })
  stage!: string;
  @Column({ name: 'employee_id', type: 'text', nullable: true })
  employeeId!: string | null;
  @Column({ name: 'team', type: 'text', nullable: true })
  team!: string | null;
  @Column({ name: 'receiving_team', type: 'text', nullable: true })
  receivingTeam!: string | null;
  @Column({ name: 'cycle_id', type: 'text', nullable: true })
  cycleId!: string | null;
  @Column({ name: 'opening_id', type: 'text', nullable: true })
  openingId!: string | null;
  @Column({ name: 'target_role_id', type: 'text', nullable: true })
  targetRoleId!: string | null;
  @Column({ name: 'framework_id', type: 'text', nullable: true })
  frameworkId!: string | null;
  @Column({ name: 'framework_version', type: 'integer', nullable: true })
  frameworkVersion!: number | null;
  @Column({ name: 'machine_version', type: 'text' })
  machineVersion!: string;
  @Column({ name: 'requester_id', type: 'text', nullable: true })
  requesterId!: string | null;
  @Column({ name: 'waiting_on', type: 'text', array: true, default: () => "'{}'" })
  waitingOn!: string[];
  @Column({ name: 'waiting_except', type: 'text', array: true, default: () => "'{}'" })
  waitingExcept!: string[];
  @Column({ name: 'version', type: 'integer' })
  version!: number;
  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
  @Column({ name: 'state', type: 'jsonb' })
  state!: unknown;
}

@Entity({ name: 'cycle_eligibility' })
@Index('cycle_eligibility_manager_idx', ['cycleId', 'managerId'])
export class CycleEligibilityRow {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'cycle_eligibility_pkey' })
  cycleId!: string;
  @PrimaryColumn({ name: 'employee_id', type: 'text', primaryKeyConstraintName: 'cycle_eligibility_pkey' })
  employeeId!: string;
  @PrimaryColumn({ name: 'target_role_id', type: 'text', primaryKeyConstraintName: 'cycle_eligibility_pkey' })
  targetRoleId!: string;
  @Column({ name: 'manager_id', type: 'text', nullable: true })
  managerId!: string | null;
  @Column({ name: 'eligible', type: 'boolean' })
  eligible!: boolean;
  @Column({ name: 'unmet', type: 'integer' })
  unmet!: number;
  @Column({ name: 'verdict', type: 'jsonb' })
  verdict!: unknown;
  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;
}
