import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What the project's scripts need from Debian (redis-server for the local services, chromium for the browser test)
 * is installed on first use when we are root, so a fresh machine or CI needs no manual step.
 */
export function ensureDebianExecutable(executable: string, packages: readonly string[], log: (line: string) => void): string {
  const found = findExecutable(executable);
  if (found) return found;
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`${executable} is not installed and this is not root, so it cannot be installed automatically. Install it with: sudo ${command}`);
  }
  log(`${executable} not found: installing the Debian package(s) ${packages.join(', ')} with apt-get (first use only)`);
  const install = (): boolean => apt(['install', '-y', '--no-install-recommends', ...packages]);
  // Stale or missing package lists are the usual reason an install fails on a fresh machine; refresh only then.
  if (!hasAptLists() || !install()) {
    if (!apt(['update']) || !install()) throw new Error(`${command} failed (see the apt-get output above)`);
  }
  const installed = findExecutable(executable);
  if (!installed) throw new Error(`apt-get installed ${packages.join(', ')} but ${executable} is still not on PATH`);
  return installed;
}

function apt(args: string[]): boolean {
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

function hasAptLists(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').some((name) => name.includes('_Packages'));
  } catch {
    return false;
  }
}

export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
