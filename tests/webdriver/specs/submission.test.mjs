// 报送 in the real window, in practice mode: the checklist names a shipment whose customer has no
// USCC, the built-in platform legitimately rejects it (E_REQUIRED /payload/customer/uscc), the
// clerk fixes the customer and resubmits, the archive verifies and a report is exported.
//
// The records are written into the test's database with Python's sqlite3 between two launches
// (the entry screens are another feature's); the fix of the customer is made the same way. Both
// are the rows a clerk's entry would leave.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, finishWizard, realWindow } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };

function sql(dbPath, statements) {
  execFileSync('python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()', dbPath, statements]);
}

const SEED = `
INSERT INTO product (id, name, model, gtin, scheme, granularity) VALUES (1, '示例储水式电热水器', 'DSZF-60', '06901234567892', 'gs1', 'batch');
INSERT INTO party (id, kind, name, uscc) VALUES (1, 'supplier', '苏州示例线缆材料有限公司', '91320500MA1GYH0A7F');
INSERT INTO party (id, kind, name, uscc) VALUES (2, 'customer', '深圳示例商贸有限公司', NULL);
INSERT INTO receipt (id, supplier_id, material, spec, supplier_lot, quantity, unit, received_on, inspection_result, report_no)
  VALUES (1, 1, '电源线组件', 'H05VV-F', 'S240701', 2000, '个', '2025-07-14', 'pass', 'JY-01');
INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit, inspection_result, inspector)
  VALUES (1, 1, 'B20250715-01', '2025-07-15', 500, '台', 'pass', '陈质检');
INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (1, 1, 500);
INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no) VALUES (1, 2, '2025-07-16', 'CK-20250716-003');
INSERT INTO shipment_line (shipment_id, batch_id, quantity) VALUES (1, 1, 200);
`;

async function text(app, id) {
  return (await app.$(id).getText()).trim();
}

test('practice submission: rejected for a missing customer USCC, fixed, resubmitted, archived and reported', async (t) => {
  const app = await desktop(t);
  let browser = await app.launch();
  await finishWizard(app, browser, {
    name: '福州示例电器有限公司',
    uscc: '91350100MA2TRACE2N',
    address: '福建省福州市鼓楼区示例路1号',
    contact: '林示例',
    phone: '0591-88880000',
  });
  await app.quit();
  const db = path.join(app.dataDir, 'tracedesk.sqlite3');
  sql(db, SEED);

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
