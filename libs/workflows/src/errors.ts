/**
 * Typed domain errors. The HTTP layer maps them by `kind` (or `httpStatus`):
 * invalid-input 400, forbidden 403, not-found 404, stage-conflict 409, requirement-unmet 422.
 * Each carries a machine-readable `code` and a message a person can act on.
 */
export type DomainErrorKind =
  'invalid-input' | 'forbidden' | 'not-found' | 'stage-conflict' | 'requirement-unmet';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  abstract readonly httpStatus: 400 | 403 | 404 | 409 | 422;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  protected constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): {
    kind: DomainErrorKind;
    code: string;
    message: string;
    details: Readonly<Record<string, unknown>>;
  } {
    return { kind: this.kind, code: this.code, message: this.message, details: this.details };
  }
}

export interface InputIssue {
  path: string;
  message: string;
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input' as const;
  readonly httpStatus = 400 as const;
  readonly issues: readonly InputIssue[];
  constructor(message: string, issues: InputIssue[] = [], code = 'INVALID_INPUT') {
    super(code, message, { issues });
    this.issues = issues;
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly httpStatus = 403 as const;
  constructor(message: string, details: Record<string, unknown> = {}, code = 'FORBIDDEN') {
    super(code, message, details);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
  readonly httpStatus = 404 as const;
  constructor(what: string, id: string, code = 'NOT_FOUND') {
    super(code, `${what} '${id}' does not exist`, { what, id });
  }
}

export class StageConflictError extends DomainError {
  readonly kind = 'stage-conflict' as const;
  readonly httpStatus = 409 as const;
  readonly caseType: string;
  readonly stage: string;
  readonly action: string;
  readonly allowedStages: readonly string[];
  constructor(args: {
    caseType: string;
    caseLabel: string;
    stage: string;
    action: string;
    allowedStages: readonly string[];
    note?: string;
    code?: string;
  }) {
    const allowed = args.allowedStages.length > 0 ? args.allowedStages.join(', ') : '(no stage)';
    super(
      args.code ?? 'STAGE_CONFLICT',
      `the ${args.caseLabel} is in stage '${args.stage}'; '${args.action}' is only allowed in: ${allowed}` +
        (args.note ? ` (${args.note})` : ''),
      { caseType: args.caseType, stage: args.stage, action: args.action, allowedStages: args.allowedStages },
    );
    this.caseType = args.caseType;
    this.stage = args.stage;
    this.action = args.action;
    this.allowedStages = args.allowedStages;
  }
}

export interface UnmetRequirement {
  requirementId: string;
  kind?: string;
  /** what is missing, e.g. "needs 2 more quarters" */
  missing?: string;
}

export class RequirementUnmetError extends DomainError {
  readonly kind = 'requirement-unmet' as const;
  readonly httpStatus = 422 as const;
  readonly unmet: readonly UnmetRequirement[];
  constructor(action: string, unmet: UnmetRequirement[], hint?: string, code = 'REQUIREMENT_UNMET') {
    const list = unmet
      .map((u) => (u.missing ? `${u.requirementId} (${u.missing})` : u.requirementId))
      .join('; ');
    super(code, `'${action}' needs requirements that are not met: ${list}` + (hint ? `. ${hint}` : ''), {
      action,
      unmet,
    });
    this.unmet = unmet;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
