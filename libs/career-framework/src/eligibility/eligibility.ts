import type { FrameworkDocument, Requirement, TrackKind } from '../framework/schema.js';
import { findDesignation, findRole, titleOf } from '../framework/lookup.js';
import type { EmployeeSnapshot } from '../employee/record.js';
import { employeeAsOf } from '../employee/record.js';
import type { IsoDate, QuarterId } from '../time/dates.js';
import {
  addMonths,
  isIsoDate,
  latestCompletedQuarter,
  previousQuarter,
  quarterEnd,
  wholeMonthsBetween,
} from '../time/dates.js';
import { InvalidDateError } from '../errors.js';
import type {
  EligibilityInput,
  EligibilityResult,
  Evidence,
  GrantedWaiver,
  RequirementResult,
  RoleOpening,
} from './types.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const list = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
const HIGH = new Set(['high', 'at-next-level']);

interface Context {
  framework: FrameworkDocument;
  employee: EmployeeSnapshot;
  asOf: IsoDate;
  targetId: string;
  targetTitle: string;
  openings: ReadonlyArray<RoleOpening>;
  waivers: ReadonlyArray<GrantedWaiver>;
}

function rankOf(fw: FrameworkDocument, roleId: string): number | undefined {
  return findRole(fw, roleId)?.role.rank;
}

function trackKindOf(fw: FrameworkDocument, employee: EmployeeSnapshot): TrackKind | undefined {
  return fw.tracks.find((t) => t.id === employee.track)?.kind ?? findRole(fw, employee.roleId)?.track.kind;
}

/** Start of the employee's unbroken stretch at `rank` (a lateral move at the same rank does not restart it). */
function rankStretchStart(fw: FrameworkDocument, employee: EmployeeSnapshot, rank: number): IsoDate {
  let start = employee.roleSince;
  for (let i = employee.roleHistory.length - 1; i >= 0; i -= 1) {
    const spell = employee.roleHistory[i];
    if (rankOf(fw, spell.roleId) !== rank) break;
    start = spell.from;
  }
  return start;
}

/** Start of the employee's time at their current level (rank), used for "quarters at the current level". */
function currentLevelStart(fw: FrameworkDocument, employee: EmployeeSnapshot): IsoDate {
  const rank = rankOf(fw, employee.roleId);
  return rank === undefined ? employee.roleSince : rankStretchStart(fw, employee, rank);
}

function competencyNames(fw: FrameworkDocument, ids: string[]): string {
  return list(ids.map((id) => fw.competencies.find((c) => c.id === id)?.name.toLowerCase() ?? id));
}

/** Completed quarters (end date <= asOf) in which the employee held their current level at quarter end, newest first. */
function quartersAtCurrentLevel(ctx: Context): QuarterId[] {
  const levelStart = currentLevelStart(ctx.framework, ctx.employee);
  const quarters: QuarterId[] = [];
  for (let q = latestCompletedQuarter(ctx.asOf); quarterEnd(q) >= levelStart; q = previousQuarter(q))
    quarters.push(q);
  return quarters;
}

function evaluateLeaf(
  ctx: Context,
  r: Exclude<Requirement, { kind: 'allOf' | 'anyOf' }>,
): Omit<RequirementResult, 'requirementId' | 'kind'> {
  const { framework: fw, employee: e, asOf } = ctx;
  switch (r.kind) {
    case 'minTimeAtLevel': {
      const currentRank = rankOf(fw, e.roleId);
      const rank = r.atRank ?? currentRank;
      const label = `${plural(r.months, 'month')} at ${r.atRank !== undefined ? `Level ${r.atRank}` : 'the current level'}`;
      if (rank !== undefined && currentRank !== undefined && currentRank > rank) {
        return {
          label,
          status: 'met',
          evidence: {
            summary: `already ${titleOf(fw, e.roleId)} (Level ${currentRank}), above Level ${rank}`,
          },
        };
      }
      if (rank === undefined || currentRank !== rank) {
        return {
          label,
          status: 'unmet',
          evidence: {
            summary: `currently ${titleOf(fw, e.roleId)} (Level ${currentRank ?? '?'}), not at Level ${rank ?? '?'}`,
          },
          missing: `must reach Level ${rank ?? '?'} (currently Level ${currentRank ?? '?'}) and spend ${plural(r.months, 'month')} there`,
        };
      }
      const since = rankStretchStart(fw, e, rank);
      const months = wholeMonthsBetween(since, asOf);
      const dueOn = addMonths(since, r.months);
      const sameRole = since === e.roleSince;
      const where = sameRole ? titleOf(fw, e.roleId) : `Level ${rank}`;
      const evidence: Evidence = {
        summary: `${plural(months, 'month')} at ${where} since ${since}`,
        since,
        months,
        dueOn,
      };
      return months >= r.months
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `${plural(r.months - months, 'month')} more at ${where} (met on ${dueOn})`,
          };
    }
    case 'minTenureOnTeam': {
      const months = wholeMonthsBetween(e.teamSince, asOf);
      const dueOn = addMonths(e.teamSince, r.months);
      const label = `${plural(r.months, 'month')} on the team`;
      const evidence: Evidence = {
        summary: `${plural(months, 'month')} on team ${e.team} since ${e.teamSince}`,
        since: e.teamSince,
        months,
        dueOn,
      };
      return months >= r.months
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `${plural(r.months - months, 'month')} more on team ${e.team} (met on ${dueOn})`,
          };
    }
    case 'consecutiveHighQuarters': {
      const names = competencyNames(fw, r.competencies);
      const label = `${plural(r.count, 'consecutive quarter')} of high performance at the current level in ${names}`;
      const byQuarter = new Map(e.ratings.map((q) => [q.quarter, q]));
      const streak: QuarterId[] = [];
      let breakReason: string | undefined;
      let pending: QuarterId | undefined;
      for (const [index, q] of quartersAtCurrentLevel(ctx).entries()) {
        const rating = byQuarter.get(q);
        if (!rating && index === 0) {
          // ratings land a few days after a quarter ends: the newest quarter is pending, not a gap
          pending = q;
          continue;
        }
        if (!rating) {
          breakReason = `no rating recorded for ${q}`;
          break;
        }
        const low = r.competencies.filter((c) => !HIGH.has(rating.ratings[c] ?? 'missing'));
        if (low.length > 0) {
          breakReason = `${q} rated below high in ${competencyNames(fw, low)}`;
          break;
        }
        streak.push(q);
      }
      const quarters = [...streak].reverse();
      const summary =
        (streak.length === 0
          ? `no consecutive high quarters at the current level${breakReason ? ` (${breakReason})` : ''}`
          : `${plural(streak.length, 'consecutive high quarter')}: ${quarters.join(', ')}${breakReason ? ` (before that, ${breakReason})` : ''}`) +
        (pending ? `; ${pending} not rated yet` : '');
      const evidence: Evidence = { summary, quarters };
      return streak.length >= r.count
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `${plural(r.count - streak.length, 'more consecutive high quarter')} in ${names}`,
          };
    }
    case 'quartersAtNextLevel': {
      const names = competencyNames(fw, r.competencies);
      const label = `${plural(r.count, 'quarter')} performing at the next level in ${names}`;
      const byQuarter = new Map(e.ratings.map((q) => [q.quarter, q]));
      const quarters = quartersAtCurrentLevel(ctx)
        .filter((q) => r.competencies.every((c) => byQuarter.get(q)?.ratings[c] === 'at-next-level'))
        .reverse();
      const evidence: Evidence = {
        summary:
          quarters.length === 0
            ? 'no quarter rated at the next level in all of them'
            : `at the next level in ${quarters.join(', ')}`,
        quarters,
      };
      return quarters.length >= r.count
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `${plural(r.count - quarters.length, 'more quarter')} performing at the next level in ${names}`,
          };
    }
    case 'smeSkillsets': {
      const allowed = r.from ? new Set(r.from) : undefined;
      const skillsetName = (id: string): string => fw.skillsets.find((s) => s.id === id)?.name ?? id;
      const from = r.from ? ` from ${list(r.from.map(skillsetName))}` : '';
      const label = `SME in at least ${plural(r.count, 'skillset')}${from}`;
      const held = e.skillsets.filter((s) => !allowed || allowed.has(s.skillset)).map((s) => s.skillset);
      const evidence: Evidence = {
        summary: held.length === 0 ? `no SME skillset${from}` : `SME in ${list(held.map(skillsetName))}`,
        skillsets: held,
      };
      return held.length >= r.count
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `${plural(r.count - held.length, 'more SME skillset')}${from}`,
          };
    }
    case 'peerReview': {
      const label = `successful peer review for ${ctx.targetTitle}`;
      const reviews = e.peerReviews
        .filter((p) => p.targetRoleId === ctx.targetId && p.date <= asOf)
        .sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? -1 : 1));
      const latest = reviews[reviews.length - 1];
      if (!latest) {
        return {
          label,
          status: 'unmet',
          evidence: { summary: 'no peer review recorded' },
          missing: `a successful peer review for ${ctx.targetTitle}`,
        };
      }
      const evidence: Evidence = {
        summary: `peer review on ${latest.date}: ${latest.outcome}`,
        peerReview: { targetRoleId: latest.targetRoleId, outcome: latest.outcome, date: latest.date },
      };
      return latest.outcome === 'passed'
        ? { label, status: 'met', evidence }
        : {
            label,
            status: 'unmet',
            evidence,
            missing: `a successful peer review for ${ctx.targetTitle} (the latest, on ${latest.date}, failed)`,
          };
    }
    case 'documentedNeed': {
      const label = `documented need for ${ctx.targetTitle}`;
      const open = ctx.openings
        .filter((o) => o.roleId === ctx.targetId && o.status === 'open' && o.approvedAt <= asOf)
        .sort((a, b) =>
          a.approvedAt === b.approvedAt
            ? a.openingId < b.openingId
              ? -1
              : 1
            : a.approvedAt < b.approvedAt
              ? -1
              : 1,
        );
      const usable = open.find((o) => o.team === undefined || o.team === e.team);
      if (usable) {
        return {
          label,
          status: 'met',
          evidence: {
            summary: `opening ${usable.openingId} approved ${usable.approvedAt}${usable.team ? ` for team ${usable.team}` : ''}`,
            openingId: usable.openingId,
          },
        };
      }
      const elsewhere = open.map((o) => `${o.openingId} (team ${o.team ?? '?'})`);
      return {
        label,
        status: 'unmet',
        evidence: {
          summary:
            elsewhere.length > 0
              ? `open only for other teams: ${elsewhere.join(', ')}`
              : 'no approved open role opening',
        },
        missing: `an approved, open role opening (documented need) for ${ctx.targetTitle}${elsewhere.length > 0 ? ` on team ${e.team}` : ''}`,
      };
    }
    case 'coachingEvidence': {
      const label = 'documented success in peer onboarding/coaching';
      const records = e.coaching;
      return records.length > 0
        ? {
            label,
            status: 'met',
            evidence: {
              summary: `${plural(records.length, 'coaching record')}, latest ${records[records.length - 1].effectiveDate}`,
              records,
            },
          }
        : {
            label,
            status: 'unmet',
            evidence: { summary: 'no coaching evidence recorded', records },
            missing: 'documented success in peer onboarding/coaching',
          };
    }
    case 'peopleManagementExperience': {
      const label = `past experience in people management${r.minMonths !== undefined ? ` (${plural(r.minMonths, 'month')})` : ''}`;
      const records = e.peopleManagement;
      const months = records.reduce((sum, p) => sum + (p.months ?? 0), 0);
      const met = records.length > 0 && (r.minMonths === undefined || months >= r.minMonths);
      const evidence: Evidence = {
        summary:
          records.length === 0
            ? 'no people-management experience recorded'
            : `${plural(records.length, 'record')}${r.minMonths !== undefined ? `, ${plural(months, 'month')}` : ''}`,
        records,
        ...(r.minMonths !== undefined ? { months } : {}),
      };
      if (met) return { label, status: 'met', evidence };
      return {
        label,
        status: 'unmet',
        evidence,
        missing:
          records.length === 0 || r.minMonths === undefined
            ? 'past experience in people management'
            : `${plural(r.minMonths - months, 'more month')} of people-management experience`,
      };
    }
  }
}

function applyWaiver(ctx: Context, r: Requirement, result: RequirementResult): RequirementResult {
  const matching = ctx.waivers.filter(
    (w) => w.roleId === ctx.targetId && w.requirementIds.includes(r.id) && w.grantedAt <= ctx.asOf,
  );
  if (matching.length === 0) return result;
  const policy = ctx.framework.waiverPolicy;
  const ignoredWaivers: Array<{ waiverId: string; reason: string }> = [];
  let applied: GrantedWaiver | undefined;
  for (const w of [...matching].sort((a, b) =>
    a.grantedAt < b.grantedAt ? -1 : a.grantedAt > b.grantedAt ? 1 : a.waiverId < b.waiverId ? -1 : 1,
  )) {
    if (!policy) ignoredWaivers.push({ waiverId: w.waiverId, reason: 'the framework allows no waivers' });
    else if (!policy.waivableKinds.includes(r.kind))
      ignoredWaivers.push({ waiverId: w.waiverId, reason: `${r.kind} requirements may not be waived` });
    else if (!applied) applied = w;
  }
  if (result.status !== 'unmet') {
    return applied
      ? {
          ...result,
          evidence: {
            ...result.evidence,
            summary: `${result.evidence.summary} (waiver ${applied.waiverId} not needed)`,
          },
        }
      : result;
  }
  if (!applied) return { ...result, evidence: { ...result.evidence, ignoredWaivers } };
  const { missing: _missing, ...rest } = result;
  return {
    ...rest,
    status: 'waived',
    evidence: {
      ...result.evidence,
      summary: `waived by ${applied.grantedBy} on ${applied.grantedAt} (waiver ${applied.waiverId}); ${result.evidence.summary}`,
      waiver: { waiverId: applied.waiverId, grantedBy: applied.grantedBy, grantedAt: applied.grantedAt },
      ...(ignoredWaivers.length > 0 ? { ignoredWaivers } : {}),
    },
  };
}

function evaluate(ctx: Context, r: Requirement): RequirementResult {
  const kinds = r.appliesWhen?.fromTrackKinds;
  const fromKind = trackKindOf(ctx.framework, ctx.employee);
  if (kinds && (fromKind === undefined || !kinds.includes(fromKind))) {
    return {
      requirementId: r.id,
      kind: r.kind,
      label: r.description ?? r.kind,
      status: 'met',
      evidence: {
        summary: `not applicable: applies only when coming from the ${list(kinds)} path (currently ${fromKind ?? 'unknown'})`,
        notApplicable: true,
      },
    };
  }
  let result: RequirementResult;
  if (r.kind === 'allOf' || r.kind === 'anyOf') {
    const children = r.children.map((c) => evaluate(ctx, c));
    const ok = (c: RequirementResult): boolean => c.status !== 'unmet';
    const met = r.kind === 'allOf' ? children.every(ok) : children.some(ok);
    const label = r.description ?? children.map((c) => c.label).join(r.kind === 'allOf' ? ' and ' : ' or ');
    const unmet = children.filter((c) => !ok(c));
    result = {
      requirementId: r.id,
      kind: r.kind,
      label,
      status: met ? 'met' : 'unmet',
      evidence: { summary: children.map((c) => `${c.label}: ${c.status}`).join('; ') },
      children,
      ...(met
        ? {}
        : { missing: unmet.map((c) => c.missing ?? c.label).join(r.kind === 'allOf' ? '; ' : ', or ') }),
    };
  } else {
    const leaf = evaluateLeaf(ctx, r);
    result = { requirementId: r.id, kind: r.kind, ...leaf, label: r.description ?? leaf.label };
  }
  return applyWaiver(ctx, r, result);
}

/**
 * Whether an employee meets the requirements of a target role or designation as of a date,
 * using only facts effective on or before it. Pure and deterministic.
 *
 * - Time at level counts whole calendar months from the start of the employee's unbroken
 *   stretch at the required level (a lateral move at the same rank does not restart it).
 * - Quarters count back from the latest completed quarter (one whose last day is <= asOf),
 *   only quarters the employee ended at their current level; a missing rating, or a rating
 *   below "high" in any named competency, ends the streak ("at-next-level" counts as high).
 *   The newest completed quarter, when not rated yet, is pending: skipped, not a gap.
 * - A waiver counts only for the target role, when granted on or before asOf and allowed by
 *   the framework's waiver policy; waived requirements are marked waived with the approver.
 */
export function eligibility(input: EligibilityInput): EligibilityResult {
  const { framework: fw, employee: record, targetRoleId, asOf } = input;
  if (!isIsoDate(asOf)) throw new InvalidDateError(asOf);
  const role = findRole(fw, targetRoleId);
  const designation = role ? undefined : findDesignation(fw, targetRoleId);
  const targetTitle = titleOf(fw, targetRoleId);
  const employee = employeeAsOf(record, asOf);
  const result: EligibilityResult = {
    frameworkId: fw.id,
    frameworkVersion: fw.version,
    employeeId: record.employeeId,
    asOf,
    targetRoleId,
    targetTitle,
    targetKind: designation ? 'designation' : 'role',
    ...(employee ? { currentRoleId: employee.roleId } : {}),
    eligible: false,
    blockers: [],
    requirements: [],
  };
  if (!role && !designation) {
    result.blockers.push(`framework ${fw.id} v${fw.version} has no role or designation "${targetRoleId}"`);
    return result;
  }
  if (record.frameworkId !== fw.id)
    result.blockers.push(`employee is on framework ${record.frameworkId}, not ${fw.id}`);
  if (!employee) {
    result.blockers.push(`not employed as of ${asOf} (hired ${record.hiredOn})`);
    return result;
  }
  if (!findRole(fw, employee.roleId)) {
    result.blockers.push(`current role "${employee.roleId}" is not in framework ${fw.id} v${fw.version}`);
  }
  if (role && employee.roleId === targetRoleId) result.blockers.push(`already ${targetTitle}`);
  if (designation) {
    if (designation.eligibleRoleIds.length > 0 && !designation.eligibleRoleIds.includes(employee.roleId)) {
      result.blockers.push(
        `${designation.name} is for ${list(designation.eligibleRoleIds.map((id) => titleOf(fw, id)))}; currently ${titleOf(fw, employee.roleId)}`,
      );
    }
    if (employee.designations.some((d) => d.designation === designation.id))
      result.blockers.push(`already holds ${designation.name}`);
  }
  const ctx: Context = {
    framework: fw,
    employee,
    asOf,
    targetId: targetRoleId,
    targetTitle,
    openings: input.openings ?? [],
    waivers: input.waivers ?? [],
  };
  const requirements = role ? role.role.requirements : (designation?.requirements ?? []);
  result.requirements = requirements.map((r) => evaluate(ctx, r));
  result.eligible = result.blockers.length === 0 && result.requirements.every((r) => r.status !== 'unmet');
  return result;
}
