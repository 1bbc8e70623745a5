// Drives truc-office's assignment and handling (giao xử lý, xử lý) in Debian's
// Chromium with two people, each in a browser context of their own: a leader
// assigns a registered document to a specialist as main handler with a due
// date; the specialist finds it in "Việc của tôi", starts the work, writes a
// comment (ý kiến xử lý), attaches a working file and finishes it with a
// result.
//
// Env: TRUC_OFFICE_URL (e.g. https://127.0.0.1:8443), TRUC_LEADER_USER and
// TRUC_LEADER_PASSWORD (a leader or deputy), TRUC_SPECIALIST_USER and
// TRUC_SPECIALIST_PASSWORD (a specialist or department head),
// TRUC_SPECIALIST_NAME (that person's full name, as the "Xử lý chính" list
// shows it), TRUC_EXPECT_SUBJECT (the subject, trích yếu, of a registered
// document nobody was given yet; it is assigned and finished, so a second run
// needs a fresh one), TRUC_SCREENSHOT_DIR (optional), CHROMIUM (default
// /usr/bin/chromium). Prints "ok: ..." per step; exits 0 on success, 1 on the
// first failed step with "FAIL: ...".

import { DESKTOP, PHONE, answerTo, check, need, openPage, run, screenshot, step } from './harness.mjs';

// Far enough ahead that the task is not overdue whatever the clocks say.
const DUE_IN_DAYS = 7;

const baseUrl = need('TRUC_OFFICE_URL').replace(/\/+$/, '');
const leader = { username: need('TRUC_LEADER_USER'), password: need('TRUC_LEADER_PASSWORD') };
const specialist = {
  username: need('TRUC_SPECIALIST_USER'),
  password: need('TRUC_SPECIALIST_PASSWORD'),
  fullName: need('TRUC_SPECIALIST_NAME'),
};
const subject = need('TRUC_EXPECT_SUBJECT');

/** The calendar date `days` from now in Vietnam: [yyyy-mm-dd, dd/mm/yyyy]. */
function vietnamDate(days) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date(Date.now() + days * 86_400_000))
      .map((p) => [p.type, p.value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.day}/${parts.month}/${parts.year}`];
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function signIn(page, account, roles) {
  const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
  check(response !== null && response.ok(), `GET / answered ${response?.status()}`);
  await page.getByLabel('Tên đăng nhập', { exact: true }).fill(account.username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(account.password);
  const answer = answerTo(page, 'POST', '/session');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  const signedIn = await answer;
  check(signedIn.status() === 200, `POST session answered ${signedIn.status()}`);
  const session = await signedIn.json();
  const role = session?.user?.role;
  check(roles.includes(role), `the account's role is ${role}, not ${roles.join(' or ')}`);
  await page.getByRole('heading', { name: 'Trang chủ', exact: true }).waitFor({ state: 'visible' });
  return session;
}

/** The "Xử lý" card's row holding `label`: its details are laid out as table rows. */
function processingRow(main, label) {
  return main
    .getByRole('region', { name: 'Xử lý', exact: true })
    .getByRole('row')
    .filter({ has: main.page().getByText(label, { exact: true }) });
}

const [dueIso, dueShown] = vietnamDate(DUE_IN_DAYS);
await run(async (browser) => {
  // The leader -----------------------------------------------------------------
  const page = await openPage(browser);
  const main = page.getByRole('main');
  const subjectLink = page.getByRole('link', { name: subject, exact: true });
  const assignButton = main.getByRole('button', { name: 'Giao xử lý', exact: true });
  const assignDialog = page.getByRole('dialog', { name: 'Giao xử lý', exact: true });

  await step('a. a leader signs in', async () => {
    const session = await signIn(page, leader, ['leader', 'deputy']);
    check(
      session.actions?.includes('assign_incoming'),
      'the session does not list assign_incoming',
    );
    return ` (${session.user.role})`;
  });

  await step('b. "Văn bản đến", filter "Đã vào sổ", lists the document', async () => {
    await page.getByRole('menuitem', { name: 'Văn bản đến', exact: true }).click();
    await page.getByRole('heading', { name: 'Văn bản đến', exact: true }).waitFor();
    const answer = answerTo(page, 'GET', '/incoming', 'registered');
    await page
      .getByRole('radiogroup', { name: 'Lọc theo trạng thái', exact: true })
      .getByText('Đã vào sổ', { exact: true })
      .click();
    const listed = await answer;
    check(listed.status() === 200, `GET incoming answered ${listed.status()}`);
    check(
      new URL(listed.url()).searchParams.get('state') === 'registered',
      'the "Đã vào sổ" filter did not ask for state=registered',
    );
    const table = page.getByRole('table', { name: 'Văn bản đến', exact: true });
    await table.waitFor({ state: 'visible' });
    let note = '';
    if (!((await listed.json())?.items ?? []).some((d) => d.subject === subject)) {
      const searched = answerTo(page, 'GET', '/incoming');
      await page.getByLabel('Tìm kiếm', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      const found = await searched;
      check(
        ((await found.json())?.items ?? []).some((d) => d.subject === subject),
        `no registered document has the subject "${subject}"`,
      );
      note = ' via "Tìm kiếm"';
    }
    await table.locator(subjectLink).waitFor({ state: 'visible' });
    return note;
  });

  await step('c. the document opens, not yet assigned, with "Giao xử lý"', async () => {
    const answer = answerTo(page, 'GET', /\/incoming\/\d+$/);
    await page.getByRole('table', { name: 'Văn bản đến', exact: true }).locator(subjectLink).click();
    const detail = await answer;
    check(detail.status() === 200, `GET the document answered ${detail.status()}`);
    const body = await detail.json();
    check(body.state === 'registered', `the document's state is ${body.state}, not registered`);
    check(body.assignment === null, 'the document is assigned already: it needs a fresh one');
    await page
      .getByRole('heading', { name: 'Chi tiết văn bản đến', exact: true })
      .waitFor({ state: 'visible' });
    await main.getByText(subject, { exact: true }).waitFor({ state: 'visible' });
    await main.getByText('Chưa giao xử lý', { exact: true }).waitFor({ state: 'visible' });
    await assignButton.waitFor({ state: 'visible' });
  });

  let handler = null;
  await step('d. "Giao xử lý" to the specialist as "Xử lý chính" with a due date', async () => {
    const handlers = answerTo(page, 'GET', '/handlers');
    await assignButton.click();
    await assignDialog.waitFor({ state: 'visible' });
    const listed = await handlers;
    check(listed.status() === 200, `GET handlers answered ${listed.status()}`);
    const people = (await listed.json())?.items ?? [];
    handler = people.find((p) => p.full_name === specialist.fullName);
    check(handler !== undefined, `"${specialist.fullName}" is not among the handlers offered`);
    check(
      handler.username === specialist.username,
      `"${specialist.fullName}" is ${handler.username}, not ${specialist.username}`,
    );

    const chooser = assignDialog.getByLabel('Xử lý chính', { exact: true });
    await chooser.click();
    await chooser.fill(specialist.fullName);
    // The search leaves the person first and active; Enter chooses them, as from the keyboard.
    await page.getByRole('listbox').first().waitFor({ state: 'attached' });
    await chooser.press('Enter');
    await assignDialog
      .getByText(new RegExp(`^${escapeRegExp(specialist.fullName)}( — .*)?$`))
      .filter({ visible: true })
      .first()
      .waitFor({ state: 'visible' });

    const due = assignDialog.getByLabel('Hạn xử lý', { exact: true });
    await due.click();
    await due.fill(dueShown);
    await due.press('Enter');
    check((await due.inputValue()) === dueShown, `"Hạn xử lý" shows ${await due.inputValue()}`);
    await assignDialog
      .getByLabel('Ý kiến chỉ đạo', { exact: true })
      .fill('Đề nghị nghiên cứu, tham mưu xử lý theo quy định.');
    return screenshot(page, 'giao-xu-ly.png');
  });

  await step('e. confirming says "Đã giao xử lý" and shows the assignment', async () => {
    const answer = answerTo(page, 'POST', /\/incoming\/\d+\/assign$/);
    await assignDialog.getByRole('button', { name: 'Giao xử lý', exact: true }).click();
    const assigned = await answer;
    check(assigned.status() === 200, `POST assign answered ${assigned.status()}`);
    const request = assigned.request();
    check(
      (await request.headerValue('x-csrf-token')) !== null,
      'the assign request carried no X-CSRF-Token',
    );
    const sent = JSON.parse(request.postData() ?? '{}');
    check(sent.main_handler === specialist.username, `main_handler sent: ${sent.main_handler}`);
    check(sent.due_date === dueIso, `due_date sent: ${sent.due_date}, not ${dueIso}`);
    const body = await assigned.json();
    check(body.state === 'assigned', `the answer's state is ${body.state}`);
    await page.getByText('Đã giao xử lý', { exact: true }).first().waitFor({ state: 'visible' });
    await assignDialog.waitFor({ state: 'hidden' });
    await assignButton.waitFor({ state: 'hidden' });
    await processingRow(main, 'Trạng thái xử lý')
      .getByText('Chờ xử lý', { exact: true })
      .waitFor({ state: 'visible' });
    await processingRow(main, 'Xử lý chính')
      .getByText(specialist.fullName, { exact: true })
      .waitFor({ state: 'visible' });
    await processingRow(main, 'Hạn xử lý')
      .getByText(dueShown, { exact: true })
      .first()
      .waitFor({ state: 'visible' });
    return screenshot(page, 'chi-tiet-da-giao.png');
  });

  await step('f. the leader signs out', async () => {
    const answer = answerTo(page, 'DELETE', '/session');
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
    const out = await answer;
    check(out.status() === 204 || out.status() === 200, `DELETE session answered ${out.status()}`);
    await page.getByRole('heading', { name: 'Đăng nhập', exact: true }).waitFor();
  });
  await page.context().close();

  // The specialist -------------------------------------------------------------
  const page2 = await openPage(browser);
  const main2 = page2.getByRole('main');
  const taskLink = page2.getByRole('link', { name: subject, exact: true });
  const tasksTable = page2.getByRole('table', { name: 'Việc của tôi', exact: true });
  const startButton = main2.getByRole('button', { name: 'Bắt đầu xử lý', exact: true });
  const finishButton = main2.getByRole('button', { name: 'Hoàn thành', exact: true });
  const finishDialog = page2.getByRole('dialog', { name: 'Hoàn thành xử lý', exact: true });

  await step('g. the specialist signs in: "Việc của tôi", no "Văn bản đến"', async () => {
    const session = await signIn(page2, specialist, ['specialist', 'head']);
    const menu = page2.getByRole('navigation', { name: 'Chức năng', exact: true });
    await menu.getByRole('menuitem', { name: 'Việc của tôi', exact: true }).waitFor();
    check(
      (await menu.getByRole('menuitem', { name: 'Văn bản đến', exact: true }).count()) === 0,
      'the specialist\'s menu offers "Văn bản đến"',
    );
    return ` (${session.user.role})`;
  });

  await step('h. "Việc của tôi" lists the document to handle, with its due date', async () => {
    const answer = answerTo(page2, 'GET', '/tasks');
    await page2.getByRole('menuitem', { name: 'Việc của tôi', exact: true }).click();
    const listed = await answer;
    check(listed.status() === 200, `GET tasks answered ${listed.status()}`);
    check(
      new URL(listed.url()).searchParams.get('state') === 'open',
      'the list did not ask for state=open',
    );
    await page2.getByRole('heading', { name: 'Việc của tôi', exact: true }).waitFor();
    await tasksTable.waitFor({ state: 'visible' });
    const row = tasksTable.getByRole('row').filter({ has: taskLink });
    await row.waitFor({ state: 'visible' });
    for (const text of ['Xử lý chính', 'Chờ xử lý', dueShown]) {
      await row.getByText(text, { exact: true }).waitFor({ state: 'visible' });
    }
    const shot = await screenshot(page2, 'viec-cua-toi.png');
    // On a phone the same list is a column of cards.
    await page2.setViewportSize(PHONE);
    await page2
      .getByRole('list', { name: 'Việc của tôi', exact: true })
      .getByRole('link', { name: subject, exact: true })
      .waitFor({ state: 'visible' });
    await page2.setViewportSize(DESKTOP);
    await tasksTable.waitFor({ state: 'visible' });
    return shot;
  });

  await step('i. the document opens as a task with "Bắt đầu xử lý"', async () => {
    const answer = answerTo(page2, 'GET', /\/tasks\/\d+$/);
    await tasksTable.locator(taskLink).click();
    const detail = await answer;
    check(detail.status() === 200, `GET the task answered ${detail.status()}`);
    check(/#\/tasks\/\d+$/.test(page2.url()), `the address ${page2.url()} names no task`);
    await main2.getByText(subject, { exact: true }).waitFor({ state: 'visible' });
    await processingRow(main2, 'Trạng thái xử lý')
      .getByText('Chờ xử lý', { exact: true })
      .waitFor({ state: 'visible' });
    await startButton.waitFor({ state: 'visible' });
  });

  await step('j. "Bắt đầu xử lý" moves the work to "Đang xử lý"', async () => {
    const answer = answerTo(page2, 'POST', /\/tasks\/\d+\/start$/);
    await startButton.click();
    const started = await answer;
    check(started.status() === 200, `POST start answered ${started.status()}`);
    check((await started.json())?.state === 'in_progress', 'the answer is not in_progress');
    await processingRow(main2, 'Trạng thái xử lý')
      .getByText('Đang xử lý', { exact: true })
      .waitFor({ state: 'visible' });
    await startButton.waitFor({ state: 'hidden' });
    await finishButton.waitFor({ state: 'visible' });
  });

  const comment = 'Đang tổng hợp số liệu.\nDự kiến xong trước hạn.';
  await step('j2. "Gửi ý kiến" adds the comment to "Ý kiến xử lý" with the author', async () => {
    const thread = main2.getByRole('region', { name: 'Ý kiến xử lý', exact: true });
    await thread.getByText('Chưa có ý kiến nào', { exact: true }).waitFor({ state: 'visible' });
    await thread.getByLabel('Ý kiến của bạn', { exact: true }).fill(comment);
    const answer = answerTo(page2, 'POST', /\/tasks\/\d+\/comments$/);
    await thread.getByRole('button', { name: 'Gửi ý kiến', exact: true }).click();
    const written = await answer;
    check(written.status() === 201, `POST comments answered ${written.status()}`);
    check(
      JSON.parse(written.request().postData() ?? '{}').body === comment,
      'the comment request did not carry the text as typed',
    );
    const listed = thread.getByRole('list', { name: 'Các ý kiến xử lý', exact: true });
    await listed.getByText(specialist.fullName, { exact: true }).waitFor({ state: 'visible' });
    await listed.getByText(/Đang tổng hợp số liệu/).waitFor({ state: 'visible' });
    check(
      (await thread.getByLabel('Ý kiến của bạn', { exact: true }).inputValue()) === '',
      'the comment box was not emptied',
    );
  });

  const draftName = 'Dự thảo văn bản trả lời.pdf';
  await step('j3. "Tải tệp lên" attaches a PDF to "Tệp dự thảo / hồ sơ xử lý"', async () => {
    const card = main2.getByRole('region', { name: 'Tệp dự thảo / hồ sơ xử lý', exact: true });
    await card.getByText('Chưa có tệp nào', { exact: true }).waitFor({ state: 'visible' });
    const uploaded = answerTo(page2, 'POST', /\/uploads$/);
    const attached = answerTo(page2, 'POST', /\/tasks\/\d+\/files$/);
    await card.locator('input[type=file]').setInputFiles({
      name: draftName,
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'),
    });
    const upload = await uploaded;
    check(upload.status() === 201, `POST uploads answered ${upload.status()}`);
    const attach = await attached;
    check(attach.status() === 201, `POST files answered ${attach.status()}`);
    await card
      .getByRole('link', { name: `Mở tệp ${draftName}`, exact: true })
      .waitFor({ state: 'visible' });
  });

  const result = 'Đã nghiên cứu và tham mưu văn bản trả lời.\nĐã báo cáo lãnh đạo.';
  await step('k. "Hoàn thành" with a result says "Đã hoàn thành"', async () => {
    await finishButton.click();
    await finishDialog.waitFor({ state: 'visible' });
    await finishDialog.getByLabel('Kết quả xử lý', { exact: true }).fill(result);
    const answer = answerTo(page2, 'POST', /\/tasks\/\d+\/finish$/);
    await finishDialog.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
    const finished = await answer;
    check(finished.status() === 200, `POST finish answered ${finished.status()}`);
    check(
      JSON.parse(finished.request().postData() ?? '{}').result === result,
      'the finish request did not carry the result as typed',
    );
    await page2.getByText('Đã hoàn thành', { exact: true }).first().waitFor({ state: 'visible' });
    await finishDialog.waitFor({ state: 'hidden' });
    await processingRow(main2, 'Trạng thái xử lý')
      .getByText('Hoàn thành', { exact: true })
      .waitFor({ state: 'visible' });
    await processingRow(main2, 'Kết quả xử lý')
      .getByText(/Đã nghiên cứu và tham mưu/)
      .waitFor({ state: 'visible' });
    await finishButton.waitFor({ state: 'hidden' });
    return screenshot(page2, 'hoan-thanh.png');
  });

});
