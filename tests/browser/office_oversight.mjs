// Drives truc-office's oversight and delegation (theo dõi tiến độ, ủy quyền) in
// Debian's Chromium after office_processing.mjs: the leader sees the finished
// work in "Theo dõi tiến độ", delegates the leader's powers to a specialist for
// today, the specialist's app says so and offers "Văn bản đến", and the leader
// ends the delegation early.
//
// Env: TRUC_OFFICE_URL, TRUC_LEADER_USER and TRUC_LEADER_PASSWORD (a leader),
// TRUC_LEADER_NAME (that leader's full name), TRUC_SPECIALIST_USER and
// TRUC_SPECIALIST_PASSWORD (a specialist given no delegation yet),
// TRUC_SPECIALIST_NAME (that person's full name), TRUC_DEPARTMENT (the
// specialist's department), TRUC_SCREENSHOT_DIR (optional), CHROMIUM. Prints
// "ok: ..." per step; exits 0 on success, 1 on the first failed step.

import { PHONE, answerTo, check, need, openPage, run, screenshot, step } from './harness.mjs';

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const leader = {
  username: need('TRUC_LEADER_USER'),
  password: need('TRUC_LEADER_PASSWORD'),
  fullName: need('TRUC_LEADER_NAME'),
};
const specialist = {
  username: need('TRUC_SPECIALIST_USER'),
  password: need('TRUC_SPECIALIST_PASSWORD'),
  fullName: need('TRUC_SPECIALIST_NAME'),
};
const department = need('TRUC_DEPARTMENT');

async function signIn(page, account) {
  const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
  check(response !== null && response.ok(), `GET / answered ${response?.status()}`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(account.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(account.password);
  const answer = answerTo(page, 'POST', '/session');
  const reminders = answerTo(page, 'GET', '/reminders');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  const signedIn = await answer;
  check(signedIn.status() === 200, `POST session answered ${signedIn.status()}`);
  check((await reminders).status() === 200, 'GET reminders failed');
  await page.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor({ state: 'visible' });
  await page.getByText('Nhắc việc', { exact: true }).waitFor({ state: 'visible' });
  return signedIn.json();
}

run(async (browser) => {
  const page = await openPage(browser);
  const menu = page.getByRole('navigation', { name: 'Chức năng', exact: true });

  await step('a. the leader signs in and opens "Theo dõi tiến độ"', async () => {
    await signIn(page, leader);
    const answer = answerTo(page, 'GET', '/oversight/progress');
    await menu.getByRole('menuitem', { name: 'Theo dõi tiến độ', exact: true }).click();
    const progress = await answer;
    check(progress.status() === 200, `GET progress answered ${progress.status()}`);
    const items = (await progress.json()).items;
    const row = items.find((item) => item.department === department);
    check(row !== undefined && row.done >= 1, `no finished work for ${department}`);
    const table = page.getByRole('table', { name: 'Theo dõi tiến độ', exact: true });
    await table.getByRole('button', { name: department, exact: true }).waitFor();
    await table.getByRole('button', { name: 'Chưa có phòng ban', exact: true }).waitFor();
    const documents = answerTo(page, 'GET', '/oversight/deadlines', 'open');
    await table.getByRole('button', { name: department, exact: true }).click();
    check((await documents).status() === 200, 'GET deadlines?state=open failed');
    await page.getByText('Phòng ban không có văn bản đang xử lý').waitFor();
    return screenshot(page, 'theo-doi-tien-do.png');
  });

  await step('b. the leader delegates to the specialist for today', async () => {
    const loaded = answerTo(page, 'GET', '/delegations/candidates');
    await menu.getByRole('menuitem', { name: 'Ủy quyền', exact: true }).click();
    check((await loaded).status() === 200, 'GET delegations/candidates failed');
    const form = page.getByRole('main');
    const chooser = form.getByLabel('Người được ủy quyền', { exact: true });
    await chooser.click();
    await chooser.fill(specialist.fullName);
    // The search leaves the person first and active; Enter chooses them, as from the keyboard.
    await page.getByRole('listbox').first().waitFor({ state: 'attached' });
    await chooser.press('Enter');
    await form.getByLabel('Lý do', { exact: true }).fill('Đi công tác');
    const answer = answerTo(page, 'POST', '/delegations');
    await form.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    const created = await answer;
    check(created.status() === 201, `POST delegations answered ${created.status()}`);
    check((await created.json()).state === 'active', 'the delegation is not in force today');
    await page.getByText('Đang hiệu lực', { exact: true }).waitFor();
    return screenshot(page, 'uy-quyen.png');
  });

  // The delegate ------------------------------------------------------------------
  const phone = await openPage(browser, PHONE);
  await step('c. the delegate, on a phone, is told whose powers they hold', async () => {
    const session = await signIn(phone, specialist);
    check(session.delegation?.delegator?.full_name === leader.fullName, 'no delegation in session');
    check(session.actions.includes('assign_incoming'), 'the delegate may not assign');
    check(!session.actions.includes('delegate_powers'), 'the delegate may delegate further');
    await phone
      .getByText(`Bạn đang được ủy quyền bởi ${leader.fullName}`, { exact: false })
      .waitFor({ state: 'visible' });
    await phone.getByRole('button', { name: 'Mở menu chức năng', exact: true }).click();
    const phoneMenu = phone.getByRole('navigation', { name: 'Chức năng', exact: true });
    await phoneMenu.getByRole('menuitem', { name: 'Văn bản đến', exact: true }).waitFor();
    await phoneMenu.getByRole('menuitem', { name: 'Theo dõi tiến độ', exact: true }).waitFor();
    check(
      (await phoneMenu.getByRole('menuitem', { name: 'Ủy quyền', exact: true }).count()) === 0,
      'the delegate\'s menu offers "Ủy quyền"',
    );
    return screenshot(phone, 'duoc-uy-quyen.png');
  });

  await step('d. the leader ends the delegation early; the delegate loses the powers', async () => {
    await page.getByRole('button', { name: `Kết thúc ủy quyền cho ${specialist.fullName}` }).click();
    const answer = answerTo(page, 'POST', /\/delegations\/\d+\/end$/);
    await page.getByRole('button', { name: 'Kết thúc', exact: true }).last().click();
    const ended = await answer;
    check(ended.status() === 200, `POST end answered ${ended.status()}`);
    await page.getByText('Đã kết thúc sớm', { exact: true }).waitFor();
    const session = await phone.request.get(baseUrl + '/office/api/v1/session');
    const body = await session.json();
    check(body.delegation === null, 'the session still carries the delegation');
    check(!body.actions.includes('assign_incoming'), 'the delegate may still assign');
  });
});
