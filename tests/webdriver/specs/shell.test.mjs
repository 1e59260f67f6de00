// The desktop shell trusts the page as little as it can. In the real window: the Content Security
// Policy of the built app lets no injected script run (no inline <script>, no inline handler, no
// eval, no connection to anything but Tauri's IPC) while Ant Design's runtime styles still apply;
// and the page cannot reach a dialog, file or opener command of its own, name a path to read, or
// have a file outside the data directory opened.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_RENDER_MS, realWindow } from '../harness.mjs';

const desktop = realWindow();

test('the built window runs under a strict CSP: no injected script, no eval, IPC only', async (t) => {
  const app = await desktop(t);
  const browser = await app.launch();
  await app.$('wizard').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await app.shot('first-run');

  const seen = await browser.executeAsync((done) => {
    const out = { violations: [] };
    document.addEventListener('securitypolicyviolation', (e) =>
      out.violations.push(e.effectiveDirective || e.violatedDirective),
    );
    try {
      out.eval = String(window.eval('6 * 7'));
    } catch (e) {
      out.eval = e.name;
    }
    try {
      out.newFunction = String(new Function('return 42')());
    } catch (e) {
      out.newFunction = e.name;
    }
    window.__inlineRan = false;
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.head.appendChild(script);
    window.__handlerRan = false;
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__handlerRan = true');
    img.src = 'data:image/png;base64,AAAA';
    document.body.appendChild(img);
    fetch('http://127.0.0.1:9/steal').then(
      () => (out.fetch = 'sent'),
      () => (out.fetch = 'refused'),
    );
    setTimeout(() => {
      out.inlineRan = window.__inlineRan;
      out.handlerRan = window.__handlerRan;
      img.remove();
      script.remove();
      // Ant Design's CSS-in-JS <style> elements, and a button that got its styles from them.
      out.styleElements = document.querySelectorAll('style').length;
      const next = document.querySelector('[data-testid="wizard-next"]');
      out.buttonRadius = next ? getComputedStyle(next).borderTopLeftRadius : null;
      done(out);
    }, 1_000);
  });

  assert.equal(seen.eval, 'EvalError', 'eval is refused');
  assert.equal(seen.newFunction, 'EvalError', 'new Function is refused');
  assert.equal(seen.inlineRan, false, 'an injected inline <script> does not run');
  assert.equal(seen.handlerRan, false, 'an inline event handler does not run');
  assert.equal(seen.fetch, 'refused', 'a connection outside the IPC origins is refused');
  assert.ok(seen.violations.includes('script-src') || seen.violations.includes('script-src-elem'), `violations: ${seen.violations}`);
  assert.ok(seen.violations.includes('connect-src'), `violations: ${seen.violations}`);
  assert.ok(seen.styleElements > 0, 'runtime styles are allowed');
  assert.ok(seen.buttonRadius && seen.buttonRadius !== '0px', `the antd button is styled (radius ${seen.buttonRadius})`);
});

test('the page cannot open dialogs or files itself, nor name a path to any command', async (t) => {
  const app = await desktop(t);
  const browser = await app.launch();
  await app.$('wizard').waitForDisplayed({ timeout: FIRST_RENDER_MS });

  const answers = await browser.executeAsync((done) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const attempt = (cmd, args) =>
      invoke(cmd, args).then(
        () => 'allowed',
        (e) => (typeof e === 'string' ? e : JSON.stringify(e)),
      );
    const cases = {
      dialogPlugin: ['plugin:dialog|open', { options: {} }],
      openerPlugin: ['plugin:opener|open_path', { path: '/etc/passwd' }],
      fsPlugin: ['plugin:fs|read_text_file', { path: '/etc/passwd' }],
      madeUpToken: ['import_open', { source: 'f00000000000000000000000000000000' }],
      pathAsToken: ['import_open', { source: '/etc/passwd' }],
      pathArgument: ['import_open', { path: '/etc/passwd' }],
      restoreOutside: ['restore_backup', { path: '/etc/passwd' }],
      openOutside: ['open_file', { path: '/etc/passwd' }],
      openDotDot: ['open_file', { path: '/tmp/../etc/passwd' }],
    };
    Promise.all(Object.entries(cases).map(([k, [cmd, args]]) => attempt(cmd, args).then((r) => [k, r]))).then((r) =>
      done(Object.fromEntries(r)),
    );
  });

  for (const [what, answer] of Object.entries(answers)) {
    assert.notEqual(answer, 'allowed', `${what} must be refused`);
  }
  assert.match(answers.madeUpToken, /重新选择文件/);
  assert.match(answers.pathAsToken, /重新选择文件/);
  assert.match(answers.openOutside, /只能打开数据目录/);
  assert.match(answers.openOutside, /data directory/);
  assert.match(answers.openDotDot, /只能打开数据目录/);
  assert.match(answers.restoreOutside, /数据目录/);
});
