import type { FrameworkDocument } from '../framework/schema.js';
import { findDesignation, findRole } from '../framework/lookup.js';
import type { Issue } from '../issues.js';
import type { EmployeeFactEvent } from './events.js';

/**
 * Checks a schema-valid fact against the framework the employee is on: roles, tracks, competencies,
 * skillsets and designations must exist (and a role must be on the named track). Returns every
 * problem with a `data.*` path; an empty list means the fact fits the framework.
 */
export function checkFactAgainstFramework(fw: FrameworkDocument, fact: EmployeeFactEvent): Issue[] {
  const issues: Issue[] = [];
  const roleOnTrack = (roleId: string, track: string | undefined): void => {
    const found = findRole(fw, roleId);
    if (!found) issues.push({ path: 'data.roleId', message: `framework ${fw.id} has no role "${roleId}"` });
    else if (track !== undefined && found.track.id !== track) {
      issues.push({
        path: 'data.track',
        message: `role "${roleId}" is on track "${found.track.id}", not "${track}"`,
      });
    }
    if (track !== undefined && !fw.tracks.some((t) => t.id === track)) {
      issues.push({ path: 'data.track', message: `framework ${fw.id} has no track "${track}"` });
    }
  };
  switch (fact.type) {
    case 'EmployeeHired':
      if (fact.data.frameworkId !== fw.id) {
        issues.push({
          path: 'data.frameworkId',
          message: `expected framework "${fw.id}", got "${fact.data.frameworkId}"`,
        });
      }
      roleOnTrack(fact.data.roleId, fact.data.track);
      break;
    case 'LevelChanged':
      roleOnTrack(fact.data.roleId, fact.data.track);
      break;
    case 'TrackChanged':
      roleOnTrack(fact.data.roleId, fact.data.track);
      break;
    case 'QuarterlyRatingRecorded':
      for (const competency of Object.keys(fact.data.ratings)) {
        if (!fw.competencies.some((c) => c.id === competency)) {
          issues.push({
            path: `data.ratings.${competency}`,
            message: `framework ${fw.id} has no competency "${competency}" (it has ${fw.competencies.map((c) => c.id).join(', ') || 'none'})`,
          });
        }
      }
      break;
    case 'SmeSkillsetCertified':
      // frameworks may keep their skillset list elsewhere (seed 002): only check when they list some
      if (fw.skillsets.length > 0 && !fw.skillsets.some((s) => s.id === fact.data.skillset)) {
        issues.push({
          path: 'data.skillset',
          message: `framework ${fw.id} has no skillset "${fact.data.skillset}" (it has ${fw.skillsets.map((s) => s.id).join(', ')})`,
        });
      }
      break;
    case 'PeerReviewRecorded':
      if (!findRole(fw, fact.data.targetRoleId) && !findDesignation(fw, fact.data.targetRoleId)) {
        issues.push({
          path: 'data.targetRoleId',
          message: `framework ${fw.id} has no role or designation "${fact.data.targetRoleId}"`,
        });
      }
      break;
    case 'DesignationGranted':
    case 'DesignationEnded':
      if (!findDesignation(fw, fact.data.designation)) {
        issues.push({
          path: 'data.designation',
          message: `framework ${fw.id} has no designation "${fact.data.designation}"`,
        });
      }
      break;
    default:
      break;
  }
  return issues;
}
