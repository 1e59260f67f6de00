// Updates against a release manifest served on 127.0.0.1, signed with a key made for this run by
// the Tauri CLI (`tauri signer`), the same tool that signs real releases. The debug build trusts
// that key through TRACEDESK_UPDATE_PUBKEY; a release build trusts only the key compiled into it.
// The window finds the new version when it opens, shows its notes in 设置, downloads the package
// and verifies its signature; a package altered after signing is refused and nothing is kept.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, finishWizard, realWindow } from '../harness.mjs';

const desktop = realWindow();
const TAURI = path.join(ROOT, 'ui/node_modules/.bin/tauri');
const NOTES = '新增：标签打印机（ZPL/TSPL）\n修复：大文件导入更快\nNew: label printers';

let server;
let serving = 'good';
const files = {};

before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedesk-update-'));
  const key = path.join(dir, 'release.key');
  execFileSync(TAURI, ['signer', 'generate', '--ci', '-p', '', '-w', key], { stdio: 'ignore' });
  const pkg = path.join(dir, 'tracedesk_99.0.0_amd64.AppImage');
  fs.writeFileSync(pkg, Buffer.from(`tracedesk 99.0.0 package ${Date.now()}\n`.repeat(4096)));
  execFileSync(TAURI, ['signer', 'sign', '-f', key, '-p', '', pkg], { stdio: 'ignore' });
  files.good = fs.readFileSync(pkg);
  files.tampered = Buffer.from(files.good);
  files.tampered[100] ^= 0x01;
  const signature = fs.readFileSync(`${pkg}.sig`, 'utf8');

  server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.url === '/latest.json') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          version: '99.0.0',
          notes: NOTES,
          pub_date: '2026-12-01T08:00:00Z',
          platforms: { 'linux-x86_64': { signature, url: `${base}/package` } },
        }),
      );
    } else if (req.url === '/package') {
      res.end(files[serving]);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.TRACEDESK_UPDATE_URL = `http://127.0.0.1:${server.address().port}/latest.json`;
  process.env.TRACEDESK_UPDATE_PUBKEY = fs.readFileSync(`${key}.pub`, 'utf8').trim();
});

after(() => {
  delete process.env.TRACEDESK_UPDATE_URL;
  delete process.env.TRACEDESK_UPDATE_PUBKEY;
  server?.close();
});

test('a signed update is found on start, its notes shown, downloaded and verified; a tampered one is refused', async (t) => {
  const app = await desktop(t);
  const browser = await app.launch();
  await finishWizard(app, browser, { name: '宁波示例燃气具有限公司', uscc: '91110000600037341L' });

  // The window asked when it opened: the header names the new version.
  const tag = app.$('header-update-tag');
  await tag.waitForDisplayed({ timeout: 20_000 });
  assert.match(await tag.getText(), /新版本 99\.0\.0/);

  await tag.click();
  await app.$('screen-settings').waitForDisplayed({ timeout: 10_000 });
  await app.$('update-check').scrollIntoView();
  await app.$('update-check').click();
  await app.$('update-offer').waitForDisplayed({ timeout: 20_000 });
  assert.equal(await app.$('update-version').getText(), '99.0.0');
  const notes = await app.$('update-notes').getText();
  assert.match(notes, /新增：标签打印机/);
  assert.match(notes, /New: label printers/);

  serving = 'good';
  await app.$('update-download').click();
  const ready = app.$('update-ready');
  await ready.waitForDisplayed({ timeout: 30_000 });
  assert.match(await ready.getText(), /已下载 99\.0\.0.*签名验证通过/s);
  // A build run from the checkout is not an installed package: it is never overwritten.
  assert.match(await ready.getText(), /不是通过安装包安装的/);
  assert.equal(await app.$('update-install').isExisting(), false);
  await app.$('settings-update').scrollIntoView();
  await app.shot('update-verified');

  // The same release, but the package was altered after signing.
  serving = 'tampered';
  await app.$('update-check').click();
  await app.$('update-download').waitForDisplayed({ timeout: 20_000 });
  await app.$('update-download').click();
  const error = app.$('update-error');
  await error.waitForDisplayed({ timeout: 30_000 });
  const text = await error.getText();
  assert.match(text, /签名无效，已拒绝安装/);
  assert.match(text, /当前版本和数据均未改变/);
  assert.equal(await app.$('update-ready').isExisting(), false);
  await app.$('settings-update').scrollIntoView();
  await app.shot('update-tampered-refused');
});
