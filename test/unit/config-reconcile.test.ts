import { ConfigError, loadConfig } from '../../src/config/config';

describe('bookkeeper and reconciliation configuration', () => {
  it('defaults to the local bookkeeper, a 60 s settle time and a scan every 2 minutes', () => {
    const config = loadConfig({});
    expect(config.bookkeeper).toEqual({ kind: 'local' });
    expect(config.reconcileSettleSeconds).toBe(60);
    expect(config.schedules['reconcile-scan']).toBe('*/2 * * * *');
  });

  it('reads the http bookkeeper with its URL, secret and time-out', () => {
    const config = loadConfig({ BOOKKEEPER: 'http', BOOKKEEPER_URL: 'https://books.example/sync', BOOKKEEPER_SECRET: 's'.repeat(16), BOOKKEEPER_TIMEOUT_MS: '2500' });
    expect(config.bookkeeper).toEqual({ kind: 'http', url: 'https://books.example/sync', secret: 's'.repeat(16), timeoutMs: 2500 });
  });

  it.each([
    [{ BOOKKEEPER: 'quickbooks' }, 'Invalid configuration: BOOKKEEPER="quickbooks": expected one of: local, http'],
    [{ BOOKKEEPER: 'http', BOOKKEEPER_SECRET: 's'.repeat(16) }, 'Invalid configuration: BOOKKEEPER_URL="": expected a URL starting with http:// or https://, since BOOKKEEPER=http'],
    [{ BOOKKEEPER: 'http', BOOKKEEPER_URL: 'https://books.example' }, 'Invalid configuration: BOOKKEEPER_SECRET="": expected a secret of at least 16 characters, since BOOKKEEPER=http'],
    [{ BOOKKEEPER_URL: 'ftp://books.example' }, 'Invalid configuration: BOOKKEEPER_URL="ftp://books.example": expected a URL starting with http:// or https://'],
    [{ BOOKKEEPER_SECRET: 'short' }, 'Invalid configuration: BOOKKEEPER_SECRET="short": expected a secret of at least 16 characters'],
    [{ RECONCILE_SETTLE_SECONDS: '-5' }, 'Invalid configuration: RECONCILE_SETTLE_SECONDS="-5": expected a whole number of seconds >= 0'],
    [{ SCHEDULE_RECONCILE_SCAN: 'often' }, 'Invalid configuration: SCHEDULE_RECONCILE_SCAN="often": expected a cron expression such as "*/5 * * * *", or "off"'],
  ])('refuses %j with one line naming variable, value and expectation', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('turns the scan off with "off"', () => {
    expect(loadConfig({ SCHEDULE_RECONCILE_SCAN: 'off' }).schedules['reconcile-scan']).toBeUndefined();
  });
});
