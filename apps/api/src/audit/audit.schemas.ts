import type { SchemaObject } from '@nestjs/swagger';

/** OpenAPI shapes of the audit responses (documentation only; the handlers' types are the source). */
const text = { type: 'string' } as const;
const nullableText = { type: 'string', nullable: true } as const;
const instant = { type: 'string', format: 'date-time' } as const;

export const AUDIT_EVENT: SchemaObject = {
  type: 'object',
  description: 'One event: what, who, when, why, and the proof',
  properties: {
    position: { ...text, description: 'global log position (bigint as text)' },
    eventId: { ...text, format: 'uuid' },
    streamId: text,
    streamType: text,
    version: { type: 'integer', description: "the event's version in its stream" },
    type: { ...text, description: 'what happened, e.g. PromotionRequested' },
    schemaVersion: { type: 'integer' },
    actorId: { ...text, description: 'who: user id (or "system")' },
    actorRole: { ...text, description: 'who: the role the action was authorized under' },
    reason: { ...nullableText, description: 'why: the reason given, if any' },
    correlationId: nullableText,
    causationId: nullableText,
    occurredAt: { ...instant, description: "when: the command's clock" },
    recordedAt: { ...instant, description: 'when: the store wrote it' },
    payload: { type: 'object', additionalProperties: true, description: 'what changed, as stored' },
    metadata: { type: 'object', additionalProperties: true },
    prevHash: { ...nullableText, description: "hex sha256 of the stream's previous event" },
    hash: { ...text, description: 'hex sha256(prevHash || canonical event)' },
  },
};

export function pageOf(item: SchemaObject, extra: Record<string, SchemaObject> = {}): SchemaObject {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      nextCursor: { ...nullableText, description: 'pass as ?cursor= for the next page; null on the last' },
      ...extra,
    },
  };
}

export const APPROVAL: SchemaObject = {
  allOf: [
    AUDIT_EVENT,
    { type: 'object', properties: { outcome: { type: 'string', enum: ['approve', 'deny'] } } },
  ],
};

export const WAIVER_GRANT: SchemaObject = {
  allOf: [AUDIT_EVENT, { type: 'object', properties: { requirementIds: { type: 'array', items: text } } }],
};

export const WAIVER_COUNTS: Record<string, SchemaObject> = {
  total: { type: 'integer', description: 'grants in the whole period' },
  byRequirement: {
    type: 'array',
    description: 'grants per requirement over the whole period, most waived first',
    items: { type: 'object', properties: { requirementId: text, count: { type: 'integer' } } },
  },
};

const EVENT_REF: SchemaObject = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    type: text,
    actorId: text,
    actorRole: text,
    occurredAt: instant,
    recordedAt: instant,
  },
};

export const CASE_AS_OF: SchemaObject = {
  type: 'object',
  properties: {
    caseId: { ...text, format: 'uuid' },
    caseType: text,
    asOf: instant,
    basis: { type: 'string', enum: ['recorded', 'occurred'] },
    asOfDate: { ...text, format: 'date', description: 'the date eligibility was evaluated for' },
    version: { type: 'integer', description: 'stream version known at the instant' },
    currentVersion: { type: 'integer' },
    stage: text,
    machineVersion: text,
    state: { type: 'object', additionalProperties: true },
    lastEvent: EVENT_REF,
    recordedEligibility: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'the verdict recorded on the case by then',
    },
    eligibility: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'per requirement met/unmet/waived with evidence, evaluated as the engine would have then',
    },
    transferEligibility: { type: 'object', nullable: true, additionalProperties: true },
  },
};

export const EMPLOYEE_AS_OF: SchemaObject = {
  type: 'object',
  properties: {
    employeeId: text,
    asOf: instant,
    basis: { type: 'string', enum: ['recorded', 'occurred'] },
    asOfDate: { ...text, format: 'date' },
    version: { type: 'integer' },
    currentVersion: { type: 'integer' },
    frameworkId: text,
    frameworkVersion: { type: 'integer', description: 'the version current at the instant' },
    snapshot: { type: 'object', nullable: true, additionalProperties: true },
    nextRoles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        description: 'role and its eligibility verdict then',
      },
    },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        properties: { caseId: text, caseType: text, stage: text, version: { type: 'integer' } },
      },
    },
  },
};

export const VERIFICATION: SchemaObject = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    eventsChecked: { type: 'integer' },
    streamId: text,
    verifiedAt: instant,
    firstBroken: {
      type: 'object',
      description: 'absent when ok',
      properties: { streamId: text, version: { type: 'integer' }, reason: text },
    },
  },
};
