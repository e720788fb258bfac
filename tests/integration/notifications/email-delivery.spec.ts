import { jest } from '@jest/globals';
import { Queue, QueueEvents, Worker } from 'bullmq';
import {
  DeliveryService,
  EmailSender,
  NOTIFICATION_QUEUES,
  createDeliveryProcessor,
  createDeliveryWorker,
  deliveryJobId,
  enqueueDeliveries,
  enqueuePendingDeliveries,
  planAndStore,
  upsertUserContact,
  type DeliveryJobData,
} from '@talent/notifications';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  completionOf,
  makeEvent,
  queuePrefix,
  redisConnection,
  startSmtpServer,
  waitFor,
  type TestSmtpServer,
} from './helpers.js';

interface DeliveryRow {
  status: string;
  attempts: number;
  last_error: string | null;
  response_code: number | null;
  sent_at: Date | null;
}

describe('e-mail delivery over a real SMTP server', () => {
  jest.setTimeout(30_000);
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let email: EmailSender;
  const prefix = queuePrefix('email');
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    email = new EmailSender({ smtpUrl: smtp.url, from: 'talent@example.test', timeoutMs: 5000 });
    await upsertUserContact(db.dataSource, {
      userId: 'mgr-1',
      email: 'maria@example.test',
      displayName: 'Maria',
    });
    await upsertUserContact(db.dataSource, {
      userId: 'emp-1',
      email: 'eve@example.test',
      displayName: 'Eve',
    });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    const q = new Queue(NOTIFICATION_QUEUES.delivery, { connection: redisConnection, prefix });
    await q.obliterate({ force: true });
    await q.close();
    email?.close();
    await smtp?.close();
    await db?.drop();
  });

  async function storeEmail(recipient = 'mgr-1'): Promise<{ deliveryId: string; notificationId: string }> {
    const event = makeEvent();
    const stored = await db.dataSource.transaction((tx) =>
      planAndStore(tx, event, [{ userId: recipient, reason: 'must_act' }]),
    );
    const rows: Array<{ id: string; notification_id: string }> = await db.dataSource.query(
      `SELECT id, notification_id FROM notification_deliveries WHERE id = ANY($1::uuid[]) AND channel = 'email'`,
      [stored.deliveryIds],
    );
    return { deliveryId: rows[0].id, notificationId: rows[0].notification_id };
  }

  async function deliveryRow(id: string): Promise<DeliveryRow> {
    const rows: DeliveryRow[] = await db.dataSource.query(
      `SELECT status, attempts, last_error, response_code, sent_at FROM notification_deliveries WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  it('delivers to the right recipient with the rendered subject and a Message-ID from the notification id', async () => {
    const { deliveryId, notificationId } = await storeEmail();
    const processor = createDeliveryProcessor(new DeliveryService({ db: db.dataSource, email }));
    const before = smtp.received.length;
    await processor({ data: { deliveryId } });
    const mail = smtp.received.slice(before);
    expect(mail).toHaveLength(1);
    expect(mail[0].to).toEqual(['maria@example.test']);
    expect(mail[0].from).toBe('talent@example.test');
    expect(mail[0].subject).toBe('Promotion requested for Eve');
    expect(mail[0].messageId).toBe(`<notification.${notificationId}@example.test>`);
    expect(mail[0].raw).toContain('Action needed: check the eligibility');
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sent', attempts: 1, response_code: 250 });
  });

  it('running the same job twice, or concurrently, sends one e-mail', async () => {
    const { deliveryId } = await storeEmail();
    const service = new DeliveryService({ db: db.dataSource, email });
    const processor = createDeliveryProcessor(service);
    const before = smtp.received.length;
    await Promise.all([processor({ data: { deliveryId } }), processor({ data: { deliveryId } })]);
    await processor({ data: { deliveryId } });
    expect(await service.deliver(deliveryId)).toEqual({ status: 'skipped', deliveryId, current: 'sent' });
    expect(smtp.received.length - before).toBe(1);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a retry after the row was marked sent (job failed to ack) sends nothing', async () => {
    const { deliveryId } = await storeEmail();
    const before = smtp.received.length;
    // the ack is lost: BullMQ sees the first run fail after the mark, and retries the job
    const service = new DeliveryService({ db: db.dataSource, email });
    const processor = createDeliveryProcessor(service);
    const worker = new Worker<DeliveryJobData>(
      NOTIFICATION_QUEUES.delivery,
      async (job) => {
        await processor(job);
        if (job.attemptsMade === 0) throw new Error('lost ack');
      },
      { connection: redisConnection, prefix, concurrency: 1 },
    );
    closers.push(() => worker.close());
    const queue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, {
      connection: redisConnection,
      prefix,
    });
    closers.push(() => queue.close());
    const events = new QueueEvents(NOTIFICATION_QUEUES.delivery, { connection: redisConnection, prefix });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const done = completionOf(events, deliveryJobId(deliveryId));
    await enqueueDeliveries(queue, [deliveryId], { maxAttempts: 3, baseDelayMs: 20 });
    await done;
    expect(smtp.received.length - before).toBe(1);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });
    // re-adding the same deterministic job id later (relay replay, sweep) still sends nothing
    const doneAgain = completionOf(events, deliveryJobId(deliveryId));
    await enqueueDeliveries(queue, [deliveryId], { maxAttempts: 3, baseDelayMs: 20 });
    await doneAgain;
    expect(smtp.received.length - before).toBe(1);
    await worker.close();
  });

  it('a rejecting SMTP server is retried with backoff until it accepts; the log shows the attempts', async () => {
    const { deliveryId } = await storeEmail('emp-1');
    const policy = { maxAttempts: 5, baseDelayMs: 50 };
    const service = new DeliveryService({ db: db.dataSource, email, policy });
    const worker = createDeliveryWorker(service, { connection: redisConnection, prefix, concurrency: 1 });
    closers.push(() => worker.close());
    const queue = new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, {
      connection: redisConnection,
      prefix,
    });
    closers.push(() => queue.close());
    const before = smtp.received.length;
    const rejectedBefore = smtp.rejections;
    smtp.rejectNext(2, 451);
    await enqueueDeliveries(queue, [deliveryId], policy);
    const row = await waitFor(
      async () => {
        const r = await deliveryRow(deliveryId);
        return r.status === 'sent' ? r : undefined;
      },
      15_000,
      'delivery sent',
    );
    expect(smtp.rejections - rejectedBefore).toBe(2);
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.received.at(-1)!.to).toEqual(['eve@example.test']);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, response_code: 250, last_error: null });
    await worker.close();
  });

  it('records the SMTP code of a failed attempt, and goes dead after max attempts', async () => {
    const { deliveryId } = await storeEmail('emp-1');
    const service = new DeliveryService({
      db: db.dataSource,
      email,
      policy: { maxAttempts: 2, baseDelayMs: 10 },
    });
    smtp.rejectNext(5, 550);
    const first = await service.deliver(deliveryId);
    expect(first).toMatchObject({ status: 'failed', attempts: 1, responseCode: 550 });
    expect(await deliveryRow(deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      response_code: 550,
    });
    expect((await deliveryRow(deliveryId)).last_error).toContain('Mailbox temporarily unavailable');
    const second = await service.deliver(deliveryId);
    expect(second).toMatchObject({ status: 'dead', attempts: 2, responseCode: 550 });
    expect(await service.deliver(deliveryId)).toMatchObject({ status: 'skipped', current: 'dead' });
    smtp.rejectNext(0);
  });

  it('a crash between SMTP accept and the DB mark is the only duplicate window: retried only after the lease', async () => {
    const { deliveryId } = await storeEmail();
    const before = smtp.received.length;
    const crashing = new DeliveryService({
      db: db.dataSource,
      email,
      afterTransportAccepted: async () => {
        throw new Error('process died');
      },
    });
    await expect(crashing.deliver(deliveryId)).rejects.toThrow('process died');
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'sending', attempts: 1 });
    // a redelivery of the job while the claim is fresh sends nothing
    const healthy = new DeliveryService({ db: db.dataSource, email, policy: { leaseMs: 60_000 } });
    expect(await healthy.deliver(deliveryId)).toMatchObject({ status: 'skipped', current: 'sending' });
    const queueLike = { getJob: async () => undefined, add: jest.fn(async () => undefined) };
    expect(
      await enqueuePendingDeliveries(queueLike as never, db.dataSource, { policy: { leaseMs: 60_000 } }),
    ).toEqual(expect.objectContaining({ enqueued: 0 }));
    expect(smtp.received.length - before).toBe(1);
    // once the lease has expired the sweep picks it up and it is sent again (at-least-once), same Message-ID
    await db.dataSource.query(
      `UPDATE notification_deliveries SET claimed_at = now() - interval '2 minutes' WHERE id = $1`,
      [deliveryId],
    );
    const sweep = await enqueuePendingDeliveries(queueLike as never, db.dataSource, {
      policy: { leaseMs: 60_000 },
    });
    expect(sweep.enqueued).toBe(1);
    expect(await healthy.deliver(deliveryId)).toMatchObject({ status: 'sent', attempts: 2 });
    const copies = smtp.received.slice(before);
    expect(copies).toHaveLength(2);
    expect(copies[0].messageId).toBe(copies[1].messageId);
  });
});
