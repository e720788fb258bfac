import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Persistence model of `scheduled_jobs` (schema diff only). */
@Entity({ name: 'scheduled_jobs' })
@Index('scheduled_jobs_state_run_at_idx', ['state', 'runAt'])
@Check('scheduled_jobs_state_check', `"state" IN ('pending', 'enqueued', 'done', 'cancelled', 'failed')`)
export class ScheduledJobRow {
  @PrimaryColumn({ name: 'job_id', type: 'text', primaryKeyConstraintName: 'scheduled_jobs_pkey' })
  jobId!: string;
  @Column({ name: 'queue', type: 'text' })
  queue!: string;
  @Column({ name: 'name', type: 'text' })
  name!: string;
  @Column({ name: 'data', type: 'jsonb' })
  data!: unknown;
  @Column({ name: 'run_at', type: 'timestamptz' })
  runAt!: Date;
  @Column({ name: 'state', type: 'text', default: 'pending' })
  state!: string;
  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
  @Column({ name: 'outcome', type: 'text', nullable: true })
  outcome!: string | null;
  @Column({ name: 'source_event_id', type: 'uuid', nullable: true })
  sourceEventId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
