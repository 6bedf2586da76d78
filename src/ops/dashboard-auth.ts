import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { DashboardAuth } from '../config/config';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function same(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function basicCredentials(encoded: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * `Authorization: Bearer <DASHBOARD_TOKEN>` (scrapers, curl) or basic auth (browsers, which cannot send a bearer
 * header when navigating): DASHBOARD_USER with DASHBOARD_PASSWORD, or any user name with the token as password.
 */
export function isAuthorized(header: string | undefined, auth: DashboardAuth): boolean {
  const match = /^(\S+)\s+(.+)$/.exec(header?.trim() ?? '');
  if (!match) return false;
  const [, scheme = '', value = ''] = match;
  if (scheme.toLowerCase() === 'bearer') return auth.token !== undefined && same(value, auth.token);
  if (scheme.toLowerCase() !== 'basic') return false;
  const credentials = basicCredentials(value);
  if (!credentials) return false;
  const asUser = auth.user !== undefined && auth.password !== undefined && same(credentials.user, auth.user) && same(credentials.password, auth.password);
  return asUser || (auth.token !== undefined && same(credentials.password, auth.token));
}

export function requireAuth(auth: DashboardAuth): MiddlewareHandler {
  return async (c, next) => {
    if (isAuthorized(c.req.header('authorization'), auth)) return next();
    return c.text('Authentication required\n', 401, { 'WWW-Authenticate': 'Basic realm="tollkeeper", charset="UTF-8"' });
  };
}
