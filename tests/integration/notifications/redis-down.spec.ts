import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import {
  DeliveryService,
  EmailSender,
  NOTIFICATION_QUEUES,
  WebhookSender,
  createDeliveryWorker,
  createWebhookSubscription,
  deliveryJobId,
  enqueueDeliveries,
  enqueuePendingDeliveries,
  planAndStore,
  startDeliverySweeper,
  createDeliveryProcessor,
  upsertUserContact,
  type DeliveryJobData,
} from '@talent/notifications';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  closedPort,
  makeEvent,
  queuePrefix,
  redisConnection,
  startSmtpServer,
  startWebhookReceiver,
  waitFor,
  type TestSmtpServer,
  type TestWebhookReceiver,
} from './helpers.js';

describe('nothing is lost while Redis is unreachable', () => {
  jest.setTimeout(45_000);
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;
  let email: EmailSender;
  const prefix = queuePrefix('redis-down');
  let queue: Queue<DeliveryJobData>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    receiver = await startWebhookReceiver();
    email = new EmailSender({ smtpUrl: smtp.url, from: 'talent@example.test', timeoutMs: 5000 });
    for (const u of ['a', 'b', 'c']) {
      await upsertUserContact(db.dataSource, {
        userId: `user-${u}`,
        email: `${u}@example.test`,
        displayName: u,
      });
    }
    await createWebhookSubscription(db.dataSource, {
      url: receiver.url,
      eventTypes: ['*'],
      createdBy: 'hr-1',
      secret: 'a-long-enough-shared-secret',
    });
    queue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, { connection: redisConnection, prefix });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    email?.close();
    await smtp?.close();
    await receiver?.close();
    await db?.drop();
  });

  async function statuses(ids: readonly string[]): Promise<string[]> {
    const rows: Array<{ status: string }> = await db.dataSource.query(
      `SELECT status FROM notification_deliveries WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    return rows.map((r) => r.status);
  }

  it('deliveries stored while the queue is down are all delivered, once, after the sweep', async () => {
    const port = await closedPort();
    const deadQueue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, {
      connection: {
        host: '127.0.0.1',
        port,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      },
      prefix,
    });
    deadQueue.on('error', () => undefined);

    // the relay plans and stores three events, then fails to enqueue: the rows are in Postgres
    const stored: string[] = [];
    for (let i = 0; i < 3; i++) {
      const event = makeEvent({ type: 'CycleOpened', payload: { name: `cycle ${i}` } });
      const r = await db.dataSource.transaction((tx) =>
        planAndStore(tx, event, [
          { userId: 'user-a', reason: 'affected' },
          { userId: 'user-b', reason: 'affected' },
          { userId: 'user-c', reason: 'must_act' },
        ]),
      );
      stored.push(...r.deliveryIds);
      const attempt = enqueueDeliveries(deadQueue, r.deliveryIds).then(
        () => 'enqueued',
        () => 'refused',
      );
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 2000));
      expect(await Promise.race([attempt, timeout])).not.toBe('enqueued');
    }
    await deadQueue.disconnect().catch(() => undefined);
    expect(stored).toHaveLength(12); // 3 events x (3 e-mails + 1 webhook)
    expect(new Set(await statuses(stored))).toEqual(new Set(['pending']));
    expect(smtp.received).toHaveLength(0);

    // Redis is back: a worker starts and the sweep re-enqueues from Postgres
    const policy = { maxAttempts: 3, baseDelayMs: 50 };
    const worker = createDeliveryWorker(
      new DeliveryService({ db: db.dataSource, email, webhook: new WebhookSender(), policy }),
      { connection: redisConnection, prefix, concurrency: 4 },
    );
    try {
      const first = await enqueuePendingDeliveries(queue, db.dataSource, { policy, batchSize: 5 });
      expect(first.enqueued + first.alreadyQueued).toBe(12);
      expect(first.enqueued).toBe(12);
      // a second sweep right away adds nothing twice
      const second = await enqueuePendingDeliveries(queue, db.dataSource, { policy });
      expect(second.enqueued).toBe(0);
      await waitFor(async () => (await statuses(stored)).every((s) => s === 'sent'), 20_000, 'all sent');
    } finally {
      await worker.close();
    }
    expect(smtp.received).toHaveLength(9);
    const perAddress = new Map<string, number>();
    for (const m of smtp.received) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(Object.fromEntries(perAddress)).toEqual({
      'a@example.test': 3,
      'b@example.test': 3,
      'c@example.test': 3,
    });
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(9);
    expect(receiver.requests).toHaveLength(3);
    // and a later sweep finds nothing to do
    expect(await enqueuePendingDeliveries(queue, db.dataSource, { policy })).toEqual({
      enqueued: 0,
      alreadyQueued: 0,
    });
  });

  it('a delivery whose BullMQ job gave up while the row is still due is re-enqueued by the sweep', async () => {
    const event = makeEvent({ type: 'CycleClosed', payload: {} });
    const { deliveryIds } = await planAndStore(db.dataSource, event, [
      { userId: 'user-a', reason: 'affected' },
    ]);
    const emailRows = await db.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM notification_deliveries WHERE id = ANY($1::uuid[]) AND channel = 'email'`,
      [deliveryIds],
    );
    const emailDelivery = emailRows[0].id;
    const before = smtp.received.length;
    // the job allows one attempt, the delivery policy five: the job ends failed, the row stays `failed`
    smtp.rejectNext(1, 451);
    const worker = createDeliveryWorker(
      new DeliveryService({
        db: db.dataSource,
        email,
        webhook: new WebhookSender(),
        policy: { maxAttempts: 5, baseDelayMs: 10 },
      }),
      { connection: redisConnection, prefix, concurrency: 1 },
    );
    try {
      await enqueueDeliveries(queue, [emailDelivery], { maxAttempts: 1, baseDelayMs: 10 });
      await waitFor(
        async () => (await queue.getJob(deliveryJobId(emailDelivery)))?.isFailed(),
        10_000,
        'job failed in BullMQ',
      );
      expect(await statuses([emailDelivery])).toEqual(['failed']);
      // re-adding with the same id would be deduplicated against the failed job: the sweep replaces it
      await waitFor(async () => {
        const r = await enqueuePendingDeliveries(queue, db.dataSource, {
          policy: { maxAttempts: 5, baseDelayMs: 10 },
        });
        return r.enqueued > 0;
      });
      await waitFor(async () => (await statuses([emailDelivery]))[0] === 'sent', 10_000, 'sent after sweep');
      expect(smtp.received.length - before).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('the periodic sweeper reports errors while Redis is down and delivers once it is back', async () => {
    const event = makeEvent({ type: 'OpeningOpened', payload: { targetRoleId: 'staff-engineer' } });
    const { deliveryIds } = await planAndStore(db.dataSource, event, [
      { userId: 'user-b', reason: 'must_act' },
    ]);
    expect(deliveryIds).toHaveLength(2);
    const port = await closedPort();
    const deadQueue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, {
      connection: {
        host: '127.0.0.1',
        port,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      },
      prefix,
    });
    deadQueue.on('error', () => undefined);
    const errors: unknown[] = [];
    const down = startDeliverySweeper(deadQueue, db.dataSource, {
      intervalMs: 100,
      onError: (e) => errors.push(e),
    });
    await waitFor(() => errors.length > 0, 10_000, 'a reported sweep error');
    await down.stop();
    await deadQueue.disconnect().catch(() => undefined);
    expect(await statuses(deliveryIds)).toEqual(['pending', 'pending']);

    const policy = { maxAttempts: 3, baseDelayMs: 50 };
    const worker = createDeliveryWorker(
      new DeliveryService({ db: db.dataSource, email, webhook: new WebhookSender(), policy }),
      { connection: redisConnection, prefix, concurrency: 2 },
    );
    const up = startDeliverySweeper(queue, db.dataSource, { intervalMs: 100, policy });
    try {
      await waitFor(async () => (await statuses(deliveryIds)).every((s) => s === 'sent'), 10_000, 'sent');
    } finally {
      await up.stop();
      await worker.close();
    }
  });

  it('a job naming no stored delivery fails without retries', async () => {
    const processor = createDeliveryProcessor(new DeliveryService({ db: db.dataSource, email }));
    await expect(
      processor({ data: { deliveryId: '99999999-9999-4999-8999-999999999999' } }),
    ).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
  });
});
