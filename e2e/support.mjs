// Shared helpers of the browser tests (not a test file: node --test skips it).

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.CAPDO_E2E_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const EMAIL = process.env.CAPDO_E2E_EMAIL || 'admin@stn.gov.vn';
export const PASSWORD = process.env.CAPDO_E2E_PASSWORD || '';
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
export const TIMEOUT = 60_000;

export function launch() {
  return chromium.launch({
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
}

export function newContext(browser, options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', ...options });
}

export function pathnameOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * Collects console errors, page errors, failed requests, HTTP errors and CSP violations of a
 * page. `allowStatus(response)` may accept an expected error status (e.g. a 422 form).
 */
export async function watchProblems(page, allowStatus = () => false) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every 4xx/5xx response to the console; those are judged below.
    if (/Failed to load resource: the server responded with a status of/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? 'unknown';
    // A navigation cancels the previous page's pending loads (e.g. its icon): not a fault.
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()} (${reason})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !allowStatus(res)) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
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

export async function login(page, email = EMAIL, password = PASSWORD) {
  await page.goto(`${BASE_URL}/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.getByRole('button', { name: 'Đăng nhập', exact: true }).click(),
  ]);
}

/** A full-page screenshot in e2e/artifacts, checked not to be empty. */
export async function shoot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 0, `empty screenshot ${name}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A capdo of a test's own (CAPDO_E2E_BIN, set by e2e/run.sh) on a fresh SQLite database with the
 * five example systems and one administrator, so the register the other tests share is left as
 * they expect. Returns its URL and a `stop()` that also removes its data.
 */
export async function startSeededCapdo(label, email, password) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bin = process.env.CAPDO_E2E_BIN || path.join(root, 'target/debug/capdo');
  const dir = await mkdtemp(path.join(os.tmpdir(), `capdo-e2e-${label}-`));
  const env = { ...process.env, CAPDO_DATA_DIR: dir };
  delete env.DATABASE_URL;
  const run = (args, input) => execFileSync(bin, args, { cwd: dir, env, input, stdio: ['pipe', 'pipe', 'inherit'] });
  run(['migrate']);
  run(
    ['init', '--org', 'Sở Công Thương', '--code', 'SCT', '--admin-email', email,
      '--admin-name', 'Trần Thị Bình', '--password-stdin'],
    `${password}\n`,
  );
  run(['demo-data', '--seed-example']);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(bin, ['serve'], {
    cwd: dir,
    env: { ...env, CAPDO_BIND: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    assert.ok(i < 120 && server.exitCode === null, `the ${label} test server did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
