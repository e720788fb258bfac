/** Base of every error the audit queries raise on bad input (mapped to HTTP 400 at the edge). */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A pagination cursor that is not one this query issued (garbled, from another query or filter). */
export class InvalidCursorError extends AuditError {
  constructor(readonly reason: string) {
    super(`Invalid cursor: ${reason}`);
  }
}

/** A filter value is missing or malformed (bad date, reversed period, bad id, bad limit). */
export class InvalidFilterError extends AuditError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid filter "${field}": ${reason}`);
  }
}
