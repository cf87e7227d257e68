// Browser tests of security warnings: compose with the live audience preview (an error first,
// then fixed), send after the confirmation, open the personal acknowledgement link from the
// message the file transport wrote, answer it on a phone-sized screen, and see the answer on
// the warning's page.
//
// Environment: as login.test.mjs, plus CAPDO_E2E_DATA_DIR (the server's data directory, whose
// mail/ holds one .eml per message); e2e/run.sh sets them up. Screenshots go to
// e2e/artifacts/alert-*.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS,
  BASE_URL,
  EMAIL,
  PASSWORD,
  TIMEOUT,
  launch,
  login,
  newContext,
  pathnameOf,
  watchProblems,
} from './support.mjs';

const DATA_DIR = process.env.CAPDO_E2E_DATA_DIR || '';
// A marker only this run's message carries, to find it among other .eml files.
const MARKER = `E2E-${Date.now().toString(36)}`;
const TITLE = 'Lỗ hổng nghiêm trọng trong Apache HTTP Server';

async function shoot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 0, `empty screenshot ${name}`);
}

/** Waits until the preview has no request pending. */
async function settle(page) {
  await page.waitForTimeout(150);
  await page.waitForFunction(() => document.querySelector('.htmx-request') === null);
}

/** The decoded text of every MIME part of a message (base64, quoted-printable or plain). */
function decodedParts(eml) {
  const out = [];
  for (const chunk of eml.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = chunk.slice(0, split);
    const body = chunk.slice(split).trim();
    const encoding = (/content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1] || '').toLowerCase();
    if (encoding === 'base64') {
      out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    } else if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      out.push(Buffer.from(bytes, 'latin1').toString('utf8'));
    } else {
      out.push(body);
    }
  }
  return out;
}

/** Waits for the message carrying MARKER and returns the path of its acknowledgement link. */
async function ackPath() {
  const dir = path.join(DATA_DIR, 'mail');
  for (let i = 0; i < 100; i += 1) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const eml = await readFile(path.join(dir, name), 'utf8');
      for (const part of decodedParts(eml)) {
        if (!part.includes(MARKER)) continue;
        const link = /https?:\/\/[^\s"<>]+(\/ack\/[A-Za-z0-9_.-]+)/.exec(part);
        if (link) return link[1];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no message with ${MARKER} in ${dir}`);
}

describe('security warnings', () => {
  let browser;
  let context;
  let page;
  let problems;
  let detailPath = '';

  before(async () => {
    assert.ok(PASSWORD, 'CAPDO_E2E_PASSWORD is not set');
    assert.ok(DATA_DIR, 'CAPDO_E2E_DATA_DIR is not set (run e2e/run.sh)');
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    // The one expected error: the form saved without a title answers 422.
    problems = await watchProblems(
      page,
      (res) => res.status() === 422 && res.request().method() === 'POST' && new URL(res.url()).pathname === '/alerts',
    );
    await login(page);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
  });

  test('compose with a live preview, an error, then a saved draft', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/alerts'),
      page.getByRole('link', { name: 'Cảnh báo', exact: true }).click(),
    ]);
    assert.equal((await page.locator('nav a[aria-current="page"]').innerText()).trim(), 'Cảnh báo');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/alerts/new'),
      page.getByRole('link', { name: 'Soạn cảnh báo', exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx did not load');
    await page.locator('#preview-hint').waitFor();

    await page.locator('#f-severity').selectOption('critical');
    await page.locator('#f-source_authority').fill('Cục An toàn thông tin');
    await page.locator('#f-source_document').fill('Văn bản số 936/SCT-VP ngày 01/3/2021');
    await page.locator('#f-body').fill(`Lỗ hổng cho phép **thực thi mã từ xa**. Mã theo dõi ${MARKER}.`);
    await page.locator('#f-affected_products').fill('Apache HTTP Server | >=2.4.0, <2.4.58');
    await page.locator('#f-required_action').fill('Cập nhật lên phiên bản 2.4.58 và báo cáo kết quả');
    await page.locator('#f-action_due_on').fill('15/03/2031');
    await page.getByLabel('Quản trị hệ thống', { exact: true }).check();

    // The preview is recomputed by htmx, without leaving the page.
    await page.locator('#preview-count', { hasText: '1' }).waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#preview-recipients').innerText(), /Vai trò: Quản trị hệ thống/);
    assert.equal(pathnameOf(page), '/alerts/new');
    await settle(page);

    // The recipient picker searches as one types; ticking someone already reached by role
    // adds a reason, not a second message.
    await page.locator('#f-user_q').fill('không-có-ai-như-thế');
    await page.locator('#recipient-search-count', { hasText: 'Không tìm thấy' }).waitFor({ timeout: 15_000 });
    await page.locator('#f-user_q').fill(EMAIL.split('@')[0].toUpperCase());
    const mine = page.locator('#audience-user-results label.check', { hasText: EMAIL });
    await mine.waitFor({ timeout: 15_000 });
    await mine.locator('input').check();
    await page.locator('#preview-recipients', { hasText: 'Chọn trực tiếp' }).waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#preview-count').innerText(), /\b1\b/);
    await settle(page);
    await shoot(page, 'alert-form.png');

    // No title yet: the form comes back with the message under the field, the rest kept.
    await page.locator('#save-alert').click();
    await page.locator('#error-summary').waitFor();
    assert.equal(await page.locator('#f-title').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#e-title').innerText(), /tiêu đề/);
    assert.equal(await page.locator('#f-source_authority').inputValue(), 'Cục An toàn thông tin');
    assert.ok(await page.getByLabel('Quản trị hệ thống', { exact: true }).isChecked(), 'the audience was not kept');
    await shoot(page, 'alert-form-error.png');

    await page.locator('#f-title').fill(TITLE);
    // Leaving the field fires "change" and a preview request: let it finish before saving.
    await page.locator('#f-title').press('Tab');
    await settle(page);
    await Promise.all([
      page.waitForURL((url) => /^\/alerts\/[^/]+$/.test(url.pathname) && url.searchParams.has('saved')),
      page.locator('#save-alert').click(),
    ]);
    detailPath = pathnameOf(page);
    assert.equal((await page.locator('#alert-title').innerText()).trim(), TITLE);
    assert.equal((await page.locator('#alert-status').innerText()).trim(), 'Bản nháp');
    assert.match(await page.locator('#alert-body').innerText(), /thực thi mã từ xa/);
  });

  test('send after the confirmation; the sent warning has no edit button', { timeout: TIMEOUT }, async () => {
    assert.ok(detailPath, 'needs the draft saved by the compose test');
    await page.goto(`${BASE_URL}${detailPath}`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `${detailPath}/send`),
      page.locator('#send-alert').click(),
    ]);
    assert.match(await page.locator('#confirm-heading').innerText(), /tới 1 người nhận/);
    await shoot(page, 'alert-send-confirm.png');
    await Promise.all([
      page.waitForURL((url) => url.pathname === detailPath && url.searchParams.has('sent')),
      page.locator('#confirm-send').click(),
    ]);
    await page.locator('#alert-notice').waitFor();
    assert.equal(await page.locator('#edit-alert').count(), 0, 'a sent warning cannot be edited');
    await page.locator('#correct-alert').waitFor();
    await page.locator('#deliveries-table').waitFor();
  });

  test('the recipient answers on a phone and the answer shows up', { timeout: TIMEOUT }, async () => {
    assert.ok(detailPath, 'needs the warning sent by the previous test');
    const link = await ackPath();
    // A separate browser context: no session, no cookie, a phone-sized screen.
    const phone = await newContext(browser, { viewport: { width: 390, height: 800 }, isMobile: true });
    try {
      const ack = await phone.newPage();
      const ackProblems = await watchProblems(ack);
      const res = await ack.goto(`${BASE_URL}${link}`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['referrer-policy'], 'no-referrer');
      assert.equal((await ack.locator('#ack-heading').innerText()).trim(), TITLE);
      assert.match(await ack.locator('#ack-severity').innerText(), /Nghiêm trọng/);
      assert.match(await ack.locator('#ack-action').innerText(), /15\/03\/2031/);
      assert.equal(await ack.locator('nav').count(), 0, 'no navigation on the public page');
      const overflow = await ack.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways on a phone (${overflow}px)`);
      await shoot(ack, 'alert-ack.png');

      await ack.locator('#ack-note').fill('Đã cập nhật lên 2.4.62');
      await Promise.all([
        ack.waitForURL((url) => url.searchParams.has('saved')),
        ack.getByRole('button', { name: 'Đã khắc phục', exact: true }).click(),
      ]);
      assert.equal((await ack.locator('#ack-answer').innerText()).trim(), 'Đã khắc phục');
      assert.match(await ack.locator('#ack-recorded').innerText(), /Cảm ơn/);
      await shoot(ack, 'alert-ack-done.png');
      assert.deepEqual(ackProblems, [], ackProblems.join('\n'));
    } finally {
      await phone.close();
    }

    await page.goto(`${BASE_URL}${detailPath}`);
    const table = page.locator('#deliveries-table');
    await table.getByText('Đã khắc phục', { exact: true }).waitFor();
    assert.match(await table.innerText(), /Đã cập nhật lên 2\.4\.62/);
    assert.match(await page.locator('#progress').innerText(), /Đã trả lời: 100 %/);
    await shoot(page, 'alert-detail.png');
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
