import { createHash } from 'node:crypto';
import { InvalidCursorError } from './errors.js';

/**
 * Opaque keyset cursors: base64url JSON naming the query that issued it, a fingerprint of its
 * filters (so a cursor cannot silently be replayed against another case, actor or period) and the
 * key of the last row returned: its global `position`, plus its `occurred_at` (PostgreSQL text, full
 * microsecond precision) for the queries ordered by time.
 */
export interface CursorKey {
  position: string;
  occurredAt?: string;
}

interface CursorBody {
  v: 1;
  q: string;
  f: string;
  p: string;
  t?: string;
}

export function filterFingerprint(parts: ReadonlyArray<string | number | null | undefined>): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map((p) => (p === undefined ? null : p))))
    .digest('base64url')
    .slice(0, 12);
}

export function encodeCursor(query: string, fingerprint: string, key: CursorKey): string {
  const body: CursorBody = { v: 1, q: query, f: fingerprint, p: key.position };
  if (key.occurredAt !== undefined) body.t = key.occurredAt;
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const POSITION = /^(0|[1-9][0-9]{0,18})$/;
// occurred_at in UTC with microseconds, e.g. 2026-11-24T08:25:05.123456Z
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeCursor(
  cursor: string,
  query: string,
  fingerprint: string,
  withTime: boolean,
): CursorKey {
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > 512 ||
    !/^[A-Za-z0-9_-]+$/.test(cursor)
  ) {
    throw new InvalidCursorError('not a base64url token');
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor issued by this service');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidCursorError('not a cursor issued by this service');
  }
  const b = body as Partial<Record<keyof CursorBody, unknown>>;
  if (b.v !== 1) throw new InvalidCursorError('unknown cursor version');
  if (b.q !== query) throw new InvalidCursorError(`issued by another query (${String(b.q)}), not ${query}`);
  if (b.f !== fingerprint) throw new InvalidCursorError('issued for different filters');
  if (typeof b.p !== 'string' || !POSITION.test(b.p)) throw new InvalidCursorError('bad position');
  if (!withTime) return { position: b.p };
  if (typeof b.t !== 'string' || !PG_TIMESTAMPTZ.test(b.t)) throw new InvalidCursorError('bad time key');
  return { position: b.p, occurredAt: b.t };
}
