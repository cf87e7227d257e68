// Browser test of a system's compliance checklist ("Đáp ứng yêu cầu"): a level-3 seed system
// (`capdo demo-data --seed-example`), the checklist started from its page, one requirement set
// to "Đáp ứng một phần" in place (htmx), and the percentage following.
//
// It starts a capdo of its own (CAPDO_E2E_BIN, set by e2e/run.sh) on a fresh SQLite database
// with the five example systems. Screenshots go to e2e/artifacts/compliance-*.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, launch, newContext, pathnameOf, shoot, startSeededCapdo, watchProblems } from './support.mjs';

const EMAIL = 'chuyenvien@sct.gov.vn';
const PASSWORD = `Dap-ung-e2e-${process.pid}-${Date.now()}`;
const SYSTEM = 'Cơ sở dữ liệu ngành Công Thương';

describe('compliance checklist of a level-3 seed system', () => {
  let capdo;
  let baseUrl;
  let browser;
  let context;
  let page;
  let problems;

  before(async () => {
    capdo = await startSeededCapdo('compliance', EMAIL, PASSWORD);
    baseUrl = capdo.baseUrl;
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    problems = await watchProblems(page);
    await page.goto(`${baseUrl}/login`);
    await page.locator('#email').fill(EMAIL);
    await page.locator('#password').fill(PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'Đăng nhập', exact: true }).click(),
    ]);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await capdo?.stop();
  });

  test('the checklist is started and a partly met requirement moves the percentage', { timeout: TIMEOUT }, async () => {
    await page.goto(`${baseUrl}/systems?q=${encodeURIComponent('co so du lieu nganh cong thuong')}`);
    await Promise.all([
      page.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname)),
      page.locator('#systems-table').getByRole('link', { name: SYSTEM }).click(),
    ]);
    await Promise.all([
      page.waitForURL((url) => url.pathname.endsWith('/compliance')),
      page.locator('#compliance-link').click(),
    ]);
    const year = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('started') === '1'),
      page.getByRole('button', { name: `Lập bảng đánh giá năm ${year}` }).click(),
    ]);
    assert.equal((await page.locator('#review-level').innerText()).trim(), 'Cấp độ 3');
    assert.equal((await page.locator('#regulation-banner').getAttribute('data-recorded')), 'false');
    assert.equal((await page.locator('#compliance-percent').innerText()).trim(), '0,0%');
    assert.ok((await page.locator('.compliance-item').count()) > 10, 'a level-3 checklist has many requirements');
    await shoot(page, 'compliance-started.png');

    const item = page.locator('.compliance-item').first();
    const id = await item.getAttribute('id');
    await item.locator('summary', { hasText: 'Cập nhật yêu cầu' }).click();
    await item.getByLabel('Mức đáp ứng').selectOption({ label: 'Đáp ứng một phần' });
    await item.getByLabel('Cách đáp ứng').fill('Đã có quy định, chưa triển khai đầy đủ');
    await item.getByRole('button', { name: 'Lưu yêu cầu' }).click();
    // htmx swaps the checklist: the requirement is partly met and marked saved; the page stays.
    await page.locator(`#${id}[data-status="partial"] .saved-mark`).waitFor();
    const percent = (await page.locator('#compliance-percent').innerText()).trim();
    assert.notEqual(percent, '0,0%', 'the percentage follows the answer');
    assert.match(percent, /^\d+,\d%$/);
    assert.match(await page.locator('#compliance-counts').innerText(), /1 đáp ứng một phần/);
    assert.ok(pathnameOf(page).endsWith('/compliance'), 'saved in place');
    await shoot(page, 'compliance-partial.png');
    assert.deepEqual(problems, [], `problems in the browser:\n${problems.join('\n')}`);
  });
});
