import type { Rating } from '../framework/schema.js';
import type { IsoDate, QuarterId } from '../time/dates.js';
import { EmployeeStreamError } from '../errors.js';
import type { EmployeeFactData, EmployeeFactEvent, EmployeeFactType } from './events.js';

/**
 * A fact with its position in the stream (ties on effective date keep recording order) and the
 * date it takes effect for the rules: its effective date, or the hire date for facts dated before
 * the hire (e.g. people-management experience from a previous employer).
 */
export type DatedFact = {
  [K in EmployeeFactType]: { type: K; data: EmployeeFactData<K>; sequence: number; effectiveFrom: IsoDate };
}[EmployeeFactType];

/**
 * Everything known about one employee, each fact kept with its effective date so that
 * rules can be evaluated as of any date (see `employeeAsOf`).
 */
export interface EmployeeRecord {
  employeeId: string;
  name: string;
  email: string;
  frameworkId: string;
  hiredOn: IsoDate;
  /** All facts ordered by the date they take effect, then by the order they were recorded. */
  facts: DatedFact[];
}

function byEffectiveDate(a: DatedFact, b: DatedFact): number {
  if (a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom < b.effectiveFrom ? -1 : 1;
  return a.sequence - b.sequence;
}

/** Folds an employee's stream (in recording order) into a record. The first event must be EmployeeHired. */
export function foldEmployeeFacts(events: ReadonlyArray<EmployeeFactEvent>): EmployeeRecord {
  const first = events[0];
  if (first === undefined)
    throw new EmployeeStreamError('an employee stream starts with EmployeeHired; it is empty');
  if (first.type !== 'EmployeeHired') {
    throw new EmployeeStreamError(`an employee stream starts with EmployeeHired, not ${first.type}`);
  }
  const hired = first.data;
  const facts: DatedFact[] = [];
  events.forEach((event, sequence) => {
    if (event.data.employeeId !== hired.employeeId) {
      throw new EmployeeStreamError(
        `event ${sequence} (${event.type}) is about ${event.data.employeeId}, not ${hired.employeeId}`,
      );
    }
    if (sequence > 0 && event.type === 'EmployeeHired') {
      throw new EmployeeStreamError(`event ${sequence}: an employee is hired once`);
    }
    const { effectiveDate } = event.data;
    const effectiveFrom = effectiveDate < hired.effectiveDate ? hired.effectiveDate : effectiveDate;
    facts.push({ ...event, sequence, effectiveFrom });
  });
  facts.sort(byEffectiveDate);
  return {
    employeeId: hired.employeeId,
    name: hired.name,
    email: hired.email,
    frameworkId: hired.frameworkId,
    hiredOn: hired.effectiveDate,
    facts,
  };
}

export interface RoleSpell {
  roleId: string;
  track: string;
  from: IsoDate;
  /** Exclusive end (the date the next role took effect); absent for the current role. */
  to?: IsoDate;
}

export interface QuarterRating {
  quarter: QuarterId;
  ratings: Record<string, Rating>;
  effectiveDate: IsoDate;
}

export interface DatedNote {
  description: string;
  effectiveDate: IsoDate;
  months?: number;
}

export interface PeerReview {
  targetRoleId: string;
  outcome: 'passed' | 'failed';
  date: IsoDate;
  effectiveDate: IsoDate;
}

export interface HeldDesignation {
  designation: string;
  team: string;
  since: IsoDate;
}

/** The employee as known from facts effective on or before `asOf`. */
export interface EmployeeSnapshot {
  employeeId: string;
  name: string;
  email: string;
  frameworkId: string;
  asOf: IsoDate;
  hiredOn: IsoDate;
  team: string;
  teamSince: IsoDate;
  managerId?: string;
  track: string;
  roleId: string;
  roleSince: IsoDate;
  roleHistory: RoleSpell[];
  /** Latest rating per quarter, in quarter order. */
  ratings: QuarterRating[];
  skillsets: Array<{ skillset: string; effectiveDate: IsoDate }>;
  coaching: DatedNote[];
  peopleManagement: DatedNote[];
  peerReviews: PeerReview[];
  designations: HeldDesignation[];
}

/**
 * The employee as of a date, from facts effective on or before it (a fact recorded late with
 * an earlier effective date counts from its effective date; a fact dated before the hire counts
 * from the hire). Undefined before the hire date.
 */
export function employeeAsOf(record: EmployeeRecord, asOf: IsoDate): EmployeeSnapshot | undefined {
  if (asOf < record.hiredOn) return undefined;
  let snapshot: EmployeeSnapshot | undefined;
  const ratings = new Map<QuarterId, QuarterRating>();
  const designations = new Map<string, HeldDesignation>();
  const skillsets = new Map<string, { skillset: string; effectiveDate: IsoDate }>();
  const changeRole = (s: EmployeeSnapshot, roleId: string, track: string, from: IsoDate): void => {
    if (roleId === s.roleId && track === s.track) return;
    const current = s.roleHistory[s.roleHistory.length - 1];
    current.to = from;
    s.roleHistory.push({ roleId, track, from });
    s.roleId = roleId;
    s.track = track;
    s.roleSince = from;
  };
  for (const fact of record.facts) {
    if (fact.effectiveFrom > asOf) break;
    if (fact.type === 'EmployeeHired') {
      const d = fact.data;
      snapshot = {
        employeeId: d.employeeId,
        name: d.name,
        email: d.email,
        frameworkId: d.frameworkId,
        asOf,
        hiredOn: d.effectiveDate,
        team: d.team,
        teamSince: d.effectiveDate,
        managerId: d.managerId,
        track: d.track,
        roleId: d.roleId,
        roleSince: d.effectiveDate,
        roleHistory: [{ roleId: d.roleId, track: d.track, from: d.effectiveDate }],
        ratings: [],
        skillsets: [],
        coaching: [],
        peopleManagement: [],
        peerReviews: [],
        designations: [],
      };
      continue;
    }
    if (snapshot === undefined) continue; // unreachable: the hire sorts first
    const s = snapshot;
    const from = fact.effectiveFrom;
    switch (fact.type) {
      case 'LevelChanged':
        changeRole(s, fact.data.roleId, fact.data.track ?? s.track, from);
        break;
      case 'TrackChanged':
        changeRole(s, fact.data.roleId, fact.data.track, from);
        break;
      case 'TeamChanged':
        if (fact.data.team !== s.team) s.teamSince = from;
        s.team = fact.data.team;
        if (fact.data.managerId !== undefined) s.managerId = fact.data.managerId;
        break;
      case 'ManagerChanged':
        s.managerId = fact.data.managerId;
        break;
      case 'QuarterlyRatingRecorded':
        ratings.set(fact.data.quarter, {
          quarter: fact.data.quarter,
          ratings: { ...(ratings.get(fact.data.quarter)?.ratings ?? {}), ...fact.data.ratings },
          effectiveDate: fact.data.effectiveDate,
        });
        break;
      case 'SmeSkillsetCertified':
        if (!skillsets.has(fact.data.skillset)) {
          skillsets.set(fact.data.skillset, {
            skillset: fact.data.skillset,
            effectiveDate: fact.data.effectiveDate,
          });
        }
        break;
      case 'CoachingEvidenceRecorded':
        s.coaching.push({ description: fact.data.description, effectiveDate: fact.data.effectiveDate });
        break;
      case 'PeopleManagementExperienceRecorded':
        s.peopleManagement.push({
          description: fact.data.description,
          effectiveDate: fact.data.effectiveDate,
          ...(fact.data.months !== undefined ? { months: fact.data.months } : {}),
        });
        break;
      case 'PeerReviewRecorded':
        s.peerReviews.push({
          targetRoleId: fact.data.targetRoleId,
          outcome: fact.data.outcome,
          date: fact.data.date,
          effectiveDate: fact.data.effectiveDate,
        });
        break;
      case 'DesignationGranted':
        designations.set(`${fact.data.designation}\u0000${fact.data.team}`, {
          designation: fact.data.designation,
          team: fact.data.team,
          since: from,
        });
        break;
      case 'DesignationEnded':
        designations.delete(`${fact.data.designation}\u0000${fact.data.team}`);
        break;
    }
  }
  if (snapshot === undefined) return undefined;
  snapshot.ratings = [...ratings.values()].sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
  snapshot.skillsets = [...skillsets.values()];
  snapshot.designations = [...designations.values()];
  return snapshot;
}
