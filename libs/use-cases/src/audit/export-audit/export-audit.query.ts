import type { Readable } from 'node:stream';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { exportRows, type ExportFormat, type ExportQuery } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { assertCanReadApprovals } from '../approvals/approvals.query.js';
import { AuditAccess, assertAuditReader } from '../audit-access.js';

export interface AuditExport {
  /** The rows, produced a page at a time as the consumer reads (one consistent snapshot). */
  stream: Readable;
  contentType: string;
  filename: string;
}

/** Any audit query as CSV or NDJSON, streamed; every row carries its hash chain links. */
export class ExportAuditQuery extends Query<AuditExport> {
  constructor(
    readonly query: ExportQuery,
    readonly format: ExportFormat,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

function nameOf(q: ExportQuery): string {
  switch (q.kind) {
    case 'caseHistory':
      return `case-${q.caseId}-history`;
    case 'employeeTimeline':
      return `employee-${q.employeeId}-timeline`;
    case 'actorActivity':
      return `actor-${q.actorId}-activity`;
    case 'approvals':
      return q.approverId ? `approvals-${q.approverId}` : 'approvals';
    case 'waiversGranted':
      return 'waivers-granted';
    case 'period':
      return 'events';
    case 'stream':
      return `stream-${q.streamId}`;
  }
}

@QueryHandler(ExportAuditQuery)
export class ExportAuditHandler implements IQueryHandler<ExportAuditQuery, AuditExport> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AuditAccess,
  ) {}

  async execute(q: ExportAuditQuery): Promise<AuditExport> {
    const query = q.query;
    switch (query.kind) {
      case 'caseHistory':
        await this.access.readableCase(query.caseId, q.actor);
        break;
      case 'employeeTimeline':
        await this.access.readableEmployee(query.employeeId, q.actor);
        break;
      case 'actorActivity':
        await this.access.assertCanReadActivity(query.actorId, q.actor);
        break;
      case 'approvals':
        assertCanReadApprovals(q.actor, query.approverId);
        break;
      case 'waiversGranted':
        assertAuditReader(q.actor, 'the waivers granted across the organisation');
        break;
      case 'period':
      case 'stream':
        assertAuditReader(q.actor, `a ${query.kind} export`);
        break;
    }
    // bad filters throw here, before the response starts
    const stream = exportRows(this.store.dataSource, query, q.format);
    const safe = nameOf(query)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 120);
    return {
      stream,
      contentType: q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      filename: `${safe}.${q.format === 'csv' ? 'csv' : 'ndjson'}`,
    };
  }
}
