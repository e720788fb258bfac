import { InvalidNotificationInputError } from './errors.js';
import { isUuid } from './ids.js';
import { selectRows } from './sql.js';
import type { NotificationReason, SqlRunner } from './types.js';

export interface InboxItem {
  id: string;
  /** Whose inbox the row sits in: a user id, or a role inbox such as `role:hr`. */
  recipientId: string;
  eventId: string;
  eventType: string;
  streamId: string;
  reason: NotificationReason;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  createdAt: Date;
  readAt: Date | null;
}

export interface InboxPage {
  items: InboxItem[];
  /** Pass as `after` for the next (older) page; null when this is the last page. */
  nextCursor: string | null;
}

export interface InboxQuery {
  unreadOnly?: boolean;
  /** Cursor from a previous page. */
  after?: string;
  /** 1..100, default 20. */
  limit?: number;
}

interface Row {
  id: string;
  recipient_id: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  reason: NotificationReason;
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
 * The cursor carries the exact position (occurred_at in whole microseconds since the epoch, id):
 * a JS Date would drop the microseconds and skip or repeat rows.
 */
function encodeCursor(occurredUs: string, id: string): string {
  return Buffer.from(`${occurredUs}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { occurredUs: string; id: string } {
  const [occurredUs, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !occurredUs || !/^-?\d{1,19}$/.test(occurredUs) || !id || !isUuid(id)) {
    throw new InvalidNotificationInputError('after', 'not a cursor returned by listInbox');
  }
  return { occurredUs, id };
}

/** In-app inboxes, newest first. Every query is scoped to the owners it is given. */
export class NotificationInbox {
  constructor(private readonly db: SqlRunner) {}

  /**
   * One inbox, or several merged (a user's own and their role inboxes): one keyset query over all of
   * them, ordered by (occurred_at in whole microseconds, id), so pages never skip or repeat rows.
   */
  async listInbox(recipients: string | readonly string[], query: InboxQuery = {}): Promise<InboxPage> {
    const limit = query.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new InvalidNotificationInputError('limit', 'must be an integer from 1 to 100');
    }
    const params: unknown[] = [typeof recipients === 'string' ? [recipients] : recipients, limit + 1];
    let where = `recipient_id = ANY($1::text[]) AND channel = 'in_app'`;
    if (query.unreadOnly) where += ' AND read_at IS NULL';
    if (query.after !== undefined) {
      const c = decodeCursor(query.after);
      params.push(c.occurredUs, c.id);
      where += ` AND (occurred_at, id) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid)`;
    }
    const rows = await selectRows<Row>(
      this.db,
      `SELECT id, recipient_id, event_id, event_type, stream_id, reason, kind, title, body, data, occurred_at, created_at, read_at,
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

  /** Marks the owner's unread in-app notifications among `ids` read; others' ids are ignored. */
  async markRead(userId: string, ids: readonly string[]): Promise<number> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return 0;
    const rows = await selectRows<{ n: string }>(
      this.db,
      `WITH changed AS (
         UPDATE notifications SET read_at = now()
          WHERE recipient_id = $1 AND channel = 'in_app' AND read_at IS NULL AND id = ANY($2::uuid[])
          RETURNING 1)
       SELECT count(*)::text AS n FROM changed`,
      [userId, valid],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async unreadCount(userId: string): Promise<number> {
    const rows = await selectRows<{ n: string }>(
      this.db,
      `SELECT count(*)::text AS n FROM notifications WHERE recipient_id = $1 AND channel = 'in_app' AND read_at IS NULL`,
      [userId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
