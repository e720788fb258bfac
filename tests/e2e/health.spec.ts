import request from 'supertest';
import { startTestApi, type TestApi } from '../support/api.js';

describe('operations endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('reports database, Redis and subscription lag on /health without a token', async () => {
    const res = await request(api.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
    expect(res.body.details.subscriptions.status).toBe('up');
  });

  it('echoes a sane X-Request-Id and invents one otherwise', async () => {
    const given = await request(api.app.getHttpServer()).get('/health').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const invented = await request(api.app.getHttpServer()).get('/health').set('X-Request-Id', 'bad id!');
    expect(invented.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(api.app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/health');
  });
});
