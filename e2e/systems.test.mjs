// Browser tests of the system register: the form with its live classification panel, saving,
// the detail page, and the list with a search that ignores diacritics.
//
// Environment: as login.test.mjs (CAPDO_E2E_URL, CAPDO_E2E_EMAIL, CAPDO_E2E_PASSWORD, CHROMIUM);
// e2e/run.sh sets them up. Screenshots go to e2e/artifacts/system-*.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS,
  BASE_URL,
  PASSWORD,
  TIMEOUT,
  launch,
  login,
  newContext,
  pathnameOf,
  watchProblems,
} from './support.mjs';

const NAME = 'Hệ thống đăng ký khuyến mại';

async function shoot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 0, `empty screenshot ${name}`);
}

/** Waits until the live panel has no request pending (typing triggers one after 400 ms). */
async function settle(page) {
  await page.waitForTimeout(450);
  await page.waitForFunction(() => document.querySelector('.htmx-request') === null);
}

/** Registers a system through the API with the page's session (for a fuller list). */
async function registerByApi(page, body) {
  const status = await page.evaluate(async (system) => {
    const headers = JSON.parse(document.body.getAttribute('hx-headers') || '{}');
    const res = await fetch('/api/v1/systems', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(system),
    });
    return res.status;
  }, body);
  assert.equal(status, 201, `registering ${body.name} through the API`);
}

describe('system register', () => {
  let browser;
  let context;
  let page;
  let problems;
  let detailPath = '';

  before(async () => {
    assert.ok(PASSWORD, 'CAPDO_E2E_PASSWORD is not set');
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    // The one expected error: the form sent with a missing field answers 422.
    problems = await watchProblems(
      page,
      (res) => res.status() === 422 && res.request().method() === 'POST' && new URL(res.url()).pathname === '/systems',
    );
    await login(page);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
  });

  test('the navigation leads to the register', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/`);
    await page.locator('#redetermination-count').waitFor();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/systems'),
      page.getByRole('link', { name: 'Hệ thống thông tin', exact: true }).click(),
    ]);
    assert.equal(
      (await page.locator('nav a[aria-current="page"]').innerText()).trim(),
      'Hệ thống thông tin',
    );
    assert.match(await page.title(), /Hệ thống thông tin/);
  });

  test('the form shows the level live, with its clause, and saves', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/systems`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/systems/new'),
      page.getByRole('link', { name: 'Đăng ký hệ thống', exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx did not load');
    const panel = page.locator('#classification-panel');
    await panel.locator('#panel-empty').waitFor();

    await page.getByLabel('Tên hệ thống thông tin').fill(NAME);
    await page.locator('#f-owner_name').fill('UBND tỉnh Thử nghiệm');
    await page.locator('#f-kind').selectOption('public_service_system');
    await page.locator('#f-urls').fill('dangkykhuyenmai.stn.gov.vn');
    await page.locator('#f-function-citizen_business').check();
    await page.locator('#f-information-personal').check();
    await page.locator('#f-online_filing').selectOption('true');

    // The panel is recomputed by htmx, without leaving the page.
    await panel.locator('.badge-large', { hasText: 'Cấp độ 3' }).waitFor({ timeout: 15_000 });
    await panel.getByText('Điều 13 khoản 2 điểm b', { exact: false }).first().waitFor();
    assert.equal(pathnameOf(page), '/systems/new');
    assert.match(await page.locator('#panel-announce').innerText(), /Cấp độ 3/);
    await settle(page);
    await shoot(page, 'system-form.png');
    // The answered questions beside the live panel, as the user sees them.
    await page.locator('#f-online_filing').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'system-form-panel.png') });

    await Promise.all([
      page.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname) && url.pathname !== '/systems/new'),
      page.locator('#save-system').click(),
    ]);
    detailPath = pathnameOf(page);
    assert.equal((await page.locator('#system-name').innerText()).trim(), NAME);
    await page.locator('#saved-notice').waitFor();
    await page.locator('#classification-panel .badge-large', { hasText: 'Cấp độ 3' }).waitFor();
    await page
      .locator('#classification-panel')
      .getByText('Điều 13 khoản 2 điểm b', { exact: false })
      .first()
      .waitFor();
    assert.match(await page.locator('#history').innerText(), /Đăng ký/);
    await shoot(page, 'system-detail.png');
  });

  test('a form with an error keeps what was typed', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/systems/new`);
    await page.locator('#f-name').fill('Hệ thống thiếu chủ quản');
    await page.locator('#f-function-internal').check();
    await page.locator('#f-information-public').check();
    await settle(page);
    await page.locator('#save-system').click();
    await page.locator('#error-summary').waitFor();
    assert.equal(pathnameOf(page), '/systems');
    assert.equal(await page.locator('#f-name').inputValue(), 'Hệ thống thiếu chủ quản');
    assert.ok(await page.locator('#f-function-internal').isChecked(), 'the function was not kept');
    assert.equal(await page.locator('#f-owner_name').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#e-owner_name').innerText(), /chủ quản/);
    await shoot(page, 'system-form-error.png');
  });

  test('the list finds the system without diacritics', { timeout: TIMEOUT }, async () => {
    assert.ok(detailPath, 'needs the system saved by the form test');
    await page.goto(`${BASE_URL}/systems`);
    await registerByApi(page, {
      name: 'Hệ thống quản lý văn bản và điều hành',
      owner_name: 'UBND tỉnh Thử nghiệm',
      kind: 'document_management',
      facts: { function: 'internal', information: ['private', 'personal'] },
    });
    await registerByApi(page, {
      name: 'Trung tâm dữ liệu tỉnh',
      owner_name: 'UBND tỉnh Thử nghiệm',
      kind: 'data_center',
      hosting_kind: 'provincial_data_center',
      facts: { function: 'infrastructure', information: ['public', 'private'], infrastructure_scope: 'multi_agency' },
    });

    await page.goto(`${BASE_URL}/systems`);
    assert.ok((await page.locator('#systems-table tbody tr').count()) >= 3);
    await shoot(page, 'system-list.png');

    await page.getByLabel('Tìm kiếm').fill('dang ky khuyen mai');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'dang ky khuyen mai'),
      page.getByRole('button', { name: 'Lọc', exact: true }).click(),
    ]);
    const rows = page.locator('#systems-table tbody tr');
    assert.equal(await rows.count(), 1, 'the search should find exactly the new system');
    assert.match(await page.locator('#result-count').innerText(), /1/);
    await shoot(page, 'system-list-search.png');

    await Promise.all([
      page.waitForURL((url) => url.pathname === detailPath),
      rows.first().getByRole('link', { name: NAME }).click(),
    ]);
    assert.equal((await page.locator('#system-name').innerText()).trim(), NAME);
  });

  test('the edit form opens with the stored answers', { timeout: TIMEOUT }, async () => {
    assert.ok(detailPath, 'needs the system saved by the form test');
    await page.goto(`${BASE_URL}${detailPath}`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `${detailPath}/edit`),
      page.getByRole('link', { name: 'Sửa thông tin', exact: true }).click(),
    ]);
    assert.equal(await page.locator('#f-name').inputValue(), NAME);
    assert.ok(await page.locator('#f-function-citizen_business').isChecked());
    assert.equal(await page.locator('#f-online_filing').inputValue(), 'true');
    await page.locator('#classification-panel .badge-large', { hasText: 'Cấp độ 3' }).waitFor();
  });

  test('without JavaScript the form still computes the level and saves', { timeout: TIMEOUT }, async () => {
    const plain = await newContext(browser, {
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    try {
      const p = await plain.newPage();
      await p.goto(`${BASE_URL}/systems/new`);
      await p.locator('#f-name').fill('Cổng thông tin điện tử thử nghiệm');
      await p.locator('#f-owner_name').fill('UBND tỉnh Thử nghiệm');
      await p.locator('#f-function-internal').check();
      await p.locator('#f-information-public').check();
      await p.getByRole('button', { name: 'Tính lại cấp độ', exact: true }).click();
      await p.locator('#classification-panel .badge-large', { hasText: 'Cấp độ 1' }).waitFor();
      assert.equal(await p.locator('#f-name').inputValue(), 'Cổng thông tin điện tử thử nghiệm');
      await Promise.all([
        p.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname) && url.pathname !== '/systems/new'),
        p.locator('#save-system').click(),
      ]);
      await p.locator('#saved-notice').waitFor();
      assert.match(await p.locator('#classification-panel').innerText(), /Điều 11 khoản 1/);
    } finally {
      await plain.close();
    }
  });

  test('no console errors, failed requests or CSP violations', { timeout: TIMEOUT }, async () => {
    assert.deepEqual(problems, [], `problems in the browser:\n${problems.join('\n')}`);
  });
});
