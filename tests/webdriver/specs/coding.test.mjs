// 赋码 in the real window: a GS1 一物一码 product with one batch; the screen previews the ledger's
// next codes and a GS1 DataMatrix label, generates 1,000 codes into the data folder's exports/
// with a progress bar, continues the serials afterwards, and the 码检查 box shows a wrong check
// digit with its AI and position. The label printer dialog saves the 1,000 labels as a TSPL job.
//
// The product and batch are written into the test's database with Python's sqlite3 between two
// launches (the product and production screens are another feature's): the rows a clerk's entry
// would leave.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, finishWizard, realWindow, retype } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };
const GTIN = '06901234567892';
const LOT = 'B20250715-01';

function sql(dbPath, statements) {
  execFileSync('python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()', dbPath, statements]);
}

const SEED = `
INSERT INTO product (id, name, model, gtin, scheme, granularity) VALUES (1, '家用燃气灶', 'JZT-2Q1', '${GTIN}', 'gs1', 'item');
INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit, inspection_result, inspector)
  VALUES (1, 1, '${LOT}', '2025-07-15', 1000, '台', 'pass', '陈质检');
`;

async function textOf(app, id) {
  return (await app.$(id).getText()).trim();
}

test('coding: preview a label, generate 1,000 item codes with progress, check a scanned code', async (t) => {
  const app = await desktop(t);
  let browser = await app.launch();
  await finishWizard(app, browser, { name: '宁波示例燃气具有限公司', uscc: '91110000600037341L', granularity: 'item' });
  await app.quit();
  sql(path.join(app.dataDir, 'tracedesk.sqlite3'), SEED);

  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.$('nav-coding').click();
  await app.$('screen-coding').waitForDisplayed(WAIT);

  const preview = app.$('coding-preview');
  await preview.waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await preview.getText()).includes(`(01)${GTIN}(10)${LOT}(21)00000001`), {
    ...WAIT,
    timeoutMsg: 'the preview shows the ledger’s first serial',
  });
  const label = app.$('label-preview');
  await label.waitForDisplayed(WAIT);
  assert.match(await label.getText(), /家用燃气灶/);
  const scanned = await textOf(app, 'label-scanned-as');
  assert.ok(scanned.includes(`]d201${GTIN}10${LOT}<GS>2100000001`), `a scanner reads the DataMatrix as GS1 data: ${scanned}`);
  const image = await app.$('label-preview-image');
  await browser.waitUntil(async () => (await browser.execute((el) => el.naturalWidth, image)) > 0, {
    ...WAIT,
    timeoutMsg: 'the label SVG renders',
  });
  await app.shot('preview-datamatrix');

  const countField = app.$('coding-count');
  const countInput = (await countField.getTagName()) === 'input' ? countField : countField.$('input');
  await retype(browser, countInput, '1000');
  await app.$('coding-generate').click();
  const result = app.$('coding-result');
  await result.waitForDisplayed({ timeout: 60_000 });
  const resultText = await result.getText();
  assert.match(resultText, /已生成 1,000 个码/);
  assert.ok(resultText.includes(`(21)00001000`), resultText);
  const saved = /保存在 (\S+\.csv)/.exec(resultText)?.[1];
  assert.ok(saved && saved.startsWith(path.join(app.dataDir, 'exports')), `the list is in the data folder: ${saved}`);
  const lines = fs.readFileSync(saved, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'code');
  assert.equal(lines.length, 1001);
  assert.equal(lines[1], `(01)${GTIN}(10)${LOT}(21)00000001`);
  await browser.waitUntil(async () => (await preview.getText()).includes('(21)00001001'), {
    ...WAIT,
    timeoutMsg: 'after generating, the preview continues after the issued range',
  });
  await app.shot('generated');

  // The label printer dialog: the built-in TSPL profile, the 1,000 labels saved as a TSPL job in
  // the data folder (no printer is installed here), each serial in its own DMATRIX command.
  await app.$('coding-label-printer').click();
  const dialog = app.$('print-dialog');
  await dialog.waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await app.$('print-name').getValue()) === 'TSPL 203dpi 50×30', {
    ...WAIT,
    timeoutMsg: 'the dialog starts on the built-in TSPL profile',
  });
  await app.$('print-go').click();
  const printed = app.$('print-result');
  await printed.waitForDisplayed({ timeout: 60_000 });
  const job = /已保存 1000 张标签：(\S+\.tspl)/.exec(await printed.getText())?.[1];
  assert.ok(job && job.startsWith(path.join(app.dataDir, 'exports')), `the job is in the data folder: ${job}`);
  const tspl = fs.readFileSync(job, 'latin1');
  assert.match(tspl, /^SIZE 50 mm,30 mm/m);
  assert.equal((tspl.match(/^DMATRIX /gm) ?? []).length, 1000, 'one DataMatrix per label');
  assert.ok(tspl.includes('00001000'), 'the last serial is printed');
  await app.shot('label-printer-job');
  await browser.$('.ant-modal-close').click();
  // WebKitWebDriver still reports the closed dialog's inner element as displayed: ask the page.
  await browser.waitUntil(
    () =>
      browser.execute(() =>
        [...document.querySelectorAll('.ant-modal-wrap')].every((w) => getComputedStyle(w).display === 'none'),
      ),
    { ...WAIT, timeoutMsg: 'the label printer dialog closes' },
  );

  // The same code as a GS1 QR Code.
  await app.$('label-symbology').$('label*=二维码').click();
  await browser.waitUntil(async () => (await textOf(app, 'label-scanned-as')).includes(']Q3'), {
    ...WAIT,
    timeoutMsg: 'the QR label is GS1 QR (]Q3)',
  });
  await app.shot('preview-qr');

  // The 码检查 box: a wrong check digit in (01).
  const input = app.$('code-check-input');
  await retype(browser, input, `(01)06901234567893(10)${LOT}(21)00000002`);
  await browser.keys(['Enter']);
  const verdict = app.$('code-check-verdict');
  await verdict.waitForDisplayed(WAIT);
  assert.equal((await verdict.getText()).trim(), '无效');
  const ai = await textOf(app, 'code-check-problem-ai');
  assert.equal(ai, '(01)');
  assert.match(await textOf(app, 'code-check-problem'), /第 18 位/);
  await app.shot('code-check');
});
