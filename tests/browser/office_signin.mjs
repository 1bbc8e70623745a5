// Drives truc-office's web app in Debian's Chromium: sign-in page, a wrong
// password, a right one, the home page, the session cookie's flags, sign-out.
//
// Env: TRUC_OFFICE_URL (e.g. https://127.0.0.1:8443), TRUC_OFFICE_USER,
// TRUC_OFFICE_PASSWORD, TRUC_SCREENSHOT_DIR (optional), CHROMIUM (default
// /usr/bin/chromium). Prints "ok: ..." per step; exits 0 on success, 1 on the
// first failed step with "FAIL: ...".

import { DESKTOP, PHONE, check, need, openPage, run, screenshot, step } from './harness.mjs';

const API_SESSION = '/office/api/v1/session';

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const username = need('TRUC_OFFICE_USER');
const password = need('TRUC_OFFICE_PASSWORD');

await run(async (browser) => {
  const page = await openPage(browser);

  const heading = page.getByRole('heading', { name: 'Đăng nhập', exact: true });
  const userField = page.getByLabel('Tên đăng nhập', { exact: true });
  const passwordField = page.getByLabel('Mật khẩu', { exact: true });
  const signInButton = page.getByRole('button', { name: 'Đăng nhập', exact: true });
  const signOutButton = page.getByRole('button', { name: 'Đăng xuất', exact: true });

  await step('a. sign-in page shows the "Đăng nhập" heading', async () => {
    const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
    check(response !== null && response.ok(), `GET / answered ${response?.status()}`);
    await heading.waitFor({ state: 'visible' });
    await userField.waitFor({ state: 'visible' });
    await passwordField.waitFor({ state: 'visible' });
    check(
      (await passwordField.getAttribute('type')) === 'password',
      'the "Mật khẩu" field is not a password input',
    );
    check((await page.locator('html').getAttribute('lang')) === 'vi', '<html lang> is not "vi"');
    return screenshot(page, 'dang-nhap.png');
  });

  await step('b. a wrong password is refused in Vietnamese', async () => {
    await userField.fill(username);
    await passwordField.fill(password + '-sai');
    const answer = page.waitForResponse(
      (r) => r.url().endsWith(API_SESSION) && r.request().method() === 'POST',
    );
    await signInButton.click();
    const response = await answer;
    check(response.status() === 401, `POST session with a wrong password answered ${response.status()}`);
    await page
      .getByText('Tên đăng nhập hoặc mật khẩu không đúng.', { exact: true })
      .waitFor({ state: 'visible' });
    await heading.waitFor({ state: 'visible' });
  });

  let fullName = '';
  await step('c. the right password opens the home page', async () => {
    await passwordField.fill(password);
    const answer = page.waitForResponse(
      (r) => r.url().endsWith(API_SESSION) && r.request().method() === 'POST',
    );
    await signInButton.click();
    const response = await answer;
    check(response.status() === 200, `POST session with the right password answered ${response.status()}`);
    const body = await response.json();
    fullName = body?.user?.full_name ?? '';
    check(fullName !== '', 'the session answer has no user.full_name');
    const agencyCode = body?.user?.agency_code ?? '';
    check(agencyCode !== '', 'the session answer has no user.agency_code');
    await page.getByRole('banner').getByText(fullName, { exact: true }).waitFor({ state: 'visible' });
    await page.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor({ state: 'visible' });
    // The home page shows the account; the catalogues (document types) have their own page.
    const account = page.getByText(agencyCode, { exact: true });
    await account.waitFor({ state: 'visible' });
    await signOutButton.waitFor({ state: 'visible' });
    let shots = await screenshot(page, 'trang-chu.png');
    await page.setViewportSize(PHONE);
    await page.getByRole('banner').getByText(fullName, { exact: true }).waitFor({ state: 'visible' });
    await account.waitFor({ state: 'visible' });
    await signOutButton.waitFor({ state: 'visible' });
    shots += await screenshot(page, 'trang-chu-dien-thoai.png');
    await page.setViewportSize(DESKTOP);
    return ` as ${fullName}${shots}`;
  });

  await step('d. the session cookie is HttpOnly, SameSite=Strict and Secure', async () => {
    const cookies = await page.context().cookies(baseUrl);
    check(cookies.length > 0, 'no cookie was set for the office');
    for (const c of cookies) {
      check(c.httpOnly === true, `cookie ${c.name} is not HttpOnly`);
      check(c.sameSite === 'Strict', `cookie ${c.name} has SameSite=${c.sameSite}, not Strict`);
      check(c.secure === true, `cookie ${c.name} is not Secure`);
    }
    const seen = await page.evaluate(() => document.cookie);
    check(seen === '', `page script can read cookies: ${JSON.stringify(seen)}`);
    return ` (${cookies.map((c) => c.name).join(', ')})`;
  });

  await step('e. "Đăng xuất" ends the session and shows the sign-in form', async () => {
    const answer = page.waitForResponse(
      (r) => r.url().endsWith(API_SESSION) && r.request().method() === 'DELETE',
    );
    await signOutButton.click();
    const response = await answer;
    check(response.status() === 204, `DELETE session answered ${response.status()}`);
    await heading.waitFor({ state: 'visible' });
    await userField.waitFor({ state: 'visible' });
    // The server must have forgotten the session: a reload lands on sign-in again.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await heading.waitFor({ state: 'visible' });
    await passwordField.waitFor({ state: 'visible' });
  });

});
