import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { listCases, type CaseFilter, type CaseListEntry } from '@talent/read-models';
import { InvalidInputError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { callerTokens } from '../case-row.js';

export interface ListCasesFilter {
  caseType?: string;
  stage?: string;
  employeeId?: string;
  team?: string;
  cycleId?: string;
  waitingOnMe?: boolean;
  cursor?: string;
  limit: number;
}

export interface CasePage {
  items: Array<Omit<CaseListEntry, 'state'>>;
  nextCursor: string | null;
}

/** Case types everyone may see (role openings are published to the whole team; cycles to all). */
const PUBLIC_TYPES = ['opening', 'reviewCycle'];

export class ListCasesQuery extends Query<CasePage> {
  constructor(
    readonly filter: ListCasesFilter,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

function decodeCursor(cursor: string): { updatedAt: string; caseId: string } {
  try {
    const [updatedAt, caseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof updatedAt === 'string' &&
      typeof caseId === 'string' &&
      !Number.isNaN(Date.parse(updatedAt)) &&
      /^[0-9a-f-]{36}$/.test(caseId)
    ) {
      return { updatedAt, caseId };
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor is not one this API returned; start again without it', [
    { path: 'cursor', message: 'invalid cursor' },
  ]);
}

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery, CasePage> {
  constructor(private readonly store: EventStore) {}

  async execute({ filter, actor }: ListCasesQuery): Promise<CasePage> {
    const f: CaseFilter = { limit: filter.limit + 1 };
    if (filter.caseType) f.caseType = filter.caseType;
    if (filter.stage) f.stage = filter.stage;
    if (filter.employeeId) f.employeeId = filter.employeeId;
    if (filter.team) f.team = filter.team;
    if (filter.cycleId) f.cycleId = filter.cycleId;
    if (filter.waitingOnMe) f.waitingOn = { tokens: callerTokens(actor), me: `user:${actor.userId}` };
    if (filter.cursor) f.after = decodeCursor(filter.cursor);
    const seesAll = actor.roles.some((r) => r === 'hr' || r === 'auditor' || r === 'system');
    if (!seesAll) {
      const reports = actor.roles.includes('manager')
        ? (
            await this.store.dataSource.query<Array<{ employee_id: string }>>(
              'SELECT employee_id FROM employees WHERE manager_id = $1',
              [actor.userId],
            )
          ).map((r) => r.employee_id)
        : [];
      f.visibleTo = {
        employeeIds: [actor.userId, ...reports],
        teams: actor.roles.includes('leadership') && actor.team ? [actor.team] : [],
        userId: actor.userId,
        publicTypes: PUBLIC_TYPES,
      };
    }
    const rows = await listCases(this.store.dataSource, f);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ state: _state, ...rest }) => rest),
      nextCursor:
        rows.length > filter.limit && last
          ? Buffer.from(JSON.stringify([last.updatedAt, last.caseId])).toString('base64url')
          : null,
    };
  }
}
