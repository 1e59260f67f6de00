// 报送 in the real window, in practice mode: the checklist names a shipment whose customer has no
// USCC, the built-in platform legitimately rejects it (E_REQUIRED /payload/customer/uscc), the
// clerk fixes the customer and resubmits, the archive verifies and a report is exported.
//
// The records are written into the test's database with Python's sqlite3 between two launches
// (the entry screens are another feature's); the fix of the customer is made the same way. Both
// are the rows a clerk's entry would leave.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, FUZHOU, finishWizard, oneOfEach, realWindow, sql } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };



async function text(app, id) {
  return (await app.$(id).getText()).trim();
}

test('practice submission: rejected for a missing customer USCC, fixed, resubmitted, archived and reported', async (t) => {
  const app = await desktop(t);
  let browser = await app.launch();
  await finishWizard(app, browser, FUZHOU);
  await app.quit();
  const db = path.join(app.dataDir, 'tracedesk.sqlite3');
  sql(db, oneOfEach(null));

  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.$('nav-submission').click();
  await app.$('screen-submission').waitForDisplayed(WAIT);
  const summary = app.$('submission-checklist-summary');
  await summary.waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await summary.getText()).includes('待报送 5 条'), { ...WAIT, timeoutMsg: 'five records to report' });
  const problem = app.$('submission-problem');
  assert.match(await problem.getText(), /深圳示例商贸有限公司.*缺少统一社会信用代码/);
  await app.shot('checklist');

  await app.$('submission-start').click();
  const result = app.$('submission-summary');
  await result.waitForDisplayed({ timeout: 60_000 });
  assert.match(await result.getText(), /本次接收 4 条，拒收 1 条/);
  const reason = app.$('submission-reject-reason');
  await reason.waitForDisplayed(WAIT);
  assert.match(await reason.getText(), /E_REQUIRED.*customer\/uscc/);
  await app.shot('rejected');

  // Click-to-fix opens the customer's screen.
  await app.$('submission-problem-fix').click();
  await app.$('screen-parties').waitForDisplayed(WAIT);
  await app.shot('fix-opens-parties');

  // The clerk adds the customer's USCC (the parties form's row, written directly here).
  await app.quit();
  sql(db, "UPDATE party SET uscc = '91440300MA5KH0N116' WHERE id = 2;");
  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.$('nav-submission').click();
  await app.$('submission-checklist-summary').waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await text(app, 'submission-checklist-summary')).includes('待报送 1 条，其中 1 条信息完整'), {
    ...WAIT,
    timeoutMsg: 'the fixed shipment is the one record to report',
  });
  await app.$('submission-start').click();
  await app.$('submission-summary').waitForDisplayed({ timeout: 60_000 });
  assert.match(await text(app, 'submission-summary'), /本次接收 1 条，拒收 0 条/);
  await browser.waitUntil(async () => (await text(app, 'submission-counts')).includes('已接收 5'), { ...WAIT, timeoutMsg: 'five accepted' });
  await app.shot('resubmitted');

  await app.$('nav-archive').click();
  await app.$('screen-archive').waitForDisplayed(WAIT);
  await app.$('archive-verify').click();
  const verified = app.$('archive-verify-result');
  await verified.waitForDisplayed(WAIT);
  assert.match(await verified.getText(), /档案完好/);
  await app.$('archive-export-report').click();
  const exported = app.$('archive-exported');
  await exported.waitForDisplayed(WAIT);
  const shown = await exported.getText();
  const file = shown.match(/(\/\S+\.xlsx)/)?.[1];
  assert.ok(file && fs.existsSync(file), `the report was written: ${shown}`);
  assert.ok(fs.statSync(file).size > 3000);
  await app.shot('archive-and-report');
});
