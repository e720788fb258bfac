import { parseFactsCsv } from './csv.js';

describe('parseFactsCsv', () => {
  it('parses one fact per row, driven by the header, with quoted cells and rating columns', () => {
    const csv = [
      'type,employeeId,effectiveDate,name,email,team,frameworkId,track,roleId,skillset,quarter,rating.leadership,rating.business,description,months',
      'EmployeeHired,e1,2025-01-10,"Doe, Dana",dana@example.com,support-emea,customer-engineering-ladder,core,customer-engineer,,,,,,',
      'SmeSkillsetCertified,e1,2025-05-02,,,,,,,networking,,,,,',
      'QuarterlyRatingRecorded,e1,2025-07-01,,,,,,,,2025-Q2,high,at-next-level,,',
      'PeopleManagementExperienceRecorded,e1,2025-01-10,,,,,,,,,,,"Led a team of 5, ""hands on""\nat Acme",18',
    ].join('\r\n');
    const { rows, errors } = parseFactsCsv(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.fact.type])).toEqual([
      [2, 'EmployeeHired'],
      [3, 'SmeSkillsetCertified'],
      [4, 'QuarterlyRatingRecorded'],
      [5, 'PeopleManagementExperienceRecorded'],
    ]);
    expect(rows[0].fact.data).toEqual({
      employeeId: 'e1',
      effectiveDate: '2025-01-10',
      name: 'Doe, Dana',
      email: 'dana@example.com',
      team: 'support-emea',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    });
    expect(rows[2].fact.data).toMatchObject({
      quarter: '2025-Q2',
      ratings: { leadership: 'high', business: 'at-next-level' },
    });
    expect(rows[3].fact.data).toMatchObject({
      description: 'Led a team of 5, "hands on"\nat Acme',
      months: 18,
    });
  });

  it('reports each bad row with its line and a clear message, and keeps the good rows', () => {
    const csv = [
      'type,employeeId,effectiveDate,skillset,quarter,rating.leadership,targetRoleId,outcome,date,months,description',
      'SmeSkillsetCertified,e1,2025-02-30,networking,,,,,,,',
      'Promoted,e1,2025-03-01,,,,,,,,',
      'QuarterlyRatingRecorded,e1,2025-04-01,,2025-Q5,great,,,,,',
      'PeerReviewRecorded,e1,2025-04-01,,,,senior-engineer,maybe,,,',
      'SmeSkillsetCertified,e1,2025-04-01,linux,2025-Q1,,,,,,',
      'PeopleManagementExperienceRecorded,e1,2025-04-01,,,,,,,two,managed',
      'SmeSkillsetCertified,e1,2025-04-01,linux',
      '',
      'SmeSkillsetCertified,e1,2025-04-02,linux,,,,,,,',
    ].join('\n');
    const { rows, errors } = parseFactsCsv(csv);
    expect(rows.map((r) => r.line)).toEqual([10]);
    expect(errors).toEqual([
      { line: 2, message: 'effectiveDate: expected an ISO date YYYY-MM-DD' },
      {
        line: 3,
        message:
          'type: unknown fact type "Promoted"; expected one of EmployeeHired, LevelChanged, TeamChanged, ManagerChanged, TrackChanged, QuarterlyRatingRecorded, SmeSkillsetCertified, CoachingEvidenceRecorded, PeopleManagementExperienceRecorded, PeerReviewRecorded, DesignationGranted, DesignationEnded',
      },
      { line: 4, message: 'quarter: expected a quarter like 2025-Q3' },
      {
        line: 4,
        message: 'rating.leadership: Invalid option: expected one of "below"|"meets"|"high"|"at-next-level"',
      },
      { line: 5, message: 'outcome: Invalid option: expected one of "passed"|"failed"' },
      { line: 5, message: 'date: required' },
      { line: 6, message: 'quarter: not used by SmeSkillsetCertified' },
      { line: 7, message: 'months: expected a whole number, got "two"' },
      { line: 8, message: 'expected 11 cells, found 4' },
    ]);
  });

  it('rejects a header with missing, unknown or duplicate columns', () => {
    expect(parseFactsCsv('type,employee,effectiveDate,effectiveDate\nX,1,2,3').errors).toEqual([
      { line: 1, message: 'missing column "employeeId"' },
      {
        line: 1,
        message:
          'unknown column "employee"; expected type, employeeId, effectiveDate, name, email, team, managerId, frameworkId, track, roleId, reason, quarter, skillset, description, months, targetRoleId, outcome, date, designation or rating.<competency>',
      },
      { line: 1, message: 'duplicate column "effectiveDate"' },
    ]);
  });

  it('reports an empty file and an unterminated quote', () => {
    expect(parseFactsCsv('')).toEqual({
      rows: [],
      errors: [
        { line: 1, message: 'empty file: expected a header row with type, employeeId, effectiveDate' },
      ],
    });
    const { errors } = parseFactsCsv(
      'type,employeeId,effectiveDate,description\nCoachingEvidenceRecorded,e1,2025-01-01,"never closed',
    );
    expect(errors[0]).toEqual({ line: 2, message: 'unterminated quoted cell' });
  });
});
