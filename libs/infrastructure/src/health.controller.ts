import { Controller, Get, Inject, SetMetadata } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from './redis.module.js';

/** Route metadata read by the API's auth guard: no bearer token needed. */
export const PUBLIC_ROUTE = 'talent:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Readiness: PostgreSQL must answer (it holds the truth). Redis down and subscription lag are
 * reported as degraded, not down: commands keep working without Redis and queued work catches up.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Database, Redis and subscription lag' })
  check() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
            return {};
          })
          .withTimeout(2000),
      async () => {
        const probe = this.indicators.check('redis');
        try {
          const pong = await Promise.race([
            this.redis.ping(),
            new Promise<string>((_, reject) =>
              setTimeout(() => reject(new Error('timeout after 1000 ms')), 1000),
            ),
          ]);
          return probe.up({ reply: pong });
        } catch (e) {
          return probe.degraded({ message: e instanceof Error ? e.message : String(e) });
        }
      },
      async () => {
        const probe = this.indicators.check('subscriptions');
        let rows: Array<{ name: string; lag: string }>;
        try {
          rows = await this.dataSource.query(
            `SELECT c.name, (SELECT count(*) FROM events e WHERE (e.tx_id, e.position) > (c.tx_id, c.position))::text AS lag
               FROM subscription_checkpoints c ORDER BY c.name`,
          );
        } catch (e) {
          return probe.down({ message: e instanceof Error ? e.message : String(e) });
        }
        const lag = Object.fromEntries(rows.map((r) => [r.name, Number(r.lag)]));
        const worst = Math.max(0, ...Object.values(lag));
        return worst > 10000 ? probe.degraded({ lag }) : probe.up({ lag });
      },
    ]);
  }
}
