// Drives truc-office's incoming documents (Văn bản đến) in Debian's Chromium as
// a clerk: the list waiting for registration, one document's detail, and
// registering it (Vào sổ), which gives it an arrival number; then a paper
// document registered from a scan (Vào sổ văn bản giấy), which gets the next
// number of the same counter.
//
// Env: TRUC_OFFICE_URL (e.g. https://127.0.0.1:8443), TRUC_OFFICE_USER and
// TRUC_OFFICE_PASSWORD (a clerk), TRUC_EXPECT_SUBJECT (the subject, trích yếu,
// of a document that must be waiting in "Chờ vào sổ"; it is registered, so a
// second run needs a fresh one), TRUC_SCREENSHOT_DIR (optional), CHROMIUM
// (default /usr/bin/chromium). Prints "ok: ..." per step; exits 0 on success,
// 1 on the first failed step with "FAIL: ...".

import {
  answerTo,
  check,
  DESKTOP,
  need,
  openPage,
  PHONE,
  run,
  screenshot,
  step,
} from './harness.mjs';

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const username = need('TRUC_OFFICE_USER');
const password = need('TRUC_OFFICE_PASSWORD');
const subject = need('TRUC_EXPECT_SUBJECT');

await run(async (browser) => {
  const page = await openPage(browser);

  const main = page.getByRole('main');
  const listHeading = page.getByRole('heading', { name: 'Văn bản đến', exact: true });
  const listTable = page.getByRole('table', { name: 'Văn bản đến', exact: true });
  const subjectLink = page.getByRole('link', { name: subject, exact: true });
  const documentLink = listTable.locator(subjectLink);
  const documentRow = listTable.getByRole('row').filter({ has: subjectLink });
  const filters = page.getByRole('radiogroup', { name: 'Lọc theo trạng thái', exact: true });
  const registerButton = main.getByRole('button', { name: 'Vào sổ', exact: true });
  const returnButton = main.getByRole('button', { name: 'Trả lại', exact: true });
  const registerDialog = page.getByRole('dialog', { name: 'Vào sổ văn bản đến', exact: true });

  await step('a. a clerk signs in', async () => {
    const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
    check(response !== null && response.ok(), `GET / answered ${response?.status()}`);
    await page.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
    const answer = answerTo(page, 'POST', '/session');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    const signedIn = await answer;
    check(signedIn.status() === 200, `POST session answered ${signedIn.status()}`);
    const role = (await signedIn.json())?.user?.role;
    check(role === 'clerk' || role === 'admin', `the account's role is ${role}, not clerk`);
    await page
      .getByRole('heading', { name: 'Trang chủ', exact: true })
      .waitFor({ state: 'visible' });
    return ` (${role})`;
  });

  await step('b. "Văn bản đến" lists the document under "Chờ vào sổ"', async () => {
    const answer = answerTo(page, 'GET', '/incoming');
    await page.getByRole('menuitem', { name: 'Văn bản đến', exact: true }).click();
    const listed = await answer;
    check(listed.status() === 200, `GET incoming answered ${listed.status()}`);
    check(
      new URL(listed.url()).searchParams.get('state') === 'new',
      `the list asked for state=${new URL(listed.url()).searchParams.get('state')}, not new`,
    );
    await listHeading.waitFor({ state: 'visible' });
    check(
      await filters.getByRole('radio', { name: 'Chờ vào sổ', exact: true }).isChecked(),
      'the "Chờ vào sổ" filter is not the one selected',
    );
    await listTable.waitFor({ state: 'visible' });
    const items = (await listed.json())?.items ?? [];
    let note = '';
    if (!items.some((d) => d.subject === subject)) {
      // Not on the first page of the answer: ask the server's search for it.
      const searched = answerTo(page, 'GET', '/incoming');
      await page.getByLabel('Tìm kiếm', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      const found = await searched;
      check(found.status() === 200, `the search answered ${found.status()}`);
      check(
        ((await found.json())?.items ?? []).some((d) => d.subject === subject),
        `no document with the subject "${subject}" is waiting in "Chờ vào sổ"`,
      );
      note = ' via "Tìm kiếm"';
    }
    await documentLink.waitFor({ state: 'visible' });
    await documentRow.getByText('Chờ vào sổ', { exact: true }).waitFor({ state: 'visible' });
    return note + (await screenshot(page, 'van-ban-den.png'));
  });

  await step('c. the document opens with its details and the clerk\'s buttons', async () => {
    const answer = page.waitForResponse(
      (r) => /\/incoming\/\d+$/.test(new URL(r.url()).pathname) && r.request().method() === 'GET',
    );
    await documentLink.click();
    const detail = await answer;
    check(detail.status() === 200, `GET the document answered ${detail.status()}`);
    await page
      .getByRole('heading', { name: 'Chi tiết văn bản đến', exact: true })
      .waitFor({ state: 'visible' });
    await main.getByText(subject, { exact: true }).waitFor({ state: 'visible' });
    for (const label of ['Cơ quan ban hành', 'Số/Ký hiệu', 'Trích yếu', 'Độ khẩn', 'Chữ ký số']) {
      await main.getByText(label, { exact: true }).first().waitFor({ state: 'visible' });
    }
    await main.getByText('Trạng thái đã gửi', { exact: true }).waitFor({ state: 'visible' });
    await main.getByText('Chờ vào sổ', { exact: true }).waitFor({ state: 'visible' });
    await registerButton.waitFor({ state: 'visible' });
    await returnButton.waitFor({ state: 'visible' });
    await main.getByRole('button', { name: 'Quay lại', exact: true }).waitFor({ state: 'visible' });
    check(/#\/incoming\/\d+$/.test(page.url()), `the address ${page.url()} names no document`);
    return screenshot(page, 'chi-tiet-van-ban.png');
  });

  let arrivalNumber = null;
  await step('d. "Vào sổ" in the first register gives an arrival number', async () => {
    const registers = answerTo(page, 'GET', '/catalogues/registers');
    await registerButton.click();
    await registerDialog.waitFor({ state: 'visible' });
    const listed = await registers;
    check(listed.status() === 200, `GET registers answered ${listed.status()}`);
    const items = (await listed.json())?.items ?? [];
    check(items.length > 0, 'there is no incoming register to choose');
    const chooser = registerDialog.getByLabel('Sổ văn bản', { exact: true });
    await chooser.click();
    // The list opens with its first option active; Enter chooses it, as from the keyboard.
    await page.getByRole('listbox').first().waitFor({ state: 'attached' });
    await chooser.press('Enter');
    await registerDialog.getByText(items[0].name).first().waitFor({ state: 'visible' });

    const answer = page.waitForResponse(
      (r) =>
        /\/incoming\/\d+\/register$/.test(new URL(r.url()).pathname) &&
        r.request().method() === 'POST',
    );
    await registerDialog.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    const registered = await answer;
    check(registered.status() === 200, `POST register answered ${registered.status()}`);
    const request = registered.request();
    check(
      (await request.headerValue('x-csrf-token')) !== null,
      'the register request carried no X-CSRF-Token',
    );
    check(
      JSON.parse(request.postData() ?? '{}').register_id === items[0].id,
      `the register request did not name register ${items[0].id}`,
    );
    const body = await registered.json();
    arrivalNumber = body?.arrival_number;
    check(Number.isInteger(arrivalNumber), `the answer's arrival_number is ${arrivalNumber}`);
    check(body.state === 'registered', `the answer's state is ${body.state}`);
    await page
      .getByText(`Đã vào sổ, số đến ${arrivalNumber}`, { exact: true })
      .waitFor({ state: 'visible' });
    await registerDialog.waitFor({ state: 'hidden' });
    const shot = await screenshot(page, 'vao-so.png');
    return ` (số đến ${arrivalNumber} in ${items[0].name})${shot}`;
  });

  await step('e. the detail shows "Đã vào sổ" with the number, without the buttons', async () => {
    await main.getByText('Đã vào sổ', { exact: true }).waitFor({ state: 'visible' });
    const numberRow = main
      .getByRole('row')
      .filter({ has: page.getByText('Số đến', { exact: true }) });
    await numberRow.getByText(String(arrivalNumber), { exact: true }).waitFor({ state: 'visible' });
    await registerButton.waitFor({ state: 'hidden' });
    await returnButton.waitFor({ state: 'hidden' });
  });

  await step('f. back on the list, the document is under "Đã vào sổ" with its number', async () => {
    await main.getByRole('button', { name: 'Quay lại', exact: true }).click();
    await listHeading.waitFor({ state: 'visible' });
    const answer = answerTo(page, 'GET', '/incoming', 'registered');
    await filters.getByText('Đã vào sổ', { exact: true }).click();
    const listed = await answer;
    check(
      new URL(listed.url()).searchParams.get('state') === 'registered',
      'the "Đã vào sổ" filter did not ask for state=registered',
    );
    await listTable.waitFor({ state: 'visible' });
    const items = (await listed.json())?.items ?? [];
    if (!items.some((d) => d.subject === subject)) {
      const searched = answerTo(page, 'GET', '/incoming');
      await page.getByLabel('Tìm kiếm', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await searched;
    }
    await documentRow.getByText('Đã vào sổ', { exact: true }).waitFor({ state: 'visible' });
    await documentRow
      .getByRole('cell', { name: String(arrivalNumber), exact: true })
      .waitFor({ state: 'visible' });
  });

  await step('g. "Vào sổ văn bản giấy" registers a scanned paper document with the next number', async () => {
    await main.getByRole('button', { name: 'Vào sổ văn bản giấy', exact: true }).click();
    await page
      .getByRole('heading', { name: 'Vào sổ văn bản giấy', exact: true })
      .waitFor({ state: 'visible' });
    const form = page.getByRole('form', { name: 'Vào sổ văn bản giấy', exact: true });
    // At a phone's width every field and the file button stay within the screen.
    await page.setViewportSize(PHONE);
    const fileButton = form.getByRole('button', { name: 'Chọn tệp scan', exact: true });
    const box = await fileButton.boundingBox();
    check(box !== null && box.x + box.width <= PHONE.width, 'the file button leaves the screen');
    const phoneShot = await screenshot(page, 'vao-so-van-ban-giay-dien-thoai.png');
    await page.setViewportSize(DESKTOP);
    await form.getByLabel('Nơi gửi', { exact: true }).fill('Ủy ban nhân dân huyện Hòa Vang');
    await form.getByLabel('Số', { exact: true }).fill('15');
    await form.getByLabel('Ký hiệu', { exact: true }).fill('UBND-VP');
    await form.getByLabel('Loại văn bản', { exact: true }).fill('Giấy mời');
    const written = form.getByLabel('Ngày văn bản', { exact: true });
    await written.click();
    await written.fill('30/11/2026');
    await written.press('Enter');
    const paperSubject = 'Giấy mời dự họp giao ban tháng 12';
    await form.getByLabel('Trích yếu', { exact: true }).fill(paperSubject);
    await form.getByLabel('Người ký', { exact: true }).fill('Nguyễn Văn Sơn');

    // A small PDF made here: its bytes begin as a PDF's must.
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
        '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const uploaded = answerTo(page, 'POST', '/uploads');
    await form
      .locator('input[type=file]')
      .setInputFiles({ name: 'Giấy mời 15.pdf', mimeType: 'application/pdf', buffer: pdf });
    const upload = await uploaded;
    check(upload.status() === 201, `POST uploads answered ${upload.status()}`);
    check(
      (await upload.request().headerValue('x-csrf-token')) !== null,
      'the upload carried no X-CSRF-Token',
    );
    const uploadId = (await upload.json())?.id;

    const answer = answerTo(page, 'POST', '/incoming/paper');
    await form.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    const registered = await answer;
    check(registered.status() === 201, `POST incoming/paper answered ${registered.status()}`);
    const sent = JSON.parse(registered.request().postData() ?? '{}');
    check(
      sent.uploads?.length === 1 && sent.uploads[0] === uploadId,
      `the paper request named uploads ${JSON.stringify(sent.uploads)}, not [${uploadId}]`,
    );
    check(sent.promulgation_date === '2026-11-30', `promulgation_date ${sent.promulgation_date}`);
    const body = await registered.json();
    check(body.source === 'paper', `the answer's source is ${body.source}`);
    check(
      body.arrival_number === arrivalNumber + 1,
      `the paper document got number ${body.arrival_number}, not ${arrivalNumber + 1}`,
    );

    // Its detail page opens: a paper document, with no signature result.
    await page
      .getByRole('heading', { name: 'Chi tiết văn bản đến', exact: true })
      .waitFor({ state: 'visible' });
    await main.getByText(paperSubject, { exact: true }).first().waitFor({ state: 'visible' });
    await main.getByText('Văn bản giấy', { exact: true }).first().waitFor({ state: 'visible' });
    await main
      .getByText('Văn bản giấy, không có chữ ký số', { exact: true })
      .waitFor({ state: 'visible' });
    await main.getByText('Giấy mời 15.pdf').first().waitFor({ state: 'visible' });
    const shot = await screenshot(page, 'vao-so-van-ban-giay.png');
    return ` (số đến ${body.arrival_number})${phoneShot}${shot}`;
  });
});
