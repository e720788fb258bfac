import type { FrameworkDocumentInput, Requirement } from './schema.js';

/** A small valid framework document for specs (not exported from the lib). */
export function testFramework(
  requirements: Requirement[] = [],
  staffRequirements: Requirement[] = [],
): FrameworkDocumentInput {
  return {
    id: 'test-fw',
    name: 'Test framework',
    version: 1,
    ratingScale: [
      { id: 'below', label: 'Below' },
      { id: 'meets', label: 'Meets' },
      { id: 'high', label: 'High' },
      { id: 'at-next-level', label: 'At next level' },
    ],
    competencies: [
      { id: 'craft', name: 'Craft', responsibilityAreas: [{ id: 'quality', name: 'Quality' }] },
      { id: 'impact', name: 'Impact' },
    ],
    values: [{ id: 'kindness', name: 'Kindness' }],
    skillsets: [
      { id: 'networking', name: 'Networking' },
      { id: 'linux', name: 'Linux' },
      { id: 'automation', name: 'Automation' },
    ],
    tracks: [
      { id: 'core', kind: 'core', name: 'Core', levels: [{ id: 'junior', rank: 1, title: 'Junior' }] },
      {
        id: 'ic',
        kind: 'ic',
        name: 'IC',
        levels: [
          { id: 'senior', rank: 2, title: 'Senior', requirements },
          { id: 'staff', rank: 3, title: 'Staff', requirements: staffRequirements },
        ],
      },
      {
        id: 'mgmt',
        kind: 'management',
        name: 'Management',
        levels: [{ id: 'lead', rank: 2, title: 'Lead' }],
      },
    ],
    waiverPolicy: {
      grantedBy: ['leadership'],
      waivableKinds: ['minTimeAtLevel', 'smeSkillsets', 'anyOf'],
      urgentNeedRequired: true,
    },
    reviewCadence: {
      kind: 'bi-annual',
      months: [1, 7],
      day: 15,
      timeZone: 'America/New_York',
      promotionsOnlyInCycle: true,
    },
  };
}
