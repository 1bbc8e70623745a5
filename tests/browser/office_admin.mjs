// Drives the agency admin's pages of truc-office in Debian's Chromium: the admin
// adds a department (Danh mục, Phòng ban) and a user in it (Người dùng); the new
// user signs in in a browser context of their own; the admin deactivates the
// account, which ends that session and refuses the next sign-in; then the admin
// adds a field (Danh mục, Lĩnh vực) and opens next year's registers.
//
// Env: TRUC_OFFICE_URL (e.g. https://127.0.0.1:8443), TRUC_OFFICE_USER and
// TRUC_OFFICE_PASSWORD (an agency admin), TRUC_SCREENSHOT_DIR (optional),
// CHROMIUM (default /usr/bin/chromium). The department, user and field it adds
// carry a suffix of the run's time, so the script runs again on the same
// office. Prints "ok: ..." per step; exits 0 on success, 1 on the first failed
// step with "FAIL: ...".

import { DESKTOP, PHONE, answerTo, check, need, openPage, run, screenshot, step } from './harness.mjs';

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const admin = { username: need('TRUC_OFFICE_USER'), password: need('TRUC_OFFICE_PASSWORD') };

const run_id = Date.now().toString(36);
const department = `Phòng Thử nghiệm ${run_id}`;
const field = `Cải cách hành chính ${run_id}`;
const newcomer = {
  username: `chuyen.vien.${run_id}`,
  fullName: 'Trần Văn Chuyên',
  password: 'Mật khẩu của chuyên viên 2026',
};

async function signIn(page, account) {
  const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
  check(response !== null && response.ok(), `GET / answered ${response?.status()}`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(account.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(account.password);
  const answer = answerTo(page, 'POST', '/session');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  return answer;
}

/** Picks `text` in an antd select: typing filters the options, Enter takes the first. */
async function choose(dialog, label, text) {
  const chooser = dialog.getByLabel(label, { exact: true });
  await chooser.click();
  await chooser.fill(text);
  await dialog.page().getByRole('listbox').first().waitFor({ state: 'attached' });
  await chooser.press('Enter');
}

/** Waits until antd's confirmations (3 s each) are gone, for a picture of the page itself. */
/**
 * Types `value` into the dialog's field `label` once the dialog has opened. A
 * dialog's form is mounted as the dialog opens, so what was typed during that
 * instant can be reset: the field is filled again until it holds the value.
 */
async function fillIn(dialog, label, value) {
  await dialog.waitFor({ state: 'visible' });
  const field = dialog.getByLabel(label, { exact: true });
  for (let attempt = 0; attempt < 3; ++attempt) {
    await field.fill(value);
    if ((await field.inputValue()) === value) return;
  }
  check(false, `the field "${label}" does not keep what was typed`);
}

async function withoutToasts(page) {
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
}

await run(async (browser) => {
  const page = await openPage(browser);
  const menu = page.getByRole('navigation', { name: 'Chức năng' });

  await step('a. the admin signs in and the home page links to the two admin pages', async () => {
    const signedIn = await signIn(page, admin);
    check(signedIn.status() === 200, `POST session answered ${signedIn.status()}`);
    const session = await signedIn.json();
    check(session?.user?.role === 'admin', `the account's role is ${session?.user?.role}`);
    await page.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor();
    const main = page.getByRole('main');
    await main.getByRole('link', { name: 'Người dùng', exact: true }).waitFor();
    await main.getByRole('link', { name: 'Danh mục', exact: true }).waitFor();
    check(
      (await page.getByRole('table', { name: 'Loại văn bản', exact: true }).count()) === 0,
      'the home page still lists the document types',
    );
  });

  await step('b. "Danh mục", "Phòng ban": "Thêm phòng ban" adds a department', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Danh mục', exact: true }).click();
    await page.getByRole('heading', { name: 'Danh mục', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Loại văn bản', exact: true })
      .getByRole('cell', { name: 'Quyết định', exact: true })
      .waitFor();
    await page.getByRole('tab', { name: 'Phòng ban', exact: true }).click();
    const table = page.getByRole('table', { name: 'Phòng ban', exact: true });
    await table.waitFor();
    await page.getByRole('button', { name: 'Thêm phòng ban', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm phòng ban', exact: true });
    await fillIn(dialog, 'Tên phòng ban', department);
    const answer = answerTo(page, 'POST', '/departments');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    const created = await answer;
    check(created.status() === 201, `POST departments answered ${created.status()}`);
    check(
      (await created.request().headerValue('x-csrf-token')) !== null,
      'the request carried no X-CSRF-Token',
    );
    await dialog.waitFor({ state: 'hidden' });
    const row = table.getByRole('row').filter({ hasText: department });
    await row.getByRole('cell', { name: '0', exact: true }).waitFor();

    // The same name again is refused, in Vietnamese, in the dialog.
    await page.getByRole('button', { name: 'Thêm phòng ban', exact: true }).click();
    await fillIn(dialog, 'Tên phòng ban', department);
    const again = answerTo(page, 'POST', '/departments');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    const refused = await again;
    check(refused.status() === 409, `POST departments twice answered ${refused.status()}`);
    await dialog.getByText('Danh mục đã có mục trùng tên này.', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Hủy', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    check((await table.getByRole('row').filter({ hasText: department }).count()) === 1, 'two rows');
    await withoutToasts(page);
    return screenshot(page, 'danh-muc-phong-ban.png');
  });

  await step('c. "Người dùng": "Thêm người dùng" adds a specialist in that department', async () => {
    await menu.getByText('Người dùng', { exact: true }).click();
    await page.getByRole('heading', { name: 'Người dùng', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Người dùng', exact: true });
    await table.getByRole('cell', { name: admin.username, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Thêm người dùng', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm người dùng', exact: true });
    await fillIn(dialog, 'Tên đăng nhập', newcomer.username);
    await fillIn(dialog, 'Họ và tên', newcomer.fullName);
    await choose(dialog, 'Vai trò', 'Chuyên viên');
    await choose(dialog, 'Phòng ban', department);
    await fillIn(dialog, 'Mật khẩu', newcomer.password);
    await fillIn(dialog, 'Nhập lại mật khẩu', newcomer.password + 'x');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    await dialog.getByText('Hai mật khẩu chưa khớp nhau.', { exact: true }).waitFor();
    await fillIn(dialog, 'Nhập lại mật khẩu', newcomer.password);
    const answer = answerTo(page, 'POST', '/users');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    const created = await answer;
    check(created.status() === 201, `POST users answered ${created.status()}`);
    const sent = created.request().postDataJSON();
    check(
      sent.role === 'specialist' && sent.department === department,
      `POST users sent role ${sent.role}, department ${sent.department}`,
    );
    await dialog.waitFor({ state: 'hidden' });
    const row = table.getByRole('row').filter({ hasText: newcomer.username });
    for (const text of [newcomer.fullName, 'Chuyên viên', department, 'Đang hoạt động']) {
      await row.getByText(text, { exact: true }).waitFor();
    }
    await withoutToasts(page);
    let shots = await screenshot(page, 'quan-tri-nguoi-dung.png');
    await page.setViewportSize(PHONE);
    await row.getByText(newcomer.fullName, { exact: true }).waitFor();
    shots += await screenshot(page, 'quan-tri-nguoi-dung-dien-thoai.png');
    await page.setViewportSize(DESKTOP);
    return shots;
  });

  const other = await openPage(browser);
  await step('d. the new user signs in in a browser context of their own', async () => {
    const signedIn = await signIn(other, newcomer);
    check(signedIn.status() === 200, `the new user's POST session answered ${signedIn.status()}`);
    await other.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor();
  });

  await step('e. "Sửa" with "Đang hoạt động" off deactivates the account', async () => {
    const table = page.getByRole('table', { name: 'Người dùng', exact: true });
    await table.getByRole('button', { name: `Sửa người dùng ${newcomer.username}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Sửa người dùng ${newcomer.username}` });
    const active = dialog.getByRole('switch', { name: 'Đang hoạt động', exact: true });
    check((await active.getAttribute('aria-checked')) === 'true', 'the account shows inactive');
    await active.click();
    const answer = answerTo(page, 'PUT', `/users/${newcomer.username}`);
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    const saved = await answer;
    check(saved.status() === 200, `PUT users answered ${saved.status()}`);
    const body = await saved.json();
    check(body?.active === false, `the answer has active ${body?.active}`);
    check(body?.department === department, `the department became "${body?.department}"`);
    await dialog.waitFor({ state: 'hidden' });
    const row = table.getByRole('row').filter({ hasText: newcomer.username });
    await row.getByText('Đã khóa tài khoản', { exact: true }).waitFor();
  });

  await step('f. the deactivated user is signed out and cannot sign in again', async () => {
    await other.reload({ waitUntil: 'domcontentloaded' });
    await other.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor();
    const refused = await signIn(other, newcomer);
    check(refused.status() === 401, `the deactivated user's sign-in answered ${refused.status()}`);
    await other.getByText('Tên đăng nhập hoặc mật khẩu không đúng.', { exact: true }).waitFor();
    await other.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor();
  });

  await step('g. "Danh mục", "Lĩnh vực": "Thêm lĩnh vực" adds a field', async () => {
    await menu.getByText('Danh mục', { exact: true }).click();
    await page.getByRole('tab', { name: 'Lĩnh vực', exact: true }).click();
    const table = page.getByRole('table', { name: 'Lĩnh vực', exact: true });
    await table.waitFor();
    await page.getByRole('button', { name: 'Thêm lĩnh vực', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm lĩnh vực', exact: true });
    await fillIn(dialog, 'Tên lĩnh vực', field);
    const answer = answerTo(page, 'POST', '/catalogues/fields');
    await dialog.getByRole('button', { name: 'Thêm', exact: true }).click();
    const created = await answer;
    check(created.status() === 201, `POST fields answered ${created.status()}`);
    await dialog.waitFor({ state: 'hidden' });
    await table.getByRole('cell', { name: field, exact: true }).waitFor();
    await withoutToasts(page);
    let shots = await screenshot(page, 'danh-muc.png');
    await page.getByRole('tab', { name: 'Sổ văn bản', exact: true }).click();
    const incoming = page.getByRole('table', { name: 'Sổ văn bản đến', exact: true });
    await incoming.getByRole('row').nth(1).waitFor();
    shots += await screenshot(page, 'danh-muc-so-van-ban.png');
    return shots;
  });

  await step('h. "Mở sổ năm mới" opens next year\'s registers and says how many', async () => {
    await page.getByRole('button', { name: 'Mở sổ năm mới', exact: true }).click();
    const answer = answerTo(page, 'POST', '/catalogues/registers/next-year');
    await page.getByRole('button', { name: 'Mở sổ', exact: true }).click();
    const opened = await answer;
    check(opened.status() === 200, `POST next-year answered ${opened.status()}`);
    const items = (await opened.json())?.items ?? [];
    check(items.length > 0, 'no register was opened');
    const year = String(items[0].year);
    await page.getByText(`Đã mở ${items.length} sổ cho năm ${year}.`, { exact: true }).waitFor();
    const incoming = page.getByRole('table', { name: 'Sổ văn bản đến', exact: true });
    await incoming.getByRole('cell', { name: year, exact: true }).first().waitFor();
    return ` (${items.length} for ${year})`;
  });
});
