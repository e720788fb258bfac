import { LineCounter, parseDocument } from 'yaml';
import { frameworkSchema, RATINGS } from './schema.js';
import type { FrameworkDocument, Requirement } from './schema.js';
import type { Issue, Result } from '../issues.js';
import { formatPath, fromZodIssues } from '../issues.js';

/**
 * Parses and validates a framework document. `input` is either an already-parsed value
 * or YAML / JSON text (JSON is YAML). Returns the typed framework, or every problem found,
 * each with a path such as `tracks[1].levels[2].requirements[0].months`.
 */
export function parseFramework(input: unknown): Result<FrameworkDocument> {
  let raw: unknown = input;
  if (typeof input === 'string') {
    const lineCounter = new LineCounter();
    const doc = parseDocument(input, { prettyErrors: false, uniqueKeys: true, lineCounter });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        errors: doc.errors.map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return {
            path: '',
            message: `YAML ${e.code} at line ${line}, column ${col}: ${e.message.split('\n')[0]}`,
          };
        }),
      };
    }
    try {
      raw = doc.toJS() as unknown;
    } catch (e) {
      // e.g. an alias (*x) with no anchor, or one that expands without bound
      return {
        ok: false,
        errors: [{ path: '', message: `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}` }],
      };
    }
  }
  const parsed = frameworkSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fromZodIssues(parsed.error.issues) };
  const errors = semanticIssues(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}

function duplicates<T>(
  items: T[],
  key: (t: T) => string,
  at: (index: number) => PropertyKey[],
  what: string,
): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      issues.push({
        path: formatPath(at(index)),
        message: `duplicate ${what} "${k}" (first at index ${first})`,
      });
    } else seen.set(k, index);
  });
  return issues;
}

function flattenRequirements(
  requirements: Requirement[],
  path: PropertyKey[],
): Array<{ requirement: Requirement; path: PropertyKey[] }> {
  return requirements.flatMap((requirement, index) => {
    const here = [...path, index];
    const self = { requirement, path: here };
    return requirement.kind === 'allOf' || requirement.kind === 'anyOf'
      ? [self, ...flattenRequirements(requirement.children, [...here, 'children'])]
      : [self];
  });
}

/** Checks a schema-valid document for dangling references and duplicate ids. */
export function semanticIssues(fw: FrameworkDocument): Issue[] {
  const issues: Issue[] = [];
  const push = (path: PropertyKey[], message: string): void => {
    issues.push({ path: formatPath(path), message });
  };

  const ratingIds = fw.ratingScale.map((r) => r.id);
  for (const rating of RATINGS) {
    if (!ratingIds.includes(rating)) push(['ratingScale'], `missing rating "${rating}"`);
  }
  issues.push(
    ...duplicates(
      fw.ratingScale,
      (r) => r.id,
      (i) => ['ratingScale', i, 'id'],
      'rating',
    ),
  );
  issues.push(
    ...duplicates(
      fw.competencies,
      (c) => c.id,
      (i) => ['competencies', i, 'id'],
      'competency id',
    ),
  );
  fw.competencies.forEach((c, ci) =>
    issues.push(
      ...duplicates(
        c.responsibilityAreas,
        (a) => a.id,
        (i) => ['competencies', ci, 'responsibilityAreas', i, 'id'],
        'responsibility area id',
      ),
    ),
  );
  issues.push(
    ...duplicates(
      fw.values,
      (v) => v.id,
      (i) => ['values', i, 'id'],
      'value id',
    ),
  );
  issues.push(
    ...duplicates(
      fw.skillsets,
      (s) => s.id,
      (i) => ['skillsets', i, 'id'],
      'skillset id',
    ),
  );
  issues.push(
    ...duplicates(
      fw.tracks,
      (t) => t.id,
      (i) => ['tracks', i, 'id'],
      'track id',
    ),
  );

  const roleEntries = fw.tracks.flatMap((t, ti) =>
    t.levels.map((r, ri) => ({ id: r.id, path: ['tracks', ti, 'levels', ri, 'id'] })),
  );
  const designationEntries = fw.designations.map((d, di) => ({ id: d.id, path: ['designations', di, 'id'] }));
  const allIds = [...roleEntries, ...designationEntries];
  issues.push(
    ...duplicates(
      allIds,
      (e) => e.id,
      (i) => allIds[i].path,
      'role or designation id',
    ),
  );
  fw.tracks.forEach((t, ti) =>
    issues.push(
      ...duplicates(
        t.levels,
        (r) => String(r.rank),
        (i) => ['tracks', ti, 'levels', i, 'rank'],
        'rank within track',
      ),
    ),
  );

  const roleIds = new Set(roleEntries.map((e) => e.id));
  const ranks = new Set(fw.tracks.flatMap((t) => t.levels.map((r) => r.rank)));
  const competencies = new Map(
    fw.competencies.map((c) => [c.id, new Set(c.responsibilityAreas.map((a) => a.id))]),
  );
  const values = new Set(fw.values.map((v) => v.id));
  const skillsets = new Set(fw.skillsets.map((s) => s.id));

  const checkRequirements = (requirements: Requirement[], base: PropertyKey[]): void => {
    const flat = flattenRequirements(requirements, base);
    issues.push(
      ...duplicates(
        flat,
        (f) => f.requirement.id,
        (i) => [...flat[i].path, 'id'],
        'requirement id',
      ),
    );
    for (const { requirement: r, path } of flat) {
      switch (r.kind) {
        case 'consecutiveHighQuarters':
        case 'quartersAtNextLevel':
          r.competencies.forEach((c, i) => {
            if (!competencies.has(c)) push([...path, 'competencies', i], `unknown competency "${c}"`);
          });
          break;
        case 'smeSkillsets':
          r.from?.forEach((s, i) => {
            if (!skillsets.has(s)) push([...path, 'from', i], `unknown skillset "${s}"`);
          });
          if (r.from && r.count > new Set(r.from).size) {
            push(
              [...path, 'count'],
              `needs ${r.count} skillsets but only ${r.from.length} are listed in "from"`,
            );
          }
          break;
        case 'minTimeAtLevel':
          if (r.atRank !== undefined && !ranks.has(r.atRank))
            push([...path, 'atRank'], `no role has rank ${r.atRank}`);
          break;
        default:
          break;
      }
    }
  };

  fw.tracks.forEach((t, ti) =>
    t.levels.forEach((role, ri) => {
      const base = ['tracks', ti, 'levels', ri];
      checkRequirements(role.requirements, [...base, 'requirements']);
      role.expectations.forEach((e, ei) => {
        const at = [...base, 'expectations', ei];
        if (e.competency !== undefined) {
          const areas = competencies.get(e.competency);
          if (!areas) push([...at, 'competency'], `unknown competency "${e.competency}"`);
          else if (e.area !== undefined && !areas.has(e.area)) {
            push([...at, 'area'], `competency "${e.competency}" has no responsibility area "${e.area}"`);
          }
        }
        if (e.value !== undefined && !values.has(e.value))
          push([...at, 'value'], `unknown value "${e.value}"`);
      });
    }),
  );
  fw.designations.forEach((d, di) => {
    checkRequirements(d.requirements, ['designations', di, 'requirements']);
    d.eligibleRoleIds.forEach((r, i) => {
      if (!roleIds.has(r)) push(['designations', di, 'eligibleRoleIds', i], `unknown role "${r}"`);
    });
  });
  const managementRoles = new Set(
    fw.tracks.filter((t) => t.kind === 'management').flatMap((t) => t.levels.map((r) => r.id)),
  );
  fw.managementEquivalents.forEach((m, mi) => {
    if (!roleIds.has(m.roleId)) push(['managementEquivalents', mi, 'roleId'], `unknown role "${m.roleId}"`);
    if (m.equivalentRoleId !== undefined && !managementRoles.has(m.equivalentRoleId)) {
      push(
        ['managementEquivalents', mi, 'equivalentRoleId'],
        `"${m.equivalentRoleId}" is not a role on a management track`,
      );
    }
  });
  issues.push(
    ...duplicates(
      fw.managementEquivalents,
      (m) => m.roleId,
      (i) => ['managementEquivalents', i, 'roleId'],
      'management equivalent for role',
    ),
  );
  return issues;
}
