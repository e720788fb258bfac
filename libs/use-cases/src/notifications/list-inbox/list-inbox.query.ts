import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { isUuid, type InboxItem } from '@talent/notifications';
import { InvalidInputError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { inboxRecipients } from '../inbox-recipients.js';

export interface MyInboxItem extends InboxItem {
  /** Whose inbox the row sits in: the caller's user id, or a role inbox such as `role:hr`. */
  recipientId: string;
}

export interface MyInboxPage {
  items: MyInboxItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface MyInboxFilter {
  unreadOnly?: boolean;
  cursor?: string;
  /** 1..100 */
  limit: number;
}

/** The caller's in-app notifications merged with their role inboxes, newest first. */
export class ListMyNotificationsQuery extends Query<MyInboxPage> {
  constructor(
    readonly filter: MyInboxFilter,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

interface Row {
  id: string;
  recipient_id: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  reason: InboxItem['reason'];
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  occurred_at: Date;
  created_at: Date;
  read_at: Date | null;
  occurred_us: string;
}

/**
 * The cursor is the exact position of the last row shown, (occurred_at in whole microseconds, id):
 * the same order key for every inbox merged, so one keyset query over all of them pages without
 * skipping or repeating rows (a JS Date would drop the microseconds).
 */
function encodeCursor(occurredUs: string, id: string): string {
  return Buffer.from(`${occurredUs}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { occurredUs: string; id: string } {
  const [occurredUs, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !occurredUs || !/^-?\d{1,19}$/.test(occurredUs) || !id || !isUuid(id)) {
    throw new InvalidInputError('cursor is not one this API returned; start again without it', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return { occurredUs, id };
}

@QueryHandler(ListMyNotificationsQuery)
export class ListMyNotificationsHandler implements IQueryHandler<ListMyNotificationsQuery, MyInboxPage> {
  constructor(private readonly store: EventStore) {}

  async execute({ filter, actor }: ListMyNotificationsQuery): Promise<MyInboxPage> {
    const { limit } = filter;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new InvalidInputError('limit must be an integer from 1 to 100', [
        { path: 'limit', message: '1..100' },
      ]);
    }
    const params: unknown[] = [inboxRecipients(actor), limit + 1];
    let where = `recipient_id = ANY($1::text[]) AND channel = 'in_app'`;
    if (filter.unreadOnly) where += ' AND read_at IS NULL';
    if (filter.cursor !== undefined) {
      const c = decodeCursor(filter.cursor);
      params.push(c.occurredUs, c.id);
      where += ` AND (occurred_at, id) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid)`;
    }
    const rows = await this.store.dataSource.query<Row[]>(
      `SELECT id, recipient_id, event_id, event_type, stream_id, reason, kind, title, body, data, occurred_at,
              created_at, read_at,
              ((extract(epoch FROM occurred_at) * 1000000)::numeric(30, 0))::text AS occurred_us
         FROM notifications
        WHERE ${where}
        ORDER BY occurred_at DESC, id DESC
        LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        recipientId: r.recipient_id,
        eventId: r.event_id,
        eventType: r.event_type,
        streamId: r.stream_id,
        reason: r.reason,
        kind: r.kind,
        title: r.title,
        body: r.body,
        data: r.data,
        occurredAt: r.occurred_at,
        createdAt: r.created_at,
        readAt: r.read_at,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.occurred_us, last.id) : null,
    };
  }
}
