import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { NotifiableEvent } from '@talent/notifications';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Reject the next `n` messages with the given SMTP code (at DATA). */
  rejectNext(n: number, code?: number): void;
  /** Messages rejected so far. */
  rejections: number;
  close(): Promise<void>;
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m?.[1]?.trim() ?? '';
}

/** A real SMTP server on an ephemeral port that records what it accepts. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  let toReject = 0;
  let rejectCode = 451;
  const state = {
    received: [] as ReceivedMail[],
    rejections: 0,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (toReject > 0) {
          toReject--;
          state.rejections++;
          const err = Object.assign(new Error('Mailbox temporarily unavailable'), {
            responseCode: rejectCode,
          });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get rejections() {
      return state.rejections;
    },
    rejectNext(n, code = 451) {
      toReject = n;
      rejectCode = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestWebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status codes for the next responses, in order; 200 once exhausted. */
  respondWith(...statuses: number[]): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records webhook calls. */
export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status >= 300 ? 'receiver says no' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/talent`,
    requests,
    respondWith(...s) {
      statuses = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export function queuePrefix(name: string): string {
  return `test-notif-${name}-${randomBytes(4).toString('hex')}`;
}

export const redisConnection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

let seq = 0;
export function makeEvent(overrides: Partial<NotifiableEvent> = {}): NotifiableEvent {
  seq++;
  return {
    eventId: randomUUID(),
    streamId: `promotion-${seq}`,
    streamType: 'promotion',
    streamVersion: 1,
    type: 'PromotionRequested',
    payload: { employeeId: 'emp-1', targetRoleId: 'senior-ce', targetPath: 'ic' },
    metadata: {
      actorId: 'emp-1',
      actorRole: 'employee',
      occurredAt: new Date(Date.UTC(2026, 10, 1, 9, 0, seq)).toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
    ...overrides,
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves when QueueEvents reports the job completed; register before adding the job. */
export function completionOf(
  events: { on(event: 'completed', listener: (args: { jobId: string }) => void): unknown },
  jobId: string,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not complete`)), timeoutMs);
    events.on('completed', ({ jobId: id }) => {
      if (id === jobId) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
