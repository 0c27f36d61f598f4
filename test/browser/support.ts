import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, type GatewayOptions } from '@12street/gateway';
import { eventually, tempDir, testLogger } from '@12street/testkit';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const WEB_APP = fileURLToPath(new URL('../../apps/web/', import.meta.url));
export const WEB_DIST = join(WEB_APP, 'dist');
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * Why the browser tests cannot run here, or undefined when they can. A missing browser skips them
 * with this message, unless REQUIRE_BROWSER=1 asks for a failure instead. No browser is ever
 * downloaded: the system's Chromium is used.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing (install Debian's chromium package)`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${why}`);
  return `skipped: ${why}`;
}

function newestIn(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestIn(join(path, name))));
}

/** Builds the web app unless dist/ is newer than every source (npm start builds it in prestart). */
export function ensureWebAppBuilt() {
  const built = statSync(join(WEB_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestIn(join(WEB_APP, p)));
  if (built > Math.max(...sources)) return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_APP, stdio: 'inherit' });
}

/** Debian's Chromium, headless, in a fresh profile that is deleted after the test. */
export async function launchBrowser(t: { after(fn: () => Promise<void> | void): void }): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(tempDir(t, '12street-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
  });
  t.after(() => context.close());
  return context;
}

/**
 * A page that fails the test on a script error or a Content Security Policy violation. Each page
 * is its own tab, with its own sessionStorage, so each one can be signed in as someone else.
 */
export async function openPage(context: BrowserContext, viewport?: { width: number; height: number }) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { page, problems };
}

/**
 * The tab the test acts in next. Tabs share one window: the one behind gets animation frames
 * about once a second, and every click waits for two of them.
 */
export async function actIn(page: Page): Promise<Page> {
  await page.bringToFront();
  return page;
}

export async function signInAs(page: Page, baseUrl: string, username: 'kim' | 'lee' | 'ops') {
  await page.goto(baseUrl);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(`${username}-demo-password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Screenshots for the README, written only when asked for (SAVE_SCREENSHOTS=1), so tests leave the tree alone. */
export async function screenshot(page: Page, name: string) {
  if (process.env.SAVE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// playwright-core has no expect(): these wait, with a bound, for what the user would see.
const bounded = { timeoutMs: 10_000, intervalMs: 50 };

/** Waits until the elements' text (all of them together) contains the text. */
export async function seeText(locator: Locator, text: string | RegExp) {
  await eventually(
    async () => {
      const seen = (await locator.allTextContents()).join(' ');
      return (typeof text === 'string' ? seen.includes(text) : text.test(seen)) || undefined;
    },
    { ...bounded, what: `"${text}" in ${locator}` },
  );
}

export async function seeAttribute(locator: Locator, name: string, value: string | null) {
  await eventually(async () => (await locator.getAttribute(name)) === value, {
    ...bounded,
    what: `${name}=${value} on ${locator}`,
  });
}

export async function seeCount(locator: Locator, count: number) {
  await eventually(async () => (await locator.count()) === count, { ...bounded, what: `${count} of ${locator}` });
}

export async function seeFocused(locator: Locator) {
  await eventually(() => locator.evaluate((element) => element === document.activeElement), {
    ...bounded,
    what: `focus on ${locator}`,
  });
}

/** A started gateway with no services behind it and no token checks: for what it serves itself. */
export async function gatewayWithoutServices(
  t: { after(fn: () => Promise<void>): void },
  webApp: GatewayOptions['webApp'],
) {
  const nowhere = 'http://127.0.0.1:9';
  const gateway = createGateway({
    logger: testLogger('gateway'),
    upstreams: {
      order: nowhere,
      payment: nowhere,
      delivery: nowhere,
      marketing: nowhere,
      orderStatus: nowhere,
      identity: nowhere,
    },
    auth: 'disabled',
    webApp,
  });
  await gateway.start();
  t.after(() => gateway.stop());
  return gateway;
}
