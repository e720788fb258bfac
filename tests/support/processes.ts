import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { TEST_JWT_SECRET } from './api.js';

/**
 * Real processes for crash and outage tests: the built worker as a child process, a redis-server of
 * the test's own, and an SMTP sink that can hold messages unanswered (a delivery in flight).
 */

export const ROOT = process.cwd();
export const WORKER_MAIN = join(ROOT, 'apps/worker/dist/main.js');

export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure `apps/worker/dist/main.js` exists and is not older than the sources it is built from
 * (CI builds before testing; a developer may not have). Builds with `tsc -b` when needed.
 */
export function ensureWorkerBuild(): void {
  const built = existsSync(WORKER_MAIN) ? statSync(WORKER_MAIN).mtimeMs : 0;
  const dirs = [
    join(ROOT, 'apps/worker/src'),
    ...readdirSync(join(ROOT, 'libs')).map((l) => join(ROOT, 'libs', l, 'src')),
  ];
  const newest = Math.max(...dirs.map(newestSource));
  if (built >= newest) return;
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 300_000,
    });
  } catch (e) {
    // A sibling's work in progress may not compile; an existing build still runs the worker.
    if (!existsSync(WORKER_MAIN)) throw e;
    process.stderr.write(`ensureWorkerBuild: tsc -b failed, using the existing build\n`);
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the child wrote (for failure messages). */
  output(): string;
  alive(): boolean;
  health(): Promise<{ status: number; body: unknown } | undefined>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns `node apps/worker/dist/main.js` and waits until its health endpoint answers. */
export async function spawnWorker(
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<WorkerProcess> {
  const port = env.WORKER_HTTP_PORT ? Number(env.WORKER_HTTP_PORT) : await freePort();
  const child = spawn(process.execPath, [WORKER_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      JWT_SECRET: TEST_JWT_SECRET,
      WEBHOOK_SECRET: 'test-webhook-secret-0123',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      RELAY_POLL_MS: '50',
      NODE_ENV: 'test',
      ...env,
      WORKER_HTTP_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const health = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
      return { status: res.status, body: await res.json() };
    } catch {
      return undefined;
    }
  };
  const until = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`worker exited during start-up (code ${child.exitCode}):\n${out}`);
    if (await health()) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`worker did not answer /health within ${readyTimeoutMs} ms:\n${out}`);
    }
    await pause(100);
  }
  return {
    child,
    port,
    output: () => out,
    alive: () => !exited,
    health,
    async kill(signal = 'SIGKILL') {
      if (exited) return;
      child.kill(signal);
      await exit;
    },
  };
}

export interface RedisServerProcess {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGKILL: no save (none configured anyway), everything in memory is lost. */
  stop(): Promise<void>;
}

/** A throw-away redis-server (no RDB, no AOF) on a free port; restartable on the same port. */
export async function redisServer(): Promise<RedisServerProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = () => {
    try {
      return execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe', timeout: 2000 })
        .toString()
        .trim();
    } catch {
      return '';
    }
  };
  const api: RedisServerProcess = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        {
          stdio: 'ignore',
        },
      );
      for (let i = 0; i < 100; i++) {
        if (ping() === 'PONG') return;
        await pause(50);
      }
      throw new Error(`redis-server on ${port} did not start`);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => c.on('exit', () => resolve()));
      c.kill('SIGKILL');
      await exited;
    },
  };
  await api.start();
  return api;
}

export interface SinkMail {
  to: string[];
  subject: string;
  messageId: string;
}

export interface SmtpSink {
  url: string;
  /** Messages this server accepted (answered 250). */
  accepted: SinkMail[];
  /** Messages received whose answer is being held back (the sender is waiting: a delivery in flight). */
  held: SinkMail[];
  /** While holding, DATA is never answered; `release()` forgets the held ones without accepting them. */
  hold(on: boolean): void;
  release(): void;
  close(): Promise<void>;
}

const header = (raw: string, name: string): string => {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
};

/** A real SMTP server on an ephemeral port; a message counts as delivered only once answered 250. */
export async function smtpSink(): Promise<SmtpSink> {
  const accepted: SinkMail[] = [];
  const held: SinkMail[] = [];
  let holding = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
        };
        if (holding) {
          held.push(mail); // never answered: the sender's connection dies with it
          return;
        }
        accepted.push(mail);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    held,
    hold(on) {
      holding = on;
    },
    release() {
      held.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(resolve, 2000).unref();
      }),
  };
}
