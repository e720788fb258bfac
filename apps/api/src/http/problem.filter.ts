import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodError } from 'zod';
import { AuditError, InvalidCursorError } from '@talent/audit';
import { ConcurrencyError, IdempotencyConflictError, InvalidAppendError } from '@talent/event-store';
import { isDomainError } from '@talent/workflows';

export interface Problem {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

/** Errors of the career-framework core, by code (kept structural so the edge owns the mapping). */
const FRAMEWORK_ERROR_STATUS: Record<string, number> = {
  INVALID_FRAMEWORK: 400,
  INVALID_FACT: 400,
  INVALID_DATE: 400,
  UNKNOWN_ROLE: 404,
  EMPLOYEE_STREAM: 409,
  FRAMEWORK_CATALOG: 409,
};

function hasCode(e: unknown): e is Error & { code: string; issues?: unknown } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

function describe(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Maps a thrown error to a problem response. Bad input never becomes a 500. */
export function toProblem(e: unknown): Problem {
  if (isDomainError(e)) {
    return {
      statusCode: e.httpStatus,
      error: HttpStatus[e.httpStatus] ?? 'Error',
      code: e.code,
      message: e.message,
      details: e.details,
    };
  }
  if (e instanceof ConcurrencyError) {
    return {
      statusCode: 412,
      error: 'Precondition Failed',
      code: 'STALE_VERSION',
      message: `the resource changed: it is at version ${e.actual}, you expected ${String(e.expected)}; reload it and retry with If-Match: "${e.actual}"`,
      details: { actual: e.actual, expected: e.expected },
    };
  }
  if (e instanceof IdempotencyConflictError) {
    return {
      statusCode: 409,
      error: 'Conflict',
      code: 'IDEMPOTENCY_KEY_REUSED',
      message:
        'this Idempotency-Key was already used for a different request; use a new key for a new request',
    };
  }
  if (e instanceof InvalidAppendError) {
    return { statusCode: 400, error: 'Bad Request', code: 'INVALID_REQUEST', message: e.message };
  }
  if (e instanceof AuditError) {
    const cursor = e instanceof InvalidCursorError;
    return {
      statusCode: 400,
      error: 'Bad Request',
      code: cursor ? 'INVALID_CURSOR' : 'INVALID_FILTER',
      message: cursor
        ? `${e.message}; pass back the nextCursor of the same query with the same filters, or drop cursor to start over`
        : e.message,
    };
  }
  if (e instanceof ZodError) {
    return {
      statusCode: 400,
      error: 'Bad Request',
      code: 'INVALID_INPUT',
      message: e.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; '),
      details: { issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const body = e.getResponse();
    const message =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? (body as { message: string[] }).message.join('; ')
          : describe((body as { message?: unknown }).message, e.message);
    return {
      statusCode: status,
      error: HttpStatus[status] ?? 'Error',
      code: HttpStatus[status] ?? 'HTTP_ERROR',
      message,
    };
  }
  if (hasCode(e) && e.code in FRAMEWORK_ERROR_STATUS) {
    const status = FRAMEWORK_ERROR_STATUS[e.code] ?? 400;
    return {
      statusCode: status,
      error: HttpStatus[status] ?? 'Error',
      code: e.code,
      message: e.message,
      details: e.issues ? { issues: e.issues } : undefined,
    };
  }
  // body-parser errors carry a status and a type
  const parserError = e as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    const status = parserError.status;
    const message =
      parserError.type === 'entity.parse.failed'
        ? 'the request body is not valid JSON'
        : parserError.type === 'entity.too.large'
          ? 'the request body is too large (2 MB at most)'
          : String(parserError.message);
    return {
      statusCode: status,
      error: HttpStatus[status] ?? 'Error',
      code: typeof parserError.type === 'string' ? parserError.type : 'BAD_REQUEST',
      message,
    };
  }
  return {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'INTERNAL',
    message: 'an unexpected error occurred; it has been logged',
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: unknown }>();
    const problem = toProblem(exception);
    if (problem.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (typeof req.id === 'string') problem.requestId = req.id;
    if (res.headersSent) return;
    res.status(problem.statusCode).type('application/problem+json').json(problem);
  }
}
