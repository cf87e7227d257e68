// Browser tests of sign-in, the home page and sign-out, against a running capdo.
//
// Environment:
//   CAPDO_E2E_URL       base URL of the server (default http://127.0.0.1:18080)
//   CAPDO_E2E_EMAIL     e-mail of an existing account (default admin@stn.gov.vn)
//   CAPDO_E2E_PASSWORD  its password (required)
//   CHROMIUM            Chromium executable (default /usr/bin/chromium)
//
// e2e/run.sh sets all of these up; see there.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.CAPDO_E2E_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const EMAIL = process.env.CAPDO_E2E_EMAIL || 'admin@stn.gov.vn';
const PASSWORD = process.env.CAPDO_E2E_PASSWORD || '';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const TIMEOUT = 60_000;

// Any letter that only Vietnamese (among the expected languages) writes.
const VIETNAMESE =
  /[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]/i;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});

after(async () => {
  await browser?.close();
});

function newContext(options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', ...options });
}

function pathnameOf(page) {
  return new URL(page.url()).pathname;
}

/** Collects console errors, page errors, failed requests and CSP violations of a page. */
async function watchProblems(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? 'unknown';
    // A navigation cancels the previous page's pending loads (e.g. its icon): not a fault.
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()} (${reason})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  // CSP violations are reported to the page as events; forward them here.
  await page.exposeFunction('__capdoReportCsp', (text) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__capdoReportCsp(
        `${e.effectiveDirective || e.violatedDirective} blocked ${e.blockedURI || 'inline'} ` +
          `at ${e.sourceFile || e.documentURI}:${e.lineNumber}`,
      );
    });
  });
  return problems;
}

/** Parses a Content-Security-Policy header into directive name → source list. */
function parseCsp(header) {
  const directives = new Map();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

async function fillLogin(page, email, password) {
  await page.goto(`${BASE_URL}/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
}

test('the login page is Vietnamese', { timeout: TIMEOUT }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(`${BASE_URL}/login`);
    assert.equal(response?.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    assert.match(await page.title(), /Đăng nhập/);
    await assert.doesNotReject(page.locator('#email').waitFor({ state: 'visible' }));
    await assert.doesNotReject(page.locator('#password').waitFor({ state: 'visible' }));

    await mkdir(ARTIFACTS, { recursive: true });
    await page.waitForLoadState('load');
    const shot = path.join(ARTIFACTS, 'login.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok((await stat(shot)).size > 0);
  } finally {
    await context.close();
  }
});

test('a wrong password keeps the user on the login page with an error', { timeout: TIMEOUT }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    await fillLogin(page, EMAIL, `sai-mat-khau-${Date.now()}`);

    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    const text = (await error.innerText()).trim();
    assert.ok(text.length > 0, 'the error message is empty');
    assert.match(text, VIETNAMESE, `the error is not in Vietnamese: ${text}`);

    assert.equal(pathnameOf(page), '/login');
    assert.equal(await page.locator('#email').inputValue(), EMAIL, 'the typed e-mail was not kept');
    assert.equal(await page.locator('#password').inputValue(), '', 'the password must not be echoed');
  } finally {
    await context.close();
  }
});

describe('signed in', () => {
  let context;
  let page;
  let problems;
  let signedIn = false;

  before(async () => {
    assert.ok(PASSWORD, 'CAPDO_E2E_PASSWORD is not set');
    context = await newContext();
    page = await context.newPage();
    problems = await watchProblems(page);
  });

  after(async () => {
    await context?.close();
  });

  test('a correct login lands on the home page, under a strict CSP, without errors', { timeout: TIMEOUT }, async () => {
    await fillLogin(page, EMAIL, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');
    signedIn = true;

    // Load the home page once more to read its response headers.
    const response = await page.goto(`${BASE_URL}/`);
    assert.equal(response?.status(), 200);
    assert.equal(pathnameOf(page), '/');
    assert.match(await page.locator('#greeting').innerText(), /Xin chào/);
    assert.equal(
      (await page.locator('nav a[aria-current="page"]').innerText()).trim(),
      'Việc cần làm',
    );

    const csp = response.headers()['content-security-policy'];
    assert.ok(csp, 'no Content-Security-Policy header on /');
    const directives = parseCsp(csp);
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
    assert.ok(scriptSrc, `the CSP restricts no scripts: ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), `script-src allows 'unsafe-inline': ${csp}`);

    // The page works as shipped: htmx loaded, CSRF header wired, font embedded.
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx did not load');
    const hxHeaders = JSON.parse((await page.locator('body').getAttribute('hx-headers')) ?? '{}');
    assert.ok(hxHeaders['X-CSRF-Token'], 'body hx-headers has no X-CSRF-Token');
    const fontsLoaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter(
        (f) => f.family.replace(/["']/g, '') === 'Be Vietnam Pro' && f.status === 'loaded',
      ).length;
    });
    assert.ok(fontsLoaded > 0, 'Be Vietnam Pro was not loaded from /static/fonts');

    assert.deepEqual(problems, [], `problems in the browser:\n${problems.join('\n')}`);
  });

  test('screenshots of the home page', { timeout: TIMEOUT }, async () => {
    assert.ok(signedIn, 'needs the login of the previous test');
    await mkdir(ARTIFACTS, { recursive: true });

    await page.goto(`${BASE_URL}/`);
    const desktop = path.join(ARTIFACTS, 'home.png');
    await page.screenshot({ path: desktop, fullPage: true });
    assert.ok((await stat(desktop)).size > 0);

    // The same session on a phone-sized screen (the sidebar collapses).
    const phone = await newContext({
      viewport: { width: 390, height: 844 },
      storageState: await context.storageState(),
    });
    try {
      const phonePage = await phone.newPage();
      await phonePage.goto(`${BASE_URL}/`);
      await phonePage.screenshot({ path: path.join(ARTIFACTS, 'home-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  test('logging out returns to the login page and closes the session', { timeout: TIMEOUT }, async () => {
    assert.ok(signedIn, 'needs the login of the first signed-in test');
    await page.goto(`${BASE_URL}/`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('button', { name: 'Đăng xuất', exact: true }).click(),
    ]);
    assert.equal(pathnameOf(page), '/login');

    await page.goto(`${BASE_URL}/`);
    assert.equal(pathnameOf(page), '/login', 'the home page is still reachable after logout');
    await page.locator('#email').waitFor({ state: 'visible' });
  });
});
