import request from 'supertest';
import { verifyExport } from '@talent/audit';
import { verifyAudit } from '../../../apps/api/src/cli/verify-audit.js';
import { startCaseWorld, type CaseWorld } from '../../support/case-world.js';
import type { Person } from '../../support/org.js';

/**
 * Proof that history was not altered: a stored event is edited directly in PostgreSQL, and both the
 * HTTP verification and the `npm run audit:verify` CLI report the first broken link by stream and
 * version; an export taken afterwards fails offline verification at the same event.
 */
describe('audit verification catches an edit made directly in the database', () => {
  let w: CaseWorld;
  let caseId: string;
  const get = (path: string, who: Person) =>
    request(w.api.app.getHttpServer()).get(path).set('Authorization', `Bearer ${who.token}`);

  beforeAll(async () => {
    w = await startCaseWorld();
    caseId = w.subjectPromotionId;
    const checked = await w.c.act(caseId, 'checkEligibility', w.people.manager, {
      reason: 'quarterly review',
    });
    expect(checked.status).toBe(200);
  });
  afterAll(async () => {
    await w.close();
  });

  it('reports an intact log first (HTTP and CLI)', async () => {
    const res = await get('/audit/verify', w.people.hr);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
    const out: string[] = [];
    const cli = await verifyAudit({ databaseUrl: w.api.db.url, write: (l) => out.push(l) });
    expect(cli.exitCode).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^ok: \d+ events, every hash chain intact$/)]);
    expect(cli.result.eventsChecked).toBe(res.body.eventsChecked);
  });

  it('after UPDATE events SET payload = ..., names the stream and version of the edited event', async () => {
    const [row] = await w.api.db.dataSource.query<Array<{ payload: Record<string, unknown> }>>(
      'SELECT payload FROM events WHERE stream_id = $1 AND stream_version = 1',
      [caseId],
    );
    expect(row?.payload.employeeId).toBe('ce-1');
    // someone rewrites who the promotion was for, leaving the hashes as they were
    await w.api.db.dataSource.query(
      `UPDATE events SET payload = jsonb_set(payload, '{employeeId}', '"ce-2"') WHERE stream_id = $1 AND stream_version = 1`,
      [caseId],
    );

    const res = await get('/audit/verify', w.people.auditor);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: false,
      firstBroken: { streamId: caseId, version: 1, reason: expect.stringMatching(/hash/) },
    });
    const one = await get(`/audit/verify?streamId=${caseId}`, w.people.auditor);
    expect(one.body).toMatchObject({
      ok: false,
      streamId: caseId,
      firstBroken: { streamId: caseId, version: 1 },
    });
    const other = await get(`/audit/verify?streamId=${w.openingId}`, w.people.auditor);
    expect(other.body).toMatchObject({ ok: true });

    const out: string[] = [];
    const cli = await verifyAudit({ databaseUrl: w.api.db.url, write: (l) => out.push(l) });
    expect(cli.exitCode).toBe(2);
    expect(cli.result.firstBroken).toEqual(res.body.firstBroken);
    expect(out.join('\n')).toContain(`BROKEN: stream ${caseId} version 1`);

    // an export taken now carries the stored hashes: offline verification finds the same event
    const exported = await get(`/audit/export?query=caseHistory&caseId=${caseId}`, w.people.auditor)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      });
    expect(exported.status).toBe(200);
    const verdict = verifyExport(exported.body as string);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatchObject({ kind: 'hash-mismatch', streamId: caseId, version: 1 });
  });

  it('catches a later event edited too, still reporting the first broken link', async () => {
    await w.api.db.dataSource.query(
      `UPDATE events SET metadata = jsonb_set(metadata, '{reason}', '"nothing to see"') WHERE stream_id = $1 AND stream_version = 2`,
      [caseId],
    );
    const res = await get(`/audit/verify?streamId=${caseId}`, w.people.hr);
    expect(res.body.firstBroken).toMatchObject({ streamId: caseId, version: 1 });
    // once the first edit is undone, the second one is the first broken link
    await w.api.db.dataSource.query(
      `UPDATE events SET payload = jsonb_set(payload, '{employeeId}', '"ce-1"') WHERE stream_id = $1 AND stream_version = 1`,
      [caseId],
    );
    const again = await get(`/audit/verify?streamId=${caseId}`, w.people.hr);
    expect(again.body).toMatchObject({ ok: false, firstBroken: { streamId: caseId, version: 2 } });
  });
});
