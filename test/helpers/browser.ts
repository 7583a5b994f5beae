import assert from 'node:assert/strict';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './server.js';
import { listen } from './http-server.js';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
/** How long a person would wait for a page before deciding it is broken. */
const SEE_TIMEOUT_MS = 10_000;

/**
 * Waits until an element matching `selector` shows `text`; on failure says what the page shows instead,
 * so a broken step reads like a person's report.
 */
export async function see(page: Page, selector: string, text: string | RegExp): Promise<void> {
  try {
    await page.locator(selector).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: SEE_TIMEOUT_MS });
  } catch {
    const shown = await page.locator(selector).allInnerTexts().catch(() => []);
    assert.fail(`expected ${selector} showing ${String(text)} at ${page.url()}; the page shows ${selector}: ${JSON.stringify(shown)}`);
  }
}

let axe: Promise<string> | undefined;
const axeSource = () => (axe ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/** Debian's Chromium for a browser journey: one profile per person, screenshots numbered in order. */
export class Journey {
  private browser?: Browser;
  private readonly contexts: BrowserContext[] = [];
  /** What the browser complained about (console errors, failed loads); a person would not see these. */
  readonly complaints: string[] = [];
  /** What axe-core found serious or critical on the pages the journey looked at, and pages wider than a phone. */
  private barriers: string[] = [];
  private shot = 0;
  /** Pages of profiles that run no script. */
  private readonly noScript = new WeakSet<Page>();
  /** Every page a person of the journey was shown (its path), and those looked at (screenshot, axe-core, phone width). */
  private readonly visited = new Set<string>();
  private readonly looked = new Set<string>();
  private signInLooked = false;
  readonly shotsDir: string;

  constructor(name: string) {
    this.shotsDir = path.join(repoRoot, 'test-results', name);
  }

  async start(): Promise<void> {
    await rm(this.shotsDir, { recursive: true, force: true });
    await mkdir(this.shotsDir, { recursive: true });
    this.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, headless: true });
  }

  async stop(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
  }

  /**
   * A fresh profile (no cookies shared with anyone else) for one person; `javaScript: false` for a browser
   * that runs none of the pages' scripts (axe-core still runs: the journey, not the page, evaluates it).
   */
  async newPage(who: string, opts: { javaScript?: boolean } = {}): Promise<Page> {
    // bypassCSP lets the journey put axe-core into the page; the application's own scripts are unaffected.
    const context = await this.browser!.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, bypassCSP: true, javaScriptEnabled: opts.javaScript ?? true });
    this.contexts.push(context);
    const page = await context.newPage();
    if (opts.javaScript === false) this.noScript.add(page);
    page.on('console', (m) => {
      // A failed load is recorded below with its address; the console line for it does not name one.
      if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) this.complaints.push(`${who} ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => this.complaints.push(`${who} page error: ${err.message}`));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith('http')) this.visited.add(new URL(frame.url()).pathname);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) this.complaints.push(`${who} ${r.status()} ${r.request().method()} ${r.url()}`);
    });
    return page;
  }

  /**
   * A picture of the page at desktop width and at phone width (390 × 844), which must not scroll sideways,
   * and axe-core's check of it: every violation of impact serious or critical is a barrier the journey
   * reports at its end (takeBarriers).
   */
  async screenshot(page: Page, step: string): Promise<void> {
    this.shot += 1;
    this.looked.add(new URL(page.url()).pathname);
    const name = `${String(this.shot).padStart(2, '0')}-${step}`;
    await page.screenshot({ path: path.join(this.shotsDir, `${name}.png`), fullPage: true });
    await this.checkAccessibility(page, step);
    const desktop = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    // The innermost elements reaching past the screen's edge: what a person would have to scroll to. (A
    // string, not a function: the test's compiler would name the helpers in it, and the page has no such names.)
    const wide = (await page.evaluate(`(() => {
      const past = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1);
      const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
      return {
        width: document.documentElement.scrollWidth,
        culprits: innermost.slice(0, 4).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '')),
      };
    })()`)) as { width: number; culprits: string[] };
    if (wide.width > 390) this.barriers.push(`${step} (${new URL(page.url()).pathname}): ${wide.width} px wide at a 390 px phone width (${wide.culprits.join(', ')})`);
    await page.screenshot({ path: path.join(this.shotsDir, `${name}-phone.png`), fullPage: true });
    if (desktop) await page.setViewportSize(desktop);
  }

  private async checkAccessibility(page: Page, step: string): Promise<void> {
    if (!this.noScript.has(page)) return this.runAxe(page, step);
    // A page that runs no script runs neither axe-core nor its timers: the same address is checked in a
    // profile that runs scripts, signed in as the same person (the page's cookies).
    const twin = await this.browser!.newContext({ storageState: await page.context().storageState(), bypassCSP: true, viewport: page.viewportSize() ?? undefined });
    try {
      const seen = await twin.newPage();
      await seen.goto(page.url());
      await this.runAxe(seen, step);
    } finally {
      await twin.close();
    }
  }

  private async runAxe(page: Page, step: string): Promise<void> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeSource() });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    for (const v of violations) this.barriers.push(`${step} (${new URL(page.url()).pathname}): ${v}`);
  }

  /**
   * The barriers found so far, cleared; and every page a person was shown that the journey never looked
   * at (axe-core runs on every page a journey visits: one it passes by without a screenshot is a gap).
   */
  takeBarriers(): string[] {
    const unseen = [...this.visited].filter((p) => !this.looked.has(p)).map((p) => `${p}: visited but never looked at (no screenshot, axe-core or phone width)`);
    const out = [...this.barriers, ...unseen];
    this.barriers = [];
    this.visited.clear();
    this.looked.clear();
    return out;
  }

  /** Signs in through the form, as the person would. */
  async signIn(page: Page, base: string, email: string, password: string): Promise<void> {
    await page.goto(`${base}/sign-in`);
    // The sign-in page is looked at once per journey.
    if (!this.signInLooked) {
      this.signInLooked = true;
      await this.screenshot(page, 'sign-in');
    } else this.looked.add('/sign-in');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill(password);
    await page.locator('main').getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL((u) => u.pathname !== '/sign-in');
    // Each person's home page (what waits for them) is looked at as they arrive.
    if (new URL(page.url()).pathname === '/') await this.screenshot(page, 'home');
  }
}

/**
 * A journey against the application served in this process (the test run's database): registers the
 * mocha hooks that start and stop the browser and the server. Call inside a describe.
 */
export function journeyInProcess(name: string, makeApp: () => import('express').Express): { journey: Journey; base: () => string } {
  const journey = new Journey(name);
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  before(async () => {
    server = await listen(makeApp());
    await journey.start();
  });
  afterEach(function () {
    const barriers = journey.takeBarriers();
    if (barriers.length) assert.fail(`the journey met ${barriers.length} barrier(s):\n${barriers.join('\n')}`);
  });
  after(async () => {
    await journey.stop();
    await server?.close();
  });
  return { journey, base: () => server!.base };
}
