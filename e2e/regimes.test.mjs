// Browser tests of the change of regime: the regime-change report with its filters and Excel
// download, and a system's comparison under Decree 85/2016 and Decree 331/2026 loaded by htmx
// into its page (and without JavaScript as a page of its own).
//
// Environment: as login.test.mjs (CAPDO_E2E_URL, CAPDO_E2E_EMAIL, CAPDO_E2E_PASSWORD, CHROMIUM);
// e2e/run.sh sets them up. Screenshots go to e2e/artifacts/regimes-*.png.

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

const OLD_TITLE = 'Nghị định 85/2016/NĐ-CP';
const NEW_TITLE = 'Nghị định 331/2026/NĐ-CP';
// 50.000 people: level 3 under Decree 85 (≥ 10.000 users), 2 under Decree 331 (< 100.000).
const DOWN = 'Cổng dịch vụ trực tuyến ngành Công Thương (so sánh)';
// Settles administrative procedures for 5.000 people: 2 under Decree 85, 3 under Decree 331.
const UP = 'Hệ thống tiếp nhận hồ sơ thủ tục hành chính (so sánh)';

async function shoot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 0, `empty screenshot ${name}`);
}

/** Registers a system through the API with the page's session. */
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

function onlineService(name, subjects, tthc) {
  return {
    name,
    owner_name: 'UBND tỉnh Thử nghiệm',
    kind: 'online_service',
    facts: {
      function: 'citizen_business',
      information: ['public', 'personal'],
      online_services: true,
      online_filing: false,
      conditional_business_service: false,
      handles_administrative_procedures: tthc,
      personal_data_subjects: subjects,
      sensitive_personal_data_subjects: 0,
    },
  };
}

describe('change of regime', () => {
  let browser;
  let context;
  let page;
  let problems;

  before(async () => {
    assert.ok(PASSWORD, 'CAPDO_E2E_PASSWORD is not set');
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    problems = await watchProblems(page);
    await login(page);
    await registerByApi(page, onlineService(DOWN, 50000, false));
    await registerByApi(page, onlineService(UP, 5000, true));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
  });

  test('the navigation leads to the report, with totals', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/reports/regime-change'),
      page.getByRole('link', { name: 'Báo cáo thay đổi cấp độ', exact: true }).click(),
    ]);
    assert.equal(
      (await page.locator('nav a[aria-current="page"]').innerText()).trim(),
      'Báo cáo thay đổi cấp độ',
    );
    const header = await page.locator('.page-header').innerText();
    assert.ok(header.includes(OLD_TITLE) && header.includes(NEW_TITLE), header);
    assert.ok(Number(await page.locator('#total-systems').innerText()) >= 2);
    assert.ok(Number(await page.locator('#total-down').innerText()) >= 1);
    assert.ok(Number(await page.locator('#total-up').innerText()) >= 1);
    await page.locator('#report-table').getByRole('link', { name: DOWN }).waitFor();
    await page.locator('#report-table').getByRole('link', { name: UP }).waitFor();
    await shoot(page, 'regimes-report.png');
  });

  test('the report filters by direction and downloads the same as Excel', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/reports/regime-change`);
    await page.getByLabel('Thay đổi cấp độ', { exact: true }).selectOption('down');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('direction') === 'down'),
      page.getByRole('button', { name: 'Lọc', exact: true }).click(),
    ]);
    const table = page.locator('#report-table');
    await table.getByRole('link', { name: DOWN }).waitFor();
    assert.equal(await table.getByRole('link', { name: UP }).count(), 0, 'the filter keeps only the down ones');
    const rows = table.locator('tbody tr');
    const count = await rows.count();
    assert.equal(Number(await page.locator('#total-systems').innerText()), count);
    for (let i = 0; i < count; i += 1) {
      assert.match(await rows.nth(i).innerText(), /Giảm/);
    }
    await shoot(page, 'regimes-report-filtered.png');

    const href = await page.locator('#report-xlsx').getAttribute('href');
    assert.equal(href, '/reports/regime-change.xlsx?direction=down');
    const res = await page.request.get(`${BASE_URL}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(
      res.headers()['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const body = await res.body();
    assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip archive');
  });

  test("a system's page shows its comparison under both regimes", { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/reports/regime-change?direction=down`);
    await Promise.all([
      page.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname)),
      page.locator('#report-table').getByRole('link', { name: DOWN }).click(),
    ]);
    const detailPath = pathnameOf(page);
    const compare = page.locator('#regime-comparison #regime-compare');
    await compare.waitFor({ timeout: 15_000 });
    assert.equal(await compare.getAttribute('data-direction'), 'down');
    const titles = await compare.locator('.regime-title').allInnerTexts();
    assert.equal(titles.length, 2);
    assert.ok(titles[0].includes(OLD_TITLE), titles[0]);
    assert.ok(titles[1].includes(NEW_TITLE), titles[1]);
    await compare.locator('.badge-large', { hasText: 'Giảm' }).waitFor();
    assert.ok((await compare.locator('.clause-differs').count()) >= 2, 'the differing clauses are marked');
    await compare.locator('#regime-actions').waitFor();
    assert.equal(pathnameOf(page), detailPath, 'loaded in place');
    await page.locator('#regime-comparison').scrollIntoViewIfNeeded();
    await shoot(page, 'regimes-system.png');
    await page.locator('#regime-comparison').screenshot({ path: path.join(ARTIFACTS, 'regimes-comparison.png') });

    // Without JavaScript the link opens the comparison as a page of its own.
    const plain = await newContext(browser, {
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    try {
      const p = await plain.newPage();
      await p.goto(`${BASE_URL}${detailPath}`);
      await Promise.all([
        p.waitForURL((url) => url.pathname === `${detailPath}/regimes`),
        p.locator('#regime-comparison-link').click(),
      ]);
      const text = await p.locator('#regime-compare').innerText();
      assert.ok(text.includes(OLD_TITLE) && text.includes(NEW_TITLE), text);
      await shoot(p, 'regimes-system-nojs.png');
    } finally {
      await plain.close();
    }
  });

  test('the register form gives the basis of a question under both regimes', { timeout: TIMEOUT }, async () => {
    await page.goto(`${BASE_URL}/systems/new`);
    const subjects = page.locator('#h-personal_data_subjects');
    assert.match(await subjects.innerText(), /NĐ 331[^]*100\.000 người[^]*NĐ 85[^]*10\.000 người sử dụng/);
    assert.match(await page.locator('#h-sensitive_personal_data_subjects').innerText(), /NĐ 331[^]*NĐ 85/);
    const described = await page.locator('#f-personal_data_subjects').getAttribute('aria-describedby');
    assert.ok(described.split(' ').includes('h-personal_data_subjects'), 'the basis describes the control');

    const choice = page.locator('#f-chosen_regime');
    const [first, ...packs] = (await choice.locator('option').allInnerTexts()).map((t) => t.trim());
    assert.equal(first, 'Văn bản đang có hiệu lực');
    assert.deepEqual(packs.sort(), [NEW_TITLE, `${OLD_TITLE} (hiệu lực đến 30/06/2026)`].sort());
    await page.getByLabel('Dự án đầu tư, xây dựng trước ngày 01/07/2026').check();
    await choice.selectOption('nd85-2016');
    await page.locator('.regime-choice').screenshot({ path: path.join(ARTIFACTS, 'regimes-form-choice.png') });
    await subjects.locator('..').screenshot({ path: path.join(ARTIFACTS, 'regimes-form-basis.png') });
  });

  test('no console errors, failed requests or CSP violations', { timeout: TIMEOUT }, async () => {
    assert.deepEqual(problems, [], `problems in the browser:\n${problems.join('\n')}`);
  });
});
