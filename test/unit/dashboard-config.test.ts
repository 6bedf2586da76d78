import { ConfigError, isLoopbackHost, loadConfig } from '../../src/config/config';

describe('dashboard configuration', () => {
  it('defaults to loopback, port 8480, no credentials', () => {
    expect(loadConfig({})).toMatchObject({ dashboardHost: '127.0.0.1', dashboardPort: 8480, dashboardAuth: undefined });
  });

  it.each(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '10.1.2.3', '::', 'example.internal', '128.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses a non-loopback host without credentials, naming the variable and the value', () => {
    expect(() => loadConfig({ DASHBOARD_HOST: '0.0.0.0' })).toThrow(
      new ConfigError(
        'Invalid configuration: DASHBOARD_HOST="0.0.0.0": expected a loopback address (127.0.0.1, ::1, localhost) unless DASHBOARD_TOKEN or DASHBOARD_USER and DASHBOARD_PASSWORD are set',
      ),
    );
  });

  it('binds beyond loopback with a token, or with a user and password', () => {
    expect(loadConfig({ DASHBOARD_HOST: '0.0.0.0', DASHBOARD_TOKEN: 'x'.repeat(16) }).dashboardAuth).toEqual({ token: 'x'.repeat(16) });
    expect(loadConfig({ DASHBOARD_HOST: '::', DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'long enough' }).dashboardAuth).toEqual({
      user: 'ops',
      password: 'long enough',
    });
  });

  it.each([
    [{ DASHBOARD_PORT: '70000' }, 'Invalid configuration: DASHBOARD_PORT="70000": expected a port number 0-65535'],
    [{ DASHBOARD_PORT: 'web' }, 'Invalid configuration: DASHBOARD_PORT="web": expected a port number 0-65535'],
    [{ DASHBOARD_TOKEN: 'short' }, 'Invalid configuration: DASHBOARD_TOKEN="short": expected a token of at least 16 characters'],
    [{ DASHBOARD_USER: 'ops' }, 'Invalid configuration: DASHBOARD_PASSWORD="": expected a value, since DASHBOARD_USER is set'],
    [{ DASHBOARD_PASSWORD: 'long enough' }, 'Invalid configuration: DASHBOARD_USER="": expected a value, since DASHBOARD_PASSWORD is set'],
    [{ DASHBOARD_HOST: 'http://x' }, 'Invalid configuration: DASHBOARD_HOST="http://x": expected a host name or IP address'],
  ])('%j: %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
