import { isAuthorized } from '../../src/ops/dashboard-auth';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const token = 'a-token-of-some-length';

describe('dashboard credentials', () => {
  it('a bearer token or basic auth with the token as password, when a token is configured', () => {
    const auth = { token };
    expect(isAuthorized(`Bearer ${token}`, auth)).toBe(true);
    expect(isAuthorized(`bearer ${token}`, auth)).toBe(true);
    expect(isAuthorized(basic('anyone', token), auth)).toBe(true);
    expect(isAuthorized(`Bearer ${token}x`, auth)).toBe(false);
    expect(isAuthorized(basic(token, 'x'), auth)).toBe(false);
  });

  it('basic auth with the user and password, when those are configured', () => {
    const auth = { user: 'ops', password: 'p:ss word' };
    expect(isAuthorized(basic('ops', 'p:ss word'), auth)).toBe(true);
    expect(isAuthorized(basic('ops', 'p:ss'), auth)).toBe(false);
    expect(isAuthorized(basic('Ops', 'p:ss word'), auth)).toBe(false);
    expect(isAuthorized('Bearer p:ss word', auth)).toBe(false);
  });

  it('nothing else', () => {
    const auth = { token, user: 'ops', password: 'password' };
    for (const header of [undefined, '', 'Bearer', 'Basic', 'Basic !!!', `Digest ${token}`, basic('ops', '')]) {
      expect(isAuthorized(header, auth)).toBe(false);
    }
  });
});
