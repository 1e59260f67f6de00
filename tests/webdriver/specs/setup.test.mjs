// First start: the setup wizard in the real window, and what the app remembers after a restart.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { FIRST_RENDER_MS, isChosen, realWindow, retype } from '../harness.mjs';

const desktop = realWindow();

const NAME = '杭州追溯示范制造有限公司';
// The check character of this USCC is L; N is the typo the wizard has to catch.
const USCC_WRONG_CHECK = '91110000600037341N';
const USCC_VALID = '91110000600037341L';
const WAIT = { timeout: 10_000 };

test('wizard rejects a bad USCC in Chinese, then saves and is remembered after restart', async (t) => {
  const app = await desktop(t);
  const browser = await app.launch();

  const wizard = app.$('wizard');
  await wizard.waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.shot('wizard');

  await retype(browser, app.$('enterprise-name'), NAME);
  await retype(browser, app.$('enterprise-uscc'), USCC_WRONG_CHECK);
  const message = app.$('enterprise-uscc-message');
  await message.waitForDisplayed(WAIT);
  await browser.waitUntil(async () => (await message.getText()).includes('校验码应为“L”'), {
    ...WAIT,
    timeoutMsg: 'the USCC message should say the check character should be L',
  });
  await app.shot('uscc-wrong-check-character');

  await retype(browser, app.$('enterprise-uscc'), USCC_VALID);
  await browser.waitUntil(async () => !(await message.isDisplayed()) || !(await message.getText()).includes('校验码应为'), {
    ...WAIT,
    timeoutMsg: 'the check-character message should go away once the USCC is valid',
  });
  await app.shot('uscc-valid');
  await app.$('wizard-next').click();

  await app.$('scheme-gs1').waitForDisplayed(WAIT);
  await app.$('scheme-gs1').click();
  await app.$('granularity-batch').click();
  await app.shot('coding');
  await app.$('wizard-next').click();

  const practice = app.$('platform-practice');
  await practice.waitForDisplayed(WAIT);
  assert.equal(await isChosen(browser, practice), true, 'practice mode is the default platform choice');
  await app.shot('platform');
  await app.$('wizard-finish').click();

  await app.$('main-layout').waitForDisplayed({ timeout: 20_000 });
  const header = app.$('header-enterprise-name');
  await browser.waitUntil(async () => (await header.getText()).includes(NAME), {
    ...WAIT,
    timeoutMsg: 'the header shows the enterprise name just saved',
  });
  await app.shot('main-layout');

  // A new process on the same data: straight to the main layout, no wizard.
  await app.restart();
  await app.$('main-layout').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  assert.equal(await app.$('wizard').isExisting(), false, 'the wizard must not come back after setup');
  assert.match(await app.$('header-enterprise-name').getText(), new RegExp(NAME));
  await app.shot('after-restart');

  await app.$('nav-settings').click();
  const dbPath = app.$('settings-db-path');
  await dbPath.waitForDisplayed(WAIT);
  const shown = (await dbPath.getText()).trim();
  assert.ok(
    path.resolve(shown).startsWith(app.dataDir + path.sep),
    `settings should show the database inside the test's data dir ${app.dataDir}, got ${shown}`,
  );
  await app.shot('settings');
});
