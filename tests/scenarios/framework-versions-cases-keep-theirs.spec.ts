// A framework edit is a new version; a case keeps the framework version it was opened under.
import {
  currentFramework,
  eligibility,
  evolveFrameworkCatalog,
  foldFrameworkCatalog,
  frameworkVersion,
  publishFramework,
} from '@talent/career-framework';
import type { FrameworkCatalogEvent } from '@talent/career-framework';
import { parse, stringify } from 'yaml';
import { frameworkText, FRAMEWORK_FILES } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const v1Text = frameworkText(FRAMEWORK_FILES.ladder);
// v2: Senior Engineer needs three SME skillsets instead of two
const v2Doc = parse(v1Text) as {
  version: number;
  tracks: Array<{ levels: Array<{ id: string; requirements?: Array<{ id: string; count?: number }> }> }>;
};
v2Doc.version = 2;
v2Doc.tracks[1].levels[0].requirements!.find((r) => r.id === 'sme-skillsets')!.count = 3;
const v2Text = stringify(v2Doc);

describe('publishing a new version of the customer engineering ladder', () => {
  const events: FrameworkCatalogEvent[] = [];
  const first = publishFramework(foldFrameworkCatalog(events), {
    document: v1Text,
    publishedBy: 'hr-1',
    publishedAt: '2025-01-01T09:00:00Z',
  });
  if (!first.ok) throw new Error('v1 must publish');
  events.push(first.value);
  const second = publishFramework(foldFrameworkCatalog(events), { document: v2Text, publishedBy: 'hr-2' });
  if (!second.ok) throw new Error('v2 must publish');
  events.push(second.value);
  const catalog = foldFrameworkCatalog(events);

  it('keeps every version; the current one is the newest', () => {
    expect(
      catalog.frameworks['customer-engineering-ladder'].versions.map((v) => [v.version, v.publishedBy]),
    ).toEqual([
      [1, 'hr-1'],
      [2, 'hr-2'],
    ]);
    expect(currentFramework(catalog, 'customer-engineering-ladder')!.version).toBe(2);
    expect(frameworkVersion(catalog, 'customer-engineering-ladder', 1)!.version).toBe(1);
    expect(frameworkVersion(catalog, 'customer-engineering-ladder', 3)).toBeUndefined();
  });

  it('a case opened under v1 is judged by v1, a new case by v2', () => {
    const rae = new EmployeeStory('rae', {
      effectiveDate: '2024-01-08',
      team: 'support-emea',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    })
      .add('SmeSkillsetCertified', { skillset: 'networking', effectiveDate: '2024-05-01' })
      .add('SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2024-06-01' })
      .add('PeerReviewRecorded', {
        targetRoleId: 'senior-engineer',
        outcome: 'passed',
        date: '2025-01-20',
        effectiveDate: '2025-01-20',
      })
      .record();
    const asOf = '2025-02-01';
    const underV1 = eligibility({
      framework: frameworkVersion(catalog, 'customer-engineering-ladder', 1)!,
      employee: rae,
      targetRoleId: 'senior-engineer',
      asOf,
    });
    const underV2 = eligibility({
      framework: currentFramework(catalog, 'customer-engineering-ladder')!,
      employee: rae,
      targetRoleId: 'senior-engineer',
      asOf,
    });
    expect([underV1.frameworkVersion, underV1.eligible]).toEqual([1, true]);
    expect([underV2.frameworkVersion, underV2.eligible]).toEqual([2, false]);
    expect(underV2.requirements[1].missing).toBe('1 more SME skillset');
  });

  it('refuses to publish a version that is not newer, or an invalid document', () => {
    const again = publishFramework(catalog, { document: v2Text, publishedBy: 'hr-3' });
    expect(again).toEqual({
      ok: false,
      errors: [{ path: 'version', message: 'version 2 is not newer than the published version 2' }],
    });
    const broken = publishFramework(catalog, {
      document: v2Text.replace('version: 2', 'version: 3').replace('count: 3', 'count: -1'),
      publishedBy: 'hr-3',
    });
    expect(broken.ok).toBe(false);
    expect(() => evolveFrameworkCatalog(catalog, first.value)).toThrow(
      'customer-engineering-ladder v1 published after v2',
    );
  });
});
