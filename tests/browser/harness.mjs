// What every browser check of truc-office shares: its environment, Chromium
// launched once, pages in fresh contexts that collect uncaught errors, named
// steps printed as "ok: ..." and, at the first failure, one "FAIL: step:
// reason" line and exit status 1.
//
// Env: CHROMIUM (default /usr/bin/chromium), TRUC_SCREENSHOT_DIR (optional:
// where screenshot() writes), and what each script asks for with need().

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const STEP_TIMEOUT_MS = 15_000;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const API = '/office/api/v1';

/** An environment variable the script cannot do without. */
export function need(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`FAIL: environment variable ${name} is not set`);
    process.exit(1);
  }
  return value;
}

const screenshotDir = process.env.TRUC_SCREENSHOT_DIR || '';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (screenshotDir !== '') mkdirSync(screenshotDir, { recursive: true });

class StepError extends Error {}

export function check(condition, message) {
  if (!condition) throw new StepError(message);
}

/** Saves the whole page as TRUC_SCREENSHOT_DIR/name; returns " (path)" for the step's line. */
export async function screenshot(page, name) {
  if (screenshotDir === '') return '';
  const path = join(screenshotDir, name);
  // 'disabled' finishes CSS transitions (the modal's fade, the table's fade-in)
  // so the picture shows the settled page.
  await page.screenshot({ path, fullPage: true, animations: 'disabled', timeout: STEP_TIMEOUT_MS });
  return ` (${path})`;
}

let current = 'start';
/** Runs one named step; what its body returns is added to its "ok:" line. */
export async function step(name, body) {
  current = name;
  const note = await body();
  console.log(`ok: ${name}${note ?? ''}`);
}

/**
 * A promise for the next answer to METHOD on an API path (a string below
 * /office/api/v1, or a RegExp on the whole path). With `state`, only the answer
 * to that list filter: a list page also loads its default filter, whose answer
 * may arrive after the click.
 */
export function answerTo(page, method, path, state = null) {
  return page.waitForResponse((r) => {
    const url = new URL(r.url());
    const wanted = path instanceof RegExp ? path.test(url.pathname) : url.pathname === API + path;
    return (
      wanted &&
      r.request().method() === method &&
      (state === null || url.searchParams.get('state') === state)
    );
  });
}

const pageErrors = [];

/** A page in a browser context of its own (its own cookies), in Vietnamese, self-signed TLS accepted. */
export async function openPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'vi-VN', viewport });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

/** Launches Chromium, runs `steps(browser)`, checks no page threw, and exits 0 or 1. */
export async function run(steps) {
  const browser = await chromium
    .launch({ executablePath, args: ['--no-sandbox'], timeout: STEP_TIMEOUT_MS })
    .catch((e) => {
      console.error(`FAIL: cannot launch Chromium at ${executablePath}: ${e.message}`);
      process.exit(1);
    });
  let failed = false;
  try {
    await steps(browser);
    current = 'page errors';
    check(pageErrors.length === 0, `uncaught errors in the page: ${pageErrors.join(' | ')}`);
  } catch (e) {
    failed = true;
    const text = e instanceof Error ? e.message : String(e);
    const brief = text
      .replace(/\u001b\[[0-9;]*m/g, '') // Playwright's call log is coloured
      .split('\n')
      .slice(0, 4)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    console.error(`FAIL: ${current}: ${brief}`);
  } finally {
    await browser.close().catch(() => {});
  }
  process.exit(failed ? 1 : 0);
}
