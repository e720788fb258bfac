import { employeeAsOf, foldEmployeeFacts } from './record.js';
import { parseEmployeeFact } from './events.js';
import type { EmployeeFactEvent } from './events.js';
import { EmployeeStreamError } from '../errors.js';

const hired: EmployeeFactEvent = {
  type: 'EmployeeHired',
  data: {
    employeeId: 'e1',
    name: 'Ana',
    email: 'ana@example.com',
    team: 'blue',
    managerId: 'm1',
    frameworkId: 'fw',
    track: 'core',
    roleId: 'junior',
    effectiveDate: '2025-01-10',
  },
};

describe('foldEmployeeFacts / employeeAsOf', () => {
  it('refuses a stream that does not start with the hire, mixes employees or hires twice', () => {
    expect(() => foldEmployeeFacts([])).toThrow(EmployeeStreamError);
    expect(() =>
      foldEmployeeFacts([
        { type: 'ManagerChanged', data: { employeeId: 'e1', managerId: 'm2', effectiveDate: '2025-01-01' } },
      ]),
    ).toThrow('an employee stream starts with EmployeeHired, not ManagerChanged');
    expect(() =>
      foldEmployeeFacts([
        hired,
        { type: 'ManagerChanged', data: { employeeId: 'e2', managerId: 'm2', effectiveDate: '2025-02-01' } },
      ]),
    ).toThrow('event 1 (ManagerChanged) is about e2, not e1');
    expect(() => foldEmployeeFacts([hired, hired])).toThrow('event 1: an employee is hired once');
  });

  it('answers as of a date from the facts effective on or before it', () => {
    const record = foldEmployeeFacts([
      hired,
      {
        type: 'TeamChanged',
        data: { employeeId: 'e1', team: 'green', managerId: 'm2', effectiveDate: '2025-06-01' },
      },
      { type: 'ManagerChanged', data: { employeeId: 'e1', managerId: 'm3', effectiveDate: '2025-08-01' } },
      {
        type: 'LevelChanged',
        data: { employeeId: 'e1', roleId: 'senior', track: 'ic', effectiveDate: '2026-01-15' },
      },
      {
        type: 'QuarterlyRatingRecorded',
        data: {
          employeeId: 'e1',
          quarter: '2025-Q1',
          ratings: { craft: 'meets' },
          effectiveDate: '2025-04-05',
        },
      },
      // a correction for the same quarter replaces that competency's rating from its effective date
      {
        type: 'QuarterlyRatingRecorded',
        data: {
          employeeId: 'e1',
          quarter: '2025-Q1',
          ratings: { craft: 'high' },
          effectiveDate: '2025-05-01',
        },
      },
      {
        type: 'SmeSkillsetCertified',
        data: { employeeId: 'e1', skillset: 'linux', effectiveDate: '2025-03-01' },
      },
      {
        type: 'SmeSkillsetCertified',
        data: { employeeId: 'e1', skillset: 'linux', effectiveDate: '2025-09-01' },
      },
    ]);
    expect(employeeAsOf(record, '2025-01-09')).toBeUndefined();
    const march = employeeAsOf(record, '2025-04-30')!;
    expect(march).toMatchObject({
      team: 'blue',
      teamSince: '2025-01-10',
      managerId: 'm1',
      roleId: 'junior',
      roleSince: '2025-01-10',
    });
    expect(march.ratings).toEqual([
      { quarter: '2025-Q1', ratings: { craft: 'meets' }, effectiveDate: '2025-04-05' },
    ]);
    const later = employeeAsOf(record, '2026-02-01')!;
    expect(later).toMatchObject({
      team: 'green',
      teamSince: '2025-06-01',
      managerId: 'm3',
      roleId: 'senior',
      track: 'ic',
      roleSince: '2026-01-15',
    });
    expect(later.roleHistory).toEqual([
      { roleId: 'junior', track: 'core', from: '2025-01-10', to: '2026-01-15' },
      { roleId: 'senior', track: 'ic', from: '2026-01-15' },
    ]);
    expect(later.ratings[0].ratings).toEqual({ craft: 'high' });
    expect(later.skillsets).toEqual([{ skillset: 'linux', effectiveDate: '2025-03-01' }]);
  });

  it('validates untrusted facts with clear paths', () => {
    expect(parseEmployeeFact('LevelChanged', { employeeId: 'e1', effectiveDate: '2025-13-01' })).toEqual({
      ok: false,
      errors: [
        { path: 'data.effectiveDate', message: 'expected an ISO date YYYY-MM-DD' },
        { path: 'data.roleId', message: 'expected string, received undefined' },
      ],
    });
    expect(parseEmployeeFact('Fired', {})).toMatchObject({ ok: false, errors: [{ path: 'type' }] });
  });
});

describe('facts dated before the hire', () => {
  it('count from the hire date (e.g. experience from a previous employer)', () => {
    const record = foldEmployeeFacts([
      hired,
      {
        type: 'PeopleManagementExperienceRecorded',
        data: { employeeId: 'e1', description: 'Managed 4 at Acme', months: 24, effectiveDate: '2022-01-01' },
      },
      { type: 'TeamChanged', data: { employeeId: 'e1', team: 'green', effectiveDate: '2024-12-01' } },
    ]);
    expect(record.facts.map((f) => [f.type, f.effectiveFrom])).toEqual([
      ['EmployeeHired', '2025-01-10'],
      ['PeopleManagementExperienceRecorded', '2025-01-10'],
      ['TeamChanged', '2025-01-10'],
    ]);
    const asOf = employeeAsOf(record, '2025-01-10')!;
    expect(asOf.peopleManagement).toEqual([
      { description: 'Managed 4 at Acme', months: 24, effectiveDate: '2022-01-01' },
    ]);
    expect(asOf).toMatchObject({ team: 'green', teamSince: '2025-01-10' });
  });
});
