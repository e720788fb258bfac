import { ConfigError, loadApiConfig, loadWorkerConfig } from './config.js';

const good = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/talent',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  WEBHOOK_SECRET: 'y'.repeat(16),
};

describe('configuration validated at boot', () => {
  it('accepts a complete environment and applies defaults', () => {
    const cfg = loadApiConfig(good);
    expect(cfg.PORT).toBe(3000);
    expect(cfg.DATABASE_POOL_SIZE).toBe(10);
    expect(cfg.EVENT_STORE_APPEND_SLOTS).toBe(2);
    expect(loadApiConfig({ ...good, EVENT_STORE_APPEND_SLOTS: '0' }).EVENT_STORE_APPEND_SLOTS).toBe(0);
    expect(loadWorkerConfig(good).SMTP_URL).toBe('smtp://127.0.0.1:1025');
  });

  it('names every missing or malformed variable', () => {
    const run = () =>
      loadApiConfig({ ...good, DATABASE_URL: 'mysql://x', PORT: 'eighty', JWT_SECRET: undefined });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://');
      expect(msg).toContain('PORT:');
      expect(msg).toContain('JWT_SECRET: is required but not set');
    }
  });

  it('rejects a short webhook secret for the worker', () => {
    expect(() => loadWorkerConfig({ ...good, WEBHOOK_SECRET: 'short' })).toThrow(
      /WEBHOOK_SECRET: must be at least 16/,
    );
  });

  it('refuses a negative or fractional number of append slots, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'many']) {
      expect(() => loadWorkerConfig({ ...good, EVENT_STORE_APPEND_SLOTS: bad })).toThrow(
        /EVENT_STORE_APPEND_SLOTS/,
      );
    }
  });
});
