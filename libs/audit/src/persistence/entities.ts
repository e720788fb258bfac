import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Persistence model of `stream_subjects` (created by the migration beside this file, never by
 * `synchronize`): which employees each case stream concerns. Written by `recordStreamSubjects`,
 * read by `employeeTimeline` through the (employee_id, stream_id) index.
 */
@Entity({ name: 'stream_subjects' })
@Index('stream_subjects_employee_idx', ['employeeId', 'streamId'])
export class StreamSubjectRecord {
  @PrimaryColumn({ name: 'stream_id', type: 'text', primaryKeyConstraintName: 'stream_subjects_pkey' })
  streamId!: string;

  @PrimaryColumn({ name: 'employee_id', type: 'text', primaryKeyConstraintName: 'stream_subjects_pkey' })
  employeeId!: string;
}
