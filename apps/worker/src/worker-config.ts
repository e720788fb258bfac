import type { ConnectionOptions } from 'bullmq';
import type { WorkerConfig } from '@talent/config';

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/** BullMQ connection options from REDIS_URL (each queue and worker opens its own connections). */
export function bullConnection(redisUrl: string): ConnectionOptions {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  };
}

export interface WorkerSettings {
  config: WorkerConfig;
  /** Prefix of every BullMQ key (tests isolate themselves with their own). */
  queuePrefix: string;
  /** How often the relay, dispatcher and sweepers poll. */
  pollMs: number;
}
