import { z } from 'zod';

/**
 * Configuration is read once from the environment and validated at boot. A bad or missing variable
 * stops the process with a message that names it (Novu's env validators, domain-driven-hexagon).
 */
const urlOf = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const port = z.coerce.number().int().min(1).max(65535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const common = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: urlOf(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: urlOf(['redis:', 'rediss:']),
  LOG_LEVEL: logLevel.default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  /**
   * Statement slots for group commit of appends made without a transaction (see the event store's
   * WriteCoalescer); 0 turns group commit off. 2 suits a small database server; a larger one with
   * many cores may take more.
   */
  EVENT_STORE_APPEND_SLOTS: z.coerce.number().int().min(0).max(64).default(2),
};

const apiSchema = z.object({
  ...common,
  PORT: port.default(3000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (it signs bearer tokens)'),
  JWT_ISSUER: z.string().min(1).default('talent-engine'),
  JWT_AUDIENCE: z.string().min(1).default('talent-engine'),
});

const workerSchema = z.object({
  ...common,
  WORKER_HTTP_PORT: port.default(3001),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (it signs bearer tokens)'),
  SMTP_URL: urlOf(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().email().default('talent-engine@localhost'),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters (it signs webhooks)'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  RELAY_POLL_MS: z.coerce.number().int().min(10).max(60000).default(200),
});

export type ApiConfig = z.infer<typeof apiSchema>;
export type WorkerConfig = z.infer<typeof workerSchema>;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(
      `Refusing to start ${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function parse<T>(schema: z.ZodType<T>, env: Record<string, string | undefined>, service: string): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const given = env[name];
    const message =
      given === undefined && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
    return `${name}: ${message}`;
  });
  throw new ConfigError(service, problems);
}

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return parse(apiSchema, env, 'api');
}

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return parse(workerSchema, env, 'worker');
}
