import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { ensureDebianExecutable } from '../../scripts/services/debian';

/**
 * Debian's chromium, installed with apt on first use (as root): browser downloads of test tools cannot work on a
 * machine that reaches only package registries. An install takes minutes, so callers give their hook that long.
 */
export function ensureChromium(): string {
  return ensureDebianExecutable('chromium', ['chromium', 'fonts-liberation'], (line) => console.error(`[chromium] ${line}`));
}

// Without the background-networking flags Chromium keeps dialling Google services, which a closed network refuses.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile of its own, removed on close. */
export async function launchChromium(options: { httpCredentials?: { username: string; password: string } } = {}): Promise<Browser> {
  const executablePath = ensureChromium();
  const profile = await mkdtemp(join(tmpdir(), 'tollkeeper-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
