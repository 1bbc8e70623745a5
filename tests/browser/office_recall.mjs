// Drives the answer to a sender's recall (thu hồi) in Debian's Chromium as a
// clerk: the document waits under "Đề nghị thu hồi" with the sender's reason,
// and "Đồng ý thu hồi" voids it.
//
// Env: TRUC_OFFICE_URL, TRUC_OFFICE_USER and TRUC_OFFICE_PASSWORD (a clerk),
// TRUC_EXPECT_SUBJECT (the subject of a document whose recall awaits an
// answer), TRUC_EXPECT_REASON (the sender's reason), TRUC_SCREENSHOT_DIR
// (optional), CHROMIUM (default /usr/bin/chromium). Prints "ok: ..." per step;
// exits 0 on success, 1 on the first failed step with "FAIL: ...".

import { answerTo, check, need, openPage, run, screenshot, step } from './harness.mjs';

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const username = need('TRUC_OFFICE_USER');
const password = need('TRUC_OFFICE_PASSWORD');
const subject = need('TRUC_EXPECT_SUBJECT');
const reason = need('TRUC_EXPECT_REASON');

await run(async (browser) => {
  const page = await openPage(browser);
  const main = page.getByRole('main');
  const listTable = page.getByRole('table', { name: 'Văn bản đến', exact: true });
  const subjectLink = page.getByRole('link', { name: subject, exact: true });
  const filters = page.getByRole('radiogroup', { name: 'Lọc theo trạng thái', exact: true });
  const request = main.getByRole('alert').filter({ hasText: 'Cơ quan gửi đề nghị thu hồi' });
  const acceptDialog = page.getByRole('dialog', { name: 'Đồng ý thu hồi văn bản', exact: true });

  await step('a. a clerk signs in', async () => {
    await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
    const answer = answerTo(page, 'POST', '/session');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    check((await answer).status() === 200, 'signing in failed');
    await page.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor();
  });

  await step('b. the document waits under "Đề nghị thu hồi"', async () => {
    await page.getByRole('menuitem', { name: 'Văn bản đến', exact: true }).click();
    await listTable.waitFor({ state: 'visible' });
    const answer = answerTo(page, 'GET', '/incoming', 'recall');
    await filters.getByText('Đề nghị thu hồi', { exact: true }).click();
    const listed = await answer;
    check(listed.status() === 200, `GET incoming?state=recall answered ${listed.status()}`);
    const items = (await listed.json())?.items ?? [];
    check(
      items.some((d) => d.subject === subject && d.recall_state === 'requested'),
      `"${subject}" is not among the recalls awaiting an answer`,
    );
    const row = listTable.getByRole('row').filter({ has: subjectLink });
    await row.getByText('Đề nghị thu hồi', { exact: true }).waitFor({ state: 'visible' });
  });

  await step('c. the document shows the sender\'s request and reason', async () => {
    await listTable.locator(subjectLink).click();
    await page.getByRole('heading', { name: 'Chi tiết văn bản đến', exact: true }).waitFor();
    await request.waitFor({ state: 'visible' });
    await request.getByText(`Lý do: ${reason}`, { exact: true }).waitFor({ state: 'visible' });
    await request.getByRole('button', { name: 'Từ chối thu hồi', exact: true }).waitFor();
    return screenshot(page, 'de-nghi-thu-hoi.png');
  });

  await step('d. "Đồng ý thu hồi" voids the document', async () => {
    await request.getByRole('button', { name: 'Đồng ý thu hồi', exact: true }).click();
    await acceptDialog.waitFor({ state: 'visible' });
    const answer = answerTo(page, 'POST', /\/incoming\/\d+\/recall\/accept$/);
    await acceptDialog.getByRole('button', { name: 'Đồng ý thu hồi', exact: true }).click();
    const accepted = await answer;
    check(accepted.status() === 200, `accepting answered ${accepted.status()}`);
    check((await accepted.json())?.recall?.state === 'accepted', 'the recall is not accepted');
    await main
      .getByText('Văn bản đã bị cơ quan gửi thu hồi và đã hủy trên phần mềm', { exact: true })
      .waitFor({ state: 'visible' });
    check(
      (await main.getByRole('button', { name: 'Vào sổ', exact: true }).count()) === 0,
      'a void document still offers "Vào sổ"',
    );
    return screenshot(page, 'da-thu-hoi.png');
  });
});
