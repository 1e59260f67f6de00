// Practice first, then the real platform, in the real window. The clerk reports everything to the
// practice platform; the screen says plainly that those results do not count. The IT admin points
// tracedesk at the real platform (here: the simulator started as a separate process on its own
// port, configured with `tracedesk platform set` and `tracedesk secret`), and the next run sends
// every record again, to the real one. Then the platform goes away: a receipt entered meanwhile is
// submitted, the run waits offline, the clerk corrects the receipt during the wait, the platform
// comes back, and the corrected content reaches it in the same run.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { test } from 'node:test';
import { FIRST_RENDER_MS, FUZHOU, ROOT, finishWizard, oneOfEach, realWindow, sql } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };
const CLI = path.join(ROOT, 'target/debug/tracedesk');



/** Starts `tracedesk simulator` on `port` (0: any) keeping its records in `store`; resolves its URL. */
function startPlatform(port, store) {
  const child = spawn(CLI, ['--json', 'simulator', '--port', String(port), '--store', store], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    lines.once('line', (line) => {
      try {
        resolve({ child, url: JSON.parse(line).url });
      } catch {
        reject(new Error(`the simulator did not start: ${line}`));
      }
    });
  });
}

function stop(platform) {
  try {
    process.kill(-platform.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function records(url) {
  const r = await fetch(`${url}/__simulator/records`);
  return (await r.json()).records.map((x) => x.record ?? x);
}

async function text(app, id) {
  return (await app.$(id).getText()).trim();
}

async function submitAndWait(app, browser, pattern, timeout = 90_000) {
  await app.$('submission-start').click();
  const result = app.$('submission-summary');
  await result.waitForDisplayed({ timeout });
  await browser.waitUntil(async () => pattern.test(await result.getText()), { timeout, timeoutMsg: `summary matches ${pattern}` });
}

test('practice results do not count: the real platform gets everything, and an edit made while offline reaches it', async (t) => {
  const app = await desktop(t);
  // The real platform keeps its records beside the test's data, so a restart finds them again.
  fs.mkdirSync(app.dataDir, { recursive: true });
  const store = path.join(app.dataDir, 'real-platform.jsonl');
  let platform = await startPlatform(0, store);
  t.after(() => stop(platform));

  let browser = await app.launch();
  await finishWizard(app, browser, FUZHOU);
  await app.quit();
  const db = path.join(app.dataDir, 'tracedesk.sqlite3');
  sql(db, oneOfEach('91440300MA5KH0N116'));

  // 1. Practice: everything accepted, and the screen says it does not count.
  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.$('nav-submission').click();
  await app.$('submission-target').waitForDisplayed(WAIT);
  assert.match(await text(app, 'submission-target'), /练习平台：接收结果不计入正式报送/);
  await submitAndWait(app, browser, /本次接收 5 条，拒收 0 条/);
  await app.shot('practice-accepted');
  await app.quit();

  // 2. Go live: the admin configures the real platform on the command line.
  const baseUrl = `${platform.url}/api/v1`;
  execFileSync(CLI, ['--db', db, 'platform', 'set', '--url', baseUrl, '--app-key', 'practice']);
  execFileSync(CLI, ['--db', db, 'secret'], { input: 'practice-secret' });
  browser = await app.launch();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.$('nav-submission').click();
  await app.$('submission-target').waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await text(app, 'submission-target')).includes('正式平台'), { ...WAIT, timeoutMsg: 'the real platform is named' });
  await browser.waitUntil(async () => (await text(app, 'submission-counts')).includes('已接收 0'), { ...WAIT, timeoutMsg: 'nothing accepted by the real platform yet' });
  await browser.waitUntil(async () => (await text(app, 'submission-checklist-summary')).includes('待报送 5 条'), { ...WAIT, timeoutMsg: 'every record is to be sent again' });
  await app.shot('real-platform-pending');
  await submitAndWait(app, browser, /本次接收 5 条，拒收 0 条/);
  assert.equal((await records(platform.url)).length, 5, 'the real platform received every record');
  await app.shot('real-platform-accepted');

  // 3. The platform goes away. A receipt entered meanwhile is submitted; the run waits offline.
  stop(platform);
  sql(
    db,
    `INSERT INTO receipt (id, supplier_id, material, spec, supplier_lot, quantity, unit, received_on, inspection_result, report_no)
       VALUES (2, 1, '温控器', 'KSD301', 'S240702', 100, '个', '2025-07-17', 'pass', 'JY-02');`,
  );
  await app.$('submission-refresh').click();
  await app.$('submission-start').click();
  await browser.pause(3_000);
  await app.shot('offline-wait');
  // The clerk corrects the quantity during the wait, then the platform comes back on its port.
  sql(db, 'UPDATE receipt SET quantity = 150 WHERE id = 2;');
  const port = new URL(platform.url).port;
  platform = await startPlatform(port, store);
  const summary = app.$('submission-summary');
  await summary.waitForDisplayed({ timeout: 120_000 });
  await browser.waitUntil(async () => /全部记录已有平台答复/.test(await summary.getText()), { timeout: 120_000, timeoutMsg: 'the run finished' });
  const received = await records(platform.url);
  const lot = received.filter((r) => r.kind === 'receiving' && r.payload.material.lot === 'S240702');
  assert.ok(lot.length >= 1, 'the receipt entered offline reached the platform');
  assert.equal(lot.at(-1).payload.material.quantity, '150', 'its corrected quantity reached the platform');
  await app.shot('edit-reached-platform');
});
