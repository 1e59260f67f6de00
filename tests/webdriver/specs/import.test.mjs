// Importing a messy real-world ledger in the real window: the header under a title and a note,
// 序号 ignored, two unknown suppliers offered for creation, an impossible date fixed in the grid,
// an all-or-nothing commit, the summary, and undo.
//
// The ledger is made here: a CSV written by this script, turned into an .xlsx by LibreOffice
// (`soffice --convert-to xlsx`, installed by `make deps`) the way a clerk's WPS/Excel file would be.
// Without soffice the CSV itself is imported (the importer reads CSV as well) and a note says so.
// The file is chosen in the real native dialog (GTK, opened by the Rust shell), driven through
// the X server with xdotool: the wizard has no path field, and the page never sees a path it
// could hand back.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, answerFileDialog, finishWizard, realWindow, retype } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };

const LEDGER = [
  ['2025年3月 原料进货查验台账'],
  ['说明：仓库每日填写，月底交质量部'],
  ['序号', '进货日期', '供应商', '原料名称', '规格', '供应商批号', '数量（kg）', '单位', '检验结果', '备注'],
  ['1', '2025-03-03', '宁波钢材有限公司', '冷轧钢板', '1.0mm', 'GB2503-01', '1200', 'kg', '合格', ''],
  ['2', '2025-03-04', '宁波钢材有限公司', '冷轧钢板', '1.2mm', 'GB2503-02', '1500', '千克', '合 格', '夜班到货'],
  ['3', '2025-03-05', '慈溪铜业有限公司', '黄铜棒', 'H59', 'CX-0305', '300', 'kg', '合格', ''],
  ['4', '2025-02-30', '慈溪铜业有限公司', '黄铜棒', 'H62', 'CX-0306', '200', 'kg', '不合格', ''],
  ['5', '2025-03-07', '宁波钢材有限公司', '镀锌板', '', 'GB2503-07', '800', 'kg', 'PASS', ''],
];

function csvText(rows) {
  const quote = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\ufeff${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Writes the ledger and returns the path to import: an .xlsx made by LibreOffice, else the CSV.
 * The file gets an ASCII name (its sheet keeps the Chinese one): xdotool cannot type CJK text
 * into the GTK file dialog under Xvfb.
 */
function makeLedger(dir) {
  const ledger = ledgerFile(dir);
  const ascii = path.join(dir, `ledger-2025-03${path.extname(ledger)}`);
  fs.renameSync(ledger, ascii);
  return ascii;
}

function ledgerFile(dir) {
  const csv = path.join(dir, '2025年3月进货台账.csv');
  fs.writeFileSync(csv, csvText(LEDGER));
  const soffice = which('soffice');
  if (!soffice) {
    console.warn('soffice is not on PATH: importing the CSV instead of an .xlsx (apt-get install libreoffice-calc-nogui)');
    return csv;
  }
  // Every cell as text (column format 2), UTF-8 (76), comma-separated: what the clerk typed.
  const columns = LEDGER[2].map((_, i) => `${i + 1}/2`).join('/');
  execFileSync(
    soffice,
    [
      `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
      '--headless',
      `--infilter=CSV:44,34,76,1,${columns}`,
      '--convert-to',
      'xlsx',
      '--outdir',
      dir,
      csv,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  );
  const xlsx = csv.replace(/\.csv$/, '.xlsx');
  assert.ok(fs.existsSync(xlsx), 'LibreOffice wrote the .xlsx');
  return xlsx;
}

async function text(app, testId) {
  return (await app.$(testId).getText()).trim();
}

test('a messy ledger is imported end to end: header found, problem fixed, committed, undone', async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedesk-import-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const ledger = makeLedger(work);

  const app = await desktop(t);
  const browser = await app.launch();
  await finishWizard(app, browser, { name: '宁波追溯示范电器有限公司', uscc: '91110000600037341L' });

  await app.$('nav-import').click();
  await app.$('import-drop-zone').waitForDisplayed(WAIT);
  await app.shot('import-start');

  // 1. The file, chosen in the native dialog; the wizard has no path field.
  assert.equal(await app.$('import-path-input').isExisting(), false, 'no free path field');
  await app.$('import-choose-file').click();
  await answerFileDialog('选择要导入的表格文件', ledger);
  await app.$('import-step-sheet').waitForDisplayed(WAIT);
  assert.match(await text(app, 'import-file-info'), /ledger-2025-03/);
  await app.$('import-kind-receipt').click();
  await app.shot('sheet');

  // 2. The header row: found under the merged title and the note.
  await app.$('import-next').click();
  await app.$('import-step-header').waitForDisplayed(WAIT);
  assert.match(await text(app, 'import-header-detected'), /第 3 行/);
  await app.shot('header-row');

  // 3. The mapping: 序号 is a row counter, the rest matched.
  await app.$('import-next').click();
  await app.$('import-step-mapping').waitForDisplayed(WAIT);
  assert.match(await text(app, 'import-mapping-counter-A'), /忽略（行号）/);
  await app.shot('mapping');

  // 4. The problems: two unknown suppliers and the impossible date of row 7.
  await app.$('import-next').click();
  await app.$('import-grid').waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await text(app, 'import-count-invalid')).includes('5'), {
    ...WAIT,
    timeoutMsg: 'all five rows name an unregistered supplier',
  });
  assert.match(await text(app, 'import-unknown'), /慈溪铜业有限公司/);
  const row7 = app.$('import-row-problems-7');
  await row7.waitForDisplayed(WAIT);
  assert.match(await row7.getText(), /2025-02-30/);
  await app.shot('problems');

  // The problem report, saved where the clerk says in the native "save as" dialog.
  const report = path.join(work, 'problems.xlsx');
  await app.$('import-export-problems').click();
  await answerFileDialog('保存问题清单', report, { save: true });
  await browser.waitUntil(async () => fs.existsSync(report), {
    ...WAIT,
    timeoutMsg: `the problem report is written where the dialog said: ${report}`,
  });

  // Fix the date in the grid.
  await app.$('import-cell-7-received_on').click();
  const input = app.$('import-cell-input-7-received_on');
  await input.waitForDisplayed(WAIT);
  await retype(browser, input, '2025-02-28');
  await browser.keys(['Enter']);
  await browser.waitUntil(async () => !(await app.$('import-row-problems-7').getText()).includes('2025-02-30'), {
    ...WAIT,
    timeoutMsg: 'the fixed row is checked again and the date problem is gone',
  });
  assert.match(await text(app, 'import-count-edited'), /1/);

  // Create the suppliers on commit.
  await app.$('import-create-missing').click();
  await browser.waitUntil(async () => (await text(app, 'import-count-invalid')).endsWith('0'), {
    ...WAIT,
    timeoutMsg: 'with creation on, no row has an error left',
  });
  await app.shot('problems-fixed');

  // 5. Commit, all or nothing.
  await app.$('import-next').click();
  await app.$('import-step-commit').waitForDisplayed(WAIT);
  assert.match(await text(app, 'import-commit-summary'), /将新增 5 条记录/);
  await app.shot('commit');
  await app.$('import-commit').click();

  // 6. The summary, then undo.
  await app.$('import-done').waitForDisplayed(WAIT);
  assert.match(await text(app, 'import-done-title'), /导入完成：新增 5 条记录/);
  assert.match(await text(app, 'import-created'), /往来单位 2/);
  await app.shot('done');

  await app.$('import-undo').click();
  await app.$('import-undo-ok').waitForDisplayed(WAIT);
  await app.$('import-undo-ok').click();
  await app.$('import-undone-tag').waitForDisplayed(WAIT);
  await app.shot('undone');

  // The history on the first step shows the run as undone.
  await app.$('import-another').click();
  await app.$('import-history').waitForDisplayed(WAIT);
  assert.match(await app.$('import-run-1').getText(), /已撤销/);
  await app.shot('history');
});
