import { ConfigError, loadConfig } from '../../src/config/config';

describe('time-outs and limits', () => {
  it('waits 2 s for each ping unless HEALTH_CHECK_TIMEOUT_MS says otherwise', () => {
    expect(loadConfig({}).healthCheckTimeoutMs).toBe(2_000);
    expect(loadConfig({ HEALTH_CHECK_TIMEOUT_MS: '500' }).healthCheckTimeoutMs).toBe(500);
  });

  it('gives a gateway call 30 s and an attempt 8 calls unless PAYMENT_TIMEOUT_MS and PAYMENT_MAX_CALLS say otherwise', () => {
    expect(loadConfig({})).toMatchObject({ paymentTimeoutMs: 30_000, paymentMaxCalls: 8 });
    expect(loadConfig({ PAYMENT_TIMEOUT_MS: '5000', PAYMENT_MAX_CALLS: '3' })).toMatchObject({ paymentTimeoutMs: 5_000, paymentMaxCalls: 3 });
  });

  it.each([
    [{ HEALTH_CHECK_TIMEOUT_MS: '0' }, 'Invalid configuration: HEALTH_CHECK_TIMEOUT_MS="0": expected a whole number of milliseconds >= 1'],
    [{ PAYMENT_TIMEOUT_MS: '2.5' }, 'Invalid configuration: PAYMENT_TIMEOUT_MS="2.5": expected a whole number of milliseconds >= 1'],
    [{ PAYMENT_MAX_CALLS: 'many' }, 'Invalid configuration: PAYMENT_MAX_CALLS="many": expected a whole number >= 1'],
  ])('refuses %j with one line naming variable, value and expectation', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
