import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import {
  DeliveryService,
  NOTIFICATION_QUEUES,
  WebhookSender,
  createDeliveryWorker,
  createWebhookSubscription,
  enqueueDeliveries,
  planAndStore,
  setWebhookSubscriptionActive,
  verifyWebhookSignature,
  type DeliveryJobData,
  type WebhookSubscription,
} from '@talent/notifications';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  closedPort,
  makeEvent,
  queuePrefix,
  redisConnection,
  startWebhookReceiver,
  waitFor,
  type TestWebhookReceiver,
} from './helpers.js';

interface DeliveryRow {
  status: string;
  attempts: number;
  last_error: string | null;
  response_code: number | null;
}

describe('signed webhook delivery to a real HTTP receiver', () => {
  jest.setTimeout(30_000);
  let db: TestDatabase;
  let receiver: TestWebhookReceiver;
  let sub: WebhookSubscription;
  const secret = 'whsec_0123456789abcdef0123456789abcdef';
  const prefix = queuePrefix('webhook');
  const webhook = new WebhookSender({ timeoutMs: 2000 });
  let queue: Queue<DeliveryJobData>;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startWebhookReceiver();
    sub = await createWebhookSubscription(db.dataSource, {
      url: receiver.url,
      secret,
      eventTypes: ['PromotionApproved', 'TransferRequested'],
      createdBy: 'hr-1',
    });
    queue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, { connection: redisConnection, prefix });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    await receiver?.close();
    await db?.drop();
  });

  async function storeWebhook(type = 'PromotionApproved'): Promise<string> {
    const event = makeEvent({
      type,
      payload: { employeeId: 'emp-9', effectiveDate: '2027-01-01T00:00:00.000Z' },
    });
    const stored = await planAndStore(db.dataSource, event, []);
    expect(stored.deliveryIds).toHaveLength(1);
    return stored.deliveryIds[0];
  }

  async function deliveryRow(id: string): Promise<DeliveryRow> {
    const rows: DeliveryRow[] = await db.dataSource.query(
      `SELECT status, attempts, last_error, response_code FROM notification_deliveries WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  it('POSTs the event with a signature the receiver verifies', async () => {
    const deliveryId = await storeWebhook();
    const service = new DeliveryService({ db: db.dataSource, webhook });
    const before = receiver.requests.length;
    expect(await service.deliver(deliveryId)).toMatchObject({ status: 'sent', responseCode: 200 });
    const [req] = receiver.requests.slice(before);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/talent');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-talent-delivery']).toBe(deliveryId);
    expect(req.headers['x-talent-event']).toBe('PromotionApproved');
    const ts = String(req.headers['x-talent-timestamp']);
    const sig = String(req.headers['x-talent-signature']);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, ts, req.body, sig, 300)).toBe(true);
    expect(verifyWebhookSignature('another-secret-value', ts, req.body, sig, 300)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, req.body.replace('emp-9', 'emp-8'), sig, 300)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, req.body, sig, 300, Number(ts) + 301)).toBe(false);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      deliveryId,
      event: { type: 'PromotionApproved', streamType: 'promotion', payload: { employeeId: 'emp-9' } },
    });
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sent', attempts: 1, response_code: 200 });
  });

  it('500 then 200: retried through BullMQ with backoff, logged, one successful delivery', async () => {
    const deliveryId = await storeWebhook('TransferRequested');
    const policy = { maxAttempts: 4, baseDelayMs: 50 };
    const worker = createDeliveryWorker(new DeliveryService({ db: db.dataSource, webhook, policy }), {
      connection: redisConnection,
      prefix,
      concurrency: 1,
    });
    try {
      const before = receiver.requests.length;
      receiver.respondWith(500);
      await enqueueDeliveries(queue, [deliveryId], policy);
      const row = await waitFor(async () => {
        const r = await deliveryRow(deliveryId);
        return r.status === 'sent' ? r : undefined;
      });
      expect(row).toMatchObject({ status: 'sent', attempts: 2, response_code: 200, last_error: null });
      const calls = receiver.requests.slice(before);
      expect(calls).toHaveLength(2);
      // same delivery id on both attempts, so a receiver can drop a duplicate; each signed afresh
      expect(calls.map((c) => c.headers['x-talent-delivery'])).toEqual([deliveryId, deliveryId]);
      for (const c of calls) {
        expect(
          verifyWebhookSignature(
            secret,
            String(c.headers['x-talent-timestamp']),
            c.body,
            String(c.headers['x-talent-signature']),
            300,
          ),
        ).toBe(true);
      }
    } finally {
      await worker.close();
    }
  });

  it('non-2xx answers are recorded with their status; dead after max attempts', async () => {
    const deliveryId = await storeWebhook();
    const policy = { maxAttempts: 3, baseDelayMs: 30 };
    const worker = createDeliveryWorker(new DeliveryService({ db: db.dataSource, webhook, policy }), {
      connection: redisConnection,
      prefix,
      concurrency: 1,
    });
    try {
      const before = receiver.requests.length;
      receiver.respondWith(503, 502, 500, 500);
      await enqueueDeliveries(queue, [deliveryId], policy);
      const row = await waitFor(async () => {
        const r = await deliveryRow(deliveryId);
        return r.status === 'dead' ? r : undefined;
      });
      expect(row).toMatchObject({ status: 'dead', attempts: 3, response_code: 500 });
      expect(row.last_error).toContain('HTTP 500: receiver says no');
      await new Promise((r) => setTimeout(r, 300)); // no further attempt is made
      expect(receiver.requests.length - before).toBe(3);
      receiver.respondWith();
    } finally {
      await worker.close();
    }
  });

  it('a first failure is logged with its status and the next due time', async () => {
    const deliveryId = await storeWebhook();
    receiver.respondWith(429);
    const service = new DeliveryService({ db: db.dataSource, webhook, policy: { baseDelayMs: 60_000 } });
    const outcome = await service.deliver(deliveryId);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, responseCode: 429 });
    if (outcome.status !== 'failed') throw new Error('unreachable');
    expect(outcome.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await deliveryRow(deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      response_code: 429,
    });
  });

  it('an unreachable receiver is a failed attempt without a response code', async () => {
    const port = await closedPort();
    const down = await createWebhookSubscription(db.dataSource, {
      url: `http://127.0.0.1:${port}/nobody`,
      secret,
      eventTypes: ['CycleClosed'],
      createdBy: 'hr-1',
    });
    const stored = await planAndStore(db.dataSource, makeEvent({ type: 'CycleClosed', payload: {} }), []);
    const service = new DeliveryService({ db: db.dataSource, webhook });
    expect(await service.deliver(stored.deliveryIds[0])).toMatchObject({
      status: 'failed',
      responseCode: null,
    });
    await setWebhookSubscriptionActive(db.dataSource, down.id, false);
  });

  it('a subscription deactivated before delivery is dead without a request', async () => {
    const other = await createWebhookSubscription(db.dataSource, {
      url: receiver.url,
      eventTypes: ['WaiverGranted'],
      createdBy: 'hr-1',
    });
    const stored = await planAndStore(db.dataSource, makeEvent({ type: 'WaiverGranted', payload: {} }), []);
    expect(await setWebhookSubscriptionActive(db.dataSource, other.id, false)).toBe(true);
    const before = receiver.requests.length;
    const service = new DeliveryService({ db: db.dataSource, webhook });
    expect(await service.deliver(stored.deliveryIds[0])).toMatchObject({ status: 'dead' });
    expect(receiver.requests.length).toBe(before);
    expect(sub.active).toBe(true);
  });
});
