import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../auth/actor.js';

/**
 * What every write carries besides its body: who, when (the command's clock is read once, here at
 * the edge), the correlation id, the optimistic-concurrency precondition and the idempotency key.
 */
export interface WriteRequest {
  actor: Actor;
  now: string;
  requestId: string;
  /** From If-Match: the stream version the caller last saw; undefined when absent or "*". */
  expectedVersion?: number;
  /** From Idempotency-Key: retries with the same key return the original result. */
  idempotencyKey?: string;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~-]{8,128}$/;
const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = ETAG.exec(header.trim());
  if (!match?.[1]) {
    throw new BadRequestException(
      `If-Match must be an ETag this API returned, like "3" (got ${JSON.stringify(header.slice(0, 40))})`,
    );
  }
  return Number(match[1]);
}

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequestException(
      'Idempotency-Key must be 8 to 128 characters of letters, digits, ".", "_", "~" or "-" (a UUID works)',
    );
  }
  return header;
}

export const Write = createParamDecorator((_: unknown, ctx: ExecutionContext): WriteRequest => {
  const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor; id?: unknown }>();
  if (!req.actor) throw new BadRequestException('no authenticated actor');
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    actor: req.actor,
    now: new Date().toISOString(),
    requestId: typeof req.id === 'string' ? req.id : 'unknown',
    expectedVersion: parseIfMatch(header('if-match')),
    idempotencyKey: parseIdempotencyKey(header('idempotency-key')),
  };
});

export function etag(version: number): string {
  return `"${version}"`;
}
