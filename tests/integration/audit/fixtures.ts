import { EventStore, type EventMetadata, type JsonObject, type NewEvent } from '@talent/event-store';
import { recordStreamSubjects } from '@talent/audit';

/** Builds streams through the event store's own append (so hashes are the store's), in log order. */
export class AuditFixture {
  constructor(readonly store: EventStore) {}

  private seq = 0;

  meta(at: string, actorId: string, actorRole: string, reason?: string): EventMetadata {
    this.seq++;
    const m: EventMetadata = {
      actorId,
      actorRole,
      occurredAt: at,
      correlationId: `corr-${this.seq}`,
      causationId: `cmd-${this.seq}`,
    };
    if (reason !== undefined) m.reason = reason;
    return m;
  }

  async append(
    streamId: string,
    streamType: string,
    type: string,
    payload: JsonObject,
    meta: EventMetadata,
    subjects: string[] = [],
  ): Promise<void> {
    const event: NewEvent = { type, payload, metadata: meta };
    await this.store.append(streamId, streamType, 'any', [event], {
      inline: subjects.length ? (tx) => recordStreamSubjects(tx, streamId, subjects) : undefined,
    });
  }
}

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export async function readAll(
  stream: AsyncIterable<Buffer | string>,
): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const c of stream) {
    chunks++;
    text += typeof c === 'string' ? c : c.toString('utf8');
  }
  return { text, chunks };
}
