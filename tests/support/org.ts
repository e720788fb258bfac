import request from 'supertest';
import type { TestApi } from './api.js';

export interface Person {
  id: string;
  token: string;
}

/** Factories for a small organisation, recorded over HTTP as HR would. */
export class OrgFactory {
  private readonly hrToken: string;
  constructor(private readonly api: TestApi) {
    this.hrToken = api.token({ userId: 'hr-1', roles: ['hr'], team: null });
  }

  get hr(): Person {
    return { id: 'hr-1', token: this.hrToken };
  }

  person(
    id: string,
    roles: Array<'manager' | 'leadership' | 'employee' | 'auditor' | 'system'>,
    team: string | null,
  ): Person {
    return { id, token: this.api.token({ userId: id, roles, team }) };
  }

  async hire(opts: {
    id: string;
    managerId: string;
    team?: string;
    frameworkId?: string;
    track?: string;
    roleId?: string;
    hiredOn?: string;
    extra?: Array<{ type: string; data: Record<string, unknown> }>;
  }): Promise<Person> {
    const team = opts.team ?? 'support';
    const facts = [
      {
        type: 'EmployeeHired',
        data: {
          employeeId: opts.id,
          name: `Person ${opts.id}`,
          email: `${opts.id}@example.com`,
          team,
          managerId: opts.managerId,
          frameworkId: opts.frameworkId ?? 'customer-engineering-ladder',
          track: opts.track ?? 'core',
          roleId: opts.roleId ?? 'customer-engineer',
          effectiveDate: opts.hiredOn ?? '2024-01-10',
        },
      },
      ...(opts.extra ?? []).map((f) => ({ type: f.type, data: { employeeId: opts.id, ...f.data } })),
    ];
    const res = await request(this.api.app.getHttpServer())
      .post(`/employees/${opts.id}/facts`)
      .set('Authorization', `Bearer ${this.hrToken}`)
      .send({ facts });
    if (res.status !== 201)
      throw new Error(`hiring ${opts.id} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.person(opts.id, ['employee'], team);
  }
}

/** A thin HTTP client for case actions with readable failures. */
export function cases(api: TestApi) {
  const http = () => request(api.app.getHttpServer());
  return {
    open: (path: string, who: Person, body: Record<string, unknown>) =>
      http().post(path).set('Authorization', `Bearer ${who.token}`).send(body),
    act: (
      caseId: string,
      action: string,
      who: Person,
      body: Record<string, unknown> = {},
      headers: Record<string, string> = {},
    ) => {
      let r = http().post(`/cases/${caseId}/actions/${action}`).set('Authorization', `Bearer ${who.token}`);
      for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
      return r.send(body);
    },
    get: (caseId: string, who: Person) =>
      http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${who.token}`),
    list: (query: string, who: Person) =>
      http().get(`/cases?${query}`).set('Authorization', `Bearer ${who.token}`),
  };
}
