// Browser test of a level-proposal dossier: a seed system (`capdo demo-data --seed-example`)
// from "Lập hồ sơ" with an empty checklist, through completing the components (saved in place
// by htmx), submission, receipt (the clock in working days, the home page's "Việc cần làm"),
// appraisal and approval, to the system page showing the approved level.
//
// It starts a capdo of its own (CAPDO_E2E_BIN, set by e2e/run.sh) on a fresh SQLite database
// with the five example systems, so the register the other tests share is left as they expect.
// Screenshots go to e2e/artifacts/dossier-*.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, launch, newContext, shoot, startSeededCapdo, watchProblems } from './support.mjs';

const EMAIL = 'chuyenvien@sct.gov.vn';
const PASSWORD = `Ho-so-e2e-${process.pid}-${Date.now()}`;
const SYSTEM = 'Hệ thống đăng ký khuyến mại';

/** Today in Vietnam (UTC+7), as a date input wants it. */
function today() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

describe('level-proposal dossier of a seed system', () => {
  let capdo;
  let baseUrl;
  let browser;
  let context;
  let page;
  let problems;
  let dossierPath = '';

  before(async () => {
    capdo = await startSeededCapdo('dossier', EMAIL, PASSWORD);
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

  test('"Lập hồ sơ" on the system page opens a dossier with an empty checklist', { timeout: TIMEOUT }, async () => {
    await page.goto(`${baseUrl}/systems?q=${encodeURIComponent('dang ky khuyen mai')}`);
    await Promise.all([
      page.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname)),
      page.locator('#systems-table').getByRole('link', { name: SYSTEM }).click(),
    ]);
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith('/dossiers/')),
      page.getByRole('button', { name: 'Lập hồ sơ', exact: true }).click(),
    ]);
    dossierPath = new URL(page.url()).pathname;
    assert.equal((await page.locator('#dossier-status').innerText()).trim(), 'Đang lập hồ sơ');
    assert.match(await page.locator('#step-proposal .checklist-progress').innerText(), /^0\//);
    assert.equal(await page.locator('.dossier-component[data-status="complete"]').count(), 0);
    await shoot(page, 'dossier-empty.png');
  });

  test('the proposal components are completed in place and the dossier is submitted', { timeout: TIMEOUT }, async () => {
    assert.ok(dossierPath, 'needs the dossier of the first test');
    const required = page.locator('#step-proposal .dossier-component', { hasText: 'Bắt buộc' });
    const n = await required.count();
    assert.ok(n > 0, 'the proposal step has required components');
    for (let i = 0; i < n; i += 1) {
      const card = page.locator('#step-proposal .dossier-component', { hasText: 'Bắt buộc' }).nth(i);
      const id = await card.getAttribute('id');
      await card.locator('summary', { hasText: 'Cập nhật thành phần' }).click();
      await card.getByLabel('Tình trạng').selectOption('complete');
      await card.getByLabel('Số, ký hiệu văn bản').fill(`${100 + i}/SCT-VP`);
      await card.getByLabel('Ngày văn bản').fill(today());
      await card.getByRole('button', { name: 'Lưu thành phần' }).click();
      // htmx swaps the card: same id, now complete and marked saved; the page stays.
      await page.locator(`#${id}[data-status="complete"] .saved-mark`).waitFor();
    }
    assert.equal(new URL(page.url()).pathname, dossierPath, 'saved in place');
    await shoot(page, 'dossier-checklist-complete.png');

    const submit = page.locator('#action-submitted');
    await submit.getByLabel('Số, ký hiệu văn bản gửi hồ sơ').fill('2559/SCT-VP');
    await submit.getByLabel('Ngày văn bản gửi hồ sơ').fill(today());
    assert.ok((await submit.getByLabel('Đơn vị nhận hồ sơ').inputValue()).length > 0, 'a recipient is proposed');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('done') === 'submitted'),
      submit.getByRole('button', { name: 'Gửi hồ sơ', exact: true }).click(),
    ]);
    assert.equal((await page.locator('#dossier-status').innerText()).trim(), 'Đã gửi');
  });

  test('receipt starts the validity check, counted in working days and listed at home', { timeout: TIMEOUT }, async () => {
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('done') === 'received'),
      page.locator('#action-received').getByRole('button', { name: 'Ghi nhận đã tiếp nhận' }).click(),
    ]);
    const remaining = await page.locator('#clock-remaining').innerText();
    const clock = await page.evaluate(async (p) => {
      const headers = JSON.parse(document.body.getAttribute('hx-headers') || '{}');
      const res = await fetch(`/api/v1${p}`, { headers });
      return (await res.json()).clock;
    }, dossierPath);
    assert.ok(clock && Number.isInteger(clock.working_days_left), JSON.stringify(clock));
    assert.match(remaining, new RegExp(`Còn ${clock.working_days_left} ngày làm việc`));
    const [y, m, d] = clock.due_on.split('-');
    assert.equal((await page.locator('#clock-due').innerText()).trim(), `${d}/${m}/${y}`);
    await shoot(page, 'dossier-clock.png');

    await page.goto(`${baseUrl}/`);
    const task = page.locator('#deadline-list li', { has: page.locator(`a[href="${dossierPath}"]`) });
    await task.waitFor();
    assert.match(await task.innerText(), /ngày làm việc/);
    await shoot(page, 'dossier-home-tasks.png');
    await page.goto(`${baseUrl}${dossierPath}`);
  });

  test('appraisal and approval give the system its approved level', { timeout: TIMEOUT }, async () => {
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('done') === 'under_appraisal'),
      page.locator('#action-under_appraisal').getByRole('button', { name: 'Ghi nhận bắt đầu thẩm định' }).click(),
    ]);
    const appraise = page.locator('#action-appraised');
    await appraise.getByLabel('Kết luận thẩm định').selectOption('favourable');
    await appraise.getByLabel('Số, ký hiệu văn bản ý kiến thẩm định').fill('88/CAT-ANM');
    await appraise.getByLabel('Ngày văn bản ý kiến thẩm định').fill(today());
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('done') === 'appraised'),
      appraise.getByRole('button', { name: 'Ghi nhận ý kiến thẩm định' }).click(),
    ]);
    const approvalParts = page.locator('#step-approval .dossier-component', { hasText: 'Bắt buộc' });
    const n = await approvalParts.count();
    for (let i = 0; i < n; i += 1) {
      const card = approvalParts.nth(i);
      if ((await card.getAttribute('data-status')) === 'complete') continue;
      const id = await card.getAttribute('id');
      await card.locator('summary', { hasText: 'Cập nhật thành phần' }).click();
      await card.getByLabel('Tình trạng').selectOption('complete');
      await card.getByLabel('Số, ký hiệu văn bản').fill(`${200 + i}/TTr-SCT`);
      await card.getByLabel('Ngày văn bản').fill(today());
      await card.getByRole('button', { name: 'Lưu thành phần' }).click();
      await page.locator(`#${id}[data-status="complete"]`).waitFor();
    }
    // Approval needs the quy chế recorded on the system's checklist ("Đáp ứng yêu cầu"):
    // the regulation requirement met, with the number and date of the regulation.
    const systemPath = await page.locator('.breadcrumb').getByRole('link', { name: SYSTEM }).getAttribute('href');
    await page.goto(`${baseUrl}${systemPath}/compliance`);
    if ((await page.locator('#start-review').count()) > 0) {
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('started') === '1'),
        page.locator('#start-review button').click(),
      ]);
    }
    const anchor = await page.locator('#regulation-banner a').first().getAttribute('href');
    const regulation = page.locator(anchor);
    await regulation.locator('summary', { hasText: 'Thêm minh chứng' }).click();
    await regulation.getByLabel('Số, ký hiệu văn bản').fill('15/QĐ-SCT');
    await regulation.getByLabel('Ngày văn bản').fill(today());
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('added') === '1'),
      regulation.getByRole('button', { name: 'Thêm minh chứng' }).click(),
    ]);
    await page.locator(anchor).locator('summary', { hasText: 'Cập nhật yêu cầu' }).click();
    await page.locator(anchor).getByLabel('Mức đáp ứng').selectOption('met');
    await page.locator(anchor).getByRole('button', { name: 'Lưu yêu cầu' }).click();
    await page.locator('#regulation-banner[data-recorded="true"]').waitFor();
    await page.goto(`${baseUrl}${dossierPath}`);

    const approve = page.locator('#action-approved');
    await approve.getByLabel('Số, ký hiệu quyết định phê duyệt').fill('125/QĐ-UBND');
    await approve.getByLabel('Ngày quyết định').fill(today());
    const level = await approve.getByLabel('Cấp độ được phê duyệt').inputValue();
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('done') === 'approved'),
      approve.getByRole('button', { name: 'Ghi nhận phê duyệt' }).click(),
    ]);
    assert.equal((await page.locator('#dossier-status').innerText()).trim(), 'Đã phê duyệt');
    assert.equal((await page.locator('#approved-level').innerText()).trim(), `Cấp độ ${level}`);
    assert.ok((await page.locator('#timeline li').count()) >= 6, 'every step is on the timeline');
    await shoot(page, 'dossier-approved.png');

    await Promise.all([
      page.waitForURL((url) => /^\/systems\/[^/]+$/.test(url.pathname)),
      page.locator('.breadcrumb').getByRole('link', { name: SYSTEM }).click(),
    ]);
    const box = page.locator('.level-box', { hasText: 'Được phê duyệt' });
    assert.match(await box.innerText(), new RegExp(`Cấp độ ${level}`));
    assert.match(await box.innerText(), /125\/QĐ-UBND/);
    await shoot(page, 'dossier-system-approved.png');
    assert.deepEqual(problems, [], `problems in the browser:\n${problems.join('\n')}`);
  });
});
