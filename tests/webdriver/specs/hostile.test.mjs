// Untrusted text in the real window. A good spreadsheet can carry hostile text: names holding
// HTML and script, a `javascript:` URL as a remark, bidi overrides (U+202E) and a 10,000-character
// cell. The data directory is seeded by the real CLI (`tracedesk import … --create-missing`, the
// same TRACEDESK_DATA_DIR the window uses) before the window opens; then every screen that shows
// those names is walked: lists and their detail drawers, trace and recall, the dashboard, the
// submission checklist and the archive. On each, the test asserts that no script ran
// (`window.__pwned` stays undefined, `window.alert` was never called), that no element carries
// an event-handler attribute or a `javascript:` link, and that the long cell does not widen the
// page beyond the window. The exports those screens write into `<data dir>/exports/` are then
// read back (python3's zipfile): no formula cell, and no text cell that a spreadsheet could run.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, FUZHOU, ROOT, finishWizard, realWindow } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };
const CLI = path.resolve(process.env.TRACEDESK_CLI ?? path.join(ROOT, 'target/debug/tracedesk'));

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const JS_URL = 'javascript:alert(1)';
const BIDI = '\u202Egnp.exe 阀门'; // an override left open, as a spoofer would
const LINK = '=HYPERLINK("http://x","y")';
const LONG = '长'.repeat(9_990) + 'END-OF-CELL';

/** One CSV field, quoted as RFC 4180 wants. */
function field(value) {
  return `"${String(value).replaceAll('"', '""')}"`;
}

function csv(rows) {
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Runs the real CLI against the window's data directory. */
function cli(app, args) {
  return execFileSync(CLI, ['--json', ...args], {
    env: { ...process.env, TRACEDESK_DATA_DIR: app.dataDir, TRACEDESK_NO_KEYCHAIN: '1' },
    encoding: 'utf8',
  });
}

function importSheet(app, kind, rows) {
  const file = path.join(app.home, `${kind}.csv`);
  fs.writeFileSync(file, csv(rows));
  cli(app, ['import', file, '--kind', kind, '--create-missing']);
}

/** What the page must never show: a script that ran, an alert, a handler or a javascript: link. */
async function assertInert(app, browser, where) {
  const state = await browser.execute(() => ({
    pwned: typeof window.__pwned,
    alerts: window.__alerts ?? [],
    handlers: [...document.querySelectorAll('*')]
      .filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
      .map((el) => el.outerHTML.slice(0, 120)),
    jsLinks: [...document.querySelectorAll('[href],[src]')]
      .map((el) => el.getAttribute('href') ?? el.getAttribute('src'))
      .filter((v) => /^\s*javascript:/i.test(v ?? '')),
    injected: document.querySelectorAll('img[src="x"], script:not([src]):not([type="module"])').length,
    pageWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
  }));
  assert.equal(state.pwned, 'undefined', `${where}: a script from the data ran (window.__pwned set)`);
  assert.deepEqual(state.alerts, [], `${where}: an alert was opened`);
  assert.deepEqual(state.handlers, [], `${where}: an element carries an event handler from the data`);
  assert.deepEqual(state.jsLinks, [], `${where}: a javascript: link`);
  assert.equal(state.injected, 0, `${where}: the data became an element`);
  assert.ok(
    state.pageWidth <= state.windowWidth + 1,
    `${where}: the page is ${state.pageWidth}px wide in a ${state.windowWidth}px window`,
  );
  await app.shot(where);
}

/** Fails on any window.alert/confirm/prompt, whichever code calls it. */
async function watchAlerts(browser) {
  await browser.execute(() => {
    window.__alerts = [];
    for (const name of ['alert', 'confirm', 'prompt']) {
      window[name] = (text) => {
        window.__alerts.push(`${name}: ${text}`);
      };
    }
  });
}

/** Every xlsx file in `dir`: formula cells and text cells a spreadsheet could run. */
function formulaProblems(files) {
  const script = `
import html, re, sys, zipfile
bad = []
for p in sys.argv[1:]:
    z = zipfile.ZipFile(p)
    for n in z.namelist():
        if not (n.startswith('xl/worksheets/') or n == 'xl/sharedStrings.xml') or not n.endswith('.xml'):
            continue
        x = z.read(n).decode('utf-8')
        if re.search(r'<f[ >]', x):
            bad.append(p + ' ' + n + ': a formula cell')
        for t in re.findall(r'<t(?: [^>]*)?>(.*?)</t>', x, re.S):
            t = html.unescape(t)
            if t[:1] in ('=', '+', '-', '@', '\\t', '\\r', '\\uff1d', '\\uff0b', '\\uff0d', '\\uff20'):
                bad.append(p + ' ' + n + ': ' + repr(t[:40]))
print('\\n'.join(bad))
`;
  return execFileSync('python3', ['-c', script, ...files], { encoding: 'utf8' }).trim();
}

async function openScreen(app, key) {
  await app.$(`nav-${key}`).click();
  await app.$(`screen-${key}`).waitForDisplayed(WAIT);
}

/** Opens the first row's drawer of the list on the current screen, checks it, closes it. */
async function openFirstRow(app, browser, screen, where) {
  const row = browser.$(`[data-testid="screen-${screen}"] [data-testid$="-row"]`);
  await row.waitForDisplayed(WAIT);
  await assertInert(app, browser, `${where}-list`);
  await row.click();
  await browser.pause(800);
  await assertInert(app, browser, `${where}-drawer`);
  await browser.keys(['Escape']);
  await browser.pause(400);
}

/** Clicks the screen's list export and waits for its done message. */
async function exportList(app, browser, screen) {
  const button = browser.$(`[data-testid="screen-${screen}"] [data-testid$="-export"]`);
  await button.waitForDisplayed(WAIT);
  const id = await button.getAttribute('data-testid');
  await button.click();
  await app.$(`${id}-done`).waitForDisplayed(WAIT);
}

test('hostile text from a good spreadsheet stays text on every screen and in every export', async (t) => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it with \`cargo build -p cli\``);
  const app = await desktop(t);
  let browser = await app.launch();
  await finishWizard(app, browser, FUZHOU);
  await app.quit();

  // The sheets, imported by the real CLI into the window's data directory.
  importSheet(app, 'product', [
    ['产品名称', '规格型号', '品牌', '执行标准'],
    [IMG, 'M-1', SCRIPT, JS_URL],
    [LINK, BIDI, 'B', LONG],
  ]);
  importSheet(app, 'receipt', [
    ['进货日期', '供应商', '原料名称', '规格', '供应商批号', '数量', '单位', '检验结果', '备注'],
    ['2025-07-14', SCRIPT, IMG, BIDI, 'L1', '100', '个', '合格', JS_URL],
    ['2025-07-14', IMG, LONG, 'S', 'L2', '50', '个', '合格', LONG],
  ]);
  importSheet(app, 'batch', [
    ['产品名称', '生产批号', '生产日期', '数量', '单位', '消耗原料批号', '出厂检验结果', '检验员'],
    [IMG, 'B1', '2025-07-15', '80', '台', 'L1', '合格', SCRIPT],
  ]);
  importSheet(app, 'shipment', [
    ['发货日期', '客户', '出库单号', '产品名称', '生产批号', '数量', '单位'],
    ['2025-07-16', LINK, 'CK-1', IMG, 'B1', '30', '台'],
  ]);
  const listed = JSON.parse(cli(app, ['trace', 'L1']));
  assert.ok(JSON.stringify(listed).includes('B1'), 'the CLI sees the imported batch');

  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await watchAlerts(browser);
  await assertInert(app, browser, 'dashboard');

  for (const screen of ['products', 'parties', 'receipts', 'production', 'shipments']) {
    await openScreen(app, screen);
    await openFirstRow(app, browser, screen, screen);
    await exportList(app, browser, screen);
  }

  // Trace and recall from the hostile material lot.
  await openScreen(app, 'trace');
  await app.$('trace-query').click();
  await browser.keys([...'L1', 'Enter']);
  await app.$('trace-root').waitForDisplayed(WAIT);
  await app.$('trace-graph').waitForDisplayed(WAIT);
  await assertInert(app, browser, 'trace');
  await app.$('trace-export').click();
  await app.$('trace-export-done').waitForDisplayed(WAIT);
  await app.$('trace-recall').click();
  await app.$('recall-panel').waitForDisplayed(WAIT);
  await app.$('recall-customers').waitForDisplayed(WAIT);
  await assertInert(app, browser, 'recall');
  await app.$('recall-export').click();
  await app.$('recall-export-done').waitForDisplayed(WAIT);
  await browser.keys(['Escape']);

  // The submission checklist names the records; a practice run archives them.
  await openScreen(app, 'submission');
  await app.$('submission-checklist-summary').waitForDisplayed(WAIT);
  await assertInert(app, browser, 'submission');
  await app.$('submission-start').click();
  await app.$('submission-summary').waitForDisplayed({ timeout: 60_000 });
  await assertInert(app, browser, 'submission-done');

  await openScreen(app, 'archive');
  await app.$('archive-table').waitForDisplayed(WAIT);
  await assertInert(app, browser, 'archive');
  for (const id of ['archive-export-report', 'archive-export-upload']) {
    await app.$(id).click();
    await app.$('archive-exported').waitForDisplayed(WAIT);
    await browser.pause(500);
  }
  await openScreen(app, 'dashboard');
  await assertInert(app, browser, 'dashboard-after');

  // Every workbook those screens wrote stays text.
  const exports = path.join(app.dataDir, 'exports');
  const files = fs
    .readdirSync(exports)
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => path.join(exports, f));
  assert.ok(files.length >= 8, `lists, trace, recall, report and upload workbook: ${files.join(', ')}`);
  assert.equal(formulaProblems(files), '', 'no export holds a formula or formula-like text');
  const all = execFileSync('python3', ['-c', 'import sys,zipfile\nfor p in sys.argv[1:]:\n z=zipfile.ZipFile(p)\n print(z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else "")', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(all.includes("'=HYPERLINK"), 'the formula-like name is exported, as text with a leading apostrophe');
  assert.ok(all.includes('&lt;script&gt;'), 'the script-like name is exported as plain text');
});
