// The real-window harness: a virtual display (Xvfb), tauri-driver in front of WebKitWebDriver, and
// the debug build of the desktop app with the UI built in (target/debug/desktop, custom-protocol).
//
// One Xvfb serves a whole test file. Each test gets its own tauri-driver and so its own data
// directory: the app inherits TRACEDESK_DATA_DIR from the driver's environment. Restarting the app
// is ending the WebDriver session and starting a new one against the same driver.
//
// Long-running children are started in their own process group (`detached: true` is setsid(2))
// and stopped by group, in `after` hooks that run even when a test fails, and at process exit.

import { after, before } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const HERE = import.meta.dirname;
export const ROOT = path.resolve(HERE, '../..');
export const APPLICATION = path.resolve(process.env.TRACEDESK_APP ?? path.join(ROOT, 'target/debug/desktop'));
export const OUTPUT = path.join(HERE, 'output');

const DRIVER_PORT = 4444;
const NATIVE_PORT = 4445;
const SCREEN = '1400x900x24';
export const WINDOW_TITLE = '追溯通';
/** The first render of a cold WebKit process can be slow on 2 cores. */
export const FIRST_RENDER_MS = 30_000;

/** Process groups still running, stopped on exit whatever happened. */
const groups = new Set();
process.on('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    groups.delete(child?.pid);
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child.pid, 'SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(resolve, 5_000, 'timeout');
  });
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    killGroup(child.pid, 'SIGKILL');
    await exited;
  }
  clearTimeout(timer);
  // Children of the leader (WebKitWebDriver, the app) share the group; make sure none is left.
  killGroup(child.pid, 'SIGKILL');
  groups.delete(child.pid);
}

function startGroup(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  groups.add(child.pid);
  child.once('exit', () => groups.delete(child.pid));
  return child;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port nobody listens on right now, chosen by the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: process exited with ${child.exitCode}`);
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

function which(command, fallbacks = []) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (fs.existsSync(candidate)) return candidate;
  }
  return fallbacks.find((candidate) => fs.existsSync(candidate));
}

/** Starts Xvfb on a free display (Xvfb picks it and writes the number to fd 3). */
async function startXvfb(logFile) {
  const log = fs.openSync(logFile, 'a');
  const child = startGroup('Xvfb', ['-displayfd', '3', '-screen', '0', SCREEN, '-nolisten', 'tcp'], {
    stdio: ['ignore', log, log, 'pipe'],
  });
  const display = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 10 s')), 10_000);
    child.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}; see ${logFile}`));
    });
  });
  fs.closeSync(log);
  return { child, display };
}

let xvfb;

/**
 * Registers the file-level hooks and returns `desktop(t)`, which a test calls to get its own
 * driver, data directory and screenshot folder.
 */
export function realWindow() {
  const drivers = new Set();

  before(async () => {
    if (!fs.existsSync(APPLICATION)) {
      throw new Error(`${APPLICATION} is missing: build it with \`make desktop\` (UI built in, custom-protocol)`);
    }
    fs.mkdirSync(OUTPUT, { recursive: true });
    xvfb ??= await startXvfb(path.join(OUTPUT, 'xvfb.log'));
  });

  after(async () => {
    for (const driver of drivers) await driver.stop();
    if (xvfb) await stopGroup(xvfb.child);
    xvfb = undefined;
  });

  return async function desktop(t) {
    const driver = await Desktop.start(t.name, xvfb.display);
    drivers.add(driver);
    t.after(async () => {
      await driver.stop();
      drivers.delete(driver);
    });
    return driver;
  };
}

/** One test's view of the app: its data directory, a driver, and the current WebDriver session. */
class Desktop {
  static async start(testName, display) {
    const slug = testName.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80);
    const outDir = path.join(OUTPUT, slug);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedesk-e2e-'));
    const dataDir = path.join(home, 'data');

    // tauri-driver's default ports, unless something else (another suite, a developer's driver)
    // holds them already.
    const port = (await portOpen(DRIVER_PORT)) ? await freePort() : DRIVER_PORT;
    const nativePort = (await portOpen(NATIVE_PORT)) ? await freePort() : NATIVE_PORT;
    const tauriDriver = which('tauri-driver', [path.join(os.homedir(), '.cargo/bin/tauri-driver')]);
    if (!tauriDriver) throw new Error('tauri-driver not found: run `make deps`');
    const nativeDriver = which('WebKitWebDriver', ['/usr/bin/WebKitWebDriver']);
    if (!nativeDriver) throw new Error('WebKitWebDriver not found: install webkit2gtk-driver (`make deps`)');

    const env = { ...process.env };
    delete env.WAYLAND_DISPLAY;
    Object.assign(env, {
      DISPLAY: display,
      GDK_BACKEND: 'x11',
      TRACEDESK_DATA_DIR: dataDir,
      // The window asks for updates when it opens: never the real release server from a test.
      // A spec that serves a manifest sets this itself (specs/updates.test.mjs).
      TRACEDESK_UPDATE_URL: process.env.TRACEDESK_UPDATE_URL ?? 'http://127.0.0.1:9/latest.json',
      // Window state, WebKit caches and the like stay inside the test's own folder.
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_DATA_HOME: path.join(home, 'share'),
      XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(home, 'run-')),
      // No session bus: the single-instance plugin then starts normally instead of handing over
      // to a tracedesk the developer may have open.
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, 'no-bus')}`,
    });
    const log = fs.openSync(path.join(outDir, 'tauri-driver.log'), 'a');
    const child = startGroup(
      tauriDriver,
      ['--port', String(port), '--native-port', String(nativePort), '--native-driver', nativeDriver],
      { env, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    await waitFor('tauri-driver', () => portOpen(port), 15_000, child);
    return new Desktop({ child, port, home, dataDir, outDir });
  }

  constructor({ child, port, home, dataDir, outDir }) {
    this.child = child;
    this.port = port;
    this.home = home;
    this.dataDir = dataDir;
    this.outDir = outDir;
    this.browser = undefined;
    this.step = 0;
  }

  /** Starts the app (a new WebDriver session) and returns the webdriverio browser. */
  async launch() {
    if (this.browser) throw new Error('the app is already running; use restart()');
    this.browser = await remote({
      hostname: '127.0.0.1',
      port: this.port,
      logLevel: 'error',
      connectionRetryTimeout: 120_000,
      connectionRetryCount: 0,
      // Exactly this, and nothing else: WebKitWebDriver refuses sessions that name a browser.
      capabilities: { 'tauri:options': { application: APPLICATION } },
    });
    return this.browser;
  }

  /** Ends the session, which closes the app. */
  async quit() {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await browser.deleteSession().catch(() => {});
  }

  /** Closes the app and opens it again on the same data directory. */
  async restart() {
    await this.quit();
    return this.launch();
  }

  /** `[data-testid=…]` in the current session. */
  $(testId) {
    return this.browser.$(`[data-testid="${testId}"]`);
  }

  /**
   * Saves a screenshot as output/<test>/<NN-name>.png. WebKitWebDriver's own screenshot is used
   * when it shows something; a blank one (seen with some compositing modes under Xvfb) is replaced
   * by a capture of the X window itself.
   */
  async shot(name) {
    this.step += 1;
    const file = path.join(this.outDir, `${String(this.step).padStart(2, '0')}-${name}.png`);
    try {
      // Let WebKit paint what the DOM already holds: two animation frames after the last change.
      await this.browser
        .executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))
        .catch(() => {});
      await this.browser.saveScreenshot(file);
    } catch (error) {
      fs.rmSync(file, { force: true });
      console.warn(`webdriver screenshot failed (${error.message}); capturing the X window instead`);
    }
    if (!fs.existsSync(file) || isBlank(file)) {
      // The X window paints a little after the DOM settles.
      await sleep(1_000);
      await captureWindow(file);
    }
    return file;
  }

  async stop() {
    // The window as the test left it: on a failure, this is the picture that explains it.
    if (this.browser) await this.shot('last').catch(() => {});
    await this.quit();
    await stopGroup(this.child);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

function isBlank(file) {
  try {
    const deviation = execFileSync('identify', ['-format', '%[fx:standard_deviation]', file], { encoding: 'utf8' });
    return Number(deviation) < 0.002;
  } catch {
    return false;
  }
}

/**
 * Captures the app's X window with ImageMagick. The window paints a moment after the DOM is ready,
 * so a blank capture is retried for a few seconds.
 */
export async function captureWindow(file) {
  const display = xvfb?.display;
  const env = { ...process.env, DISPLAY: display };
  const ids = execFileSync('xdotool', ['search', '--onlyvisible', '--name', WINDOW_TITLE], { env, encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) throw new Error(`no visible window named ${WINDOW_TITLE} on ${display}`);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    execFileSync('import', ['-window', ids.at(-1), file], { env });
    if (!isBlank(file)) return;
    await sleep(250);
  }
}

/** Clears a React-controlled input the way a person does (select all, delete), then types. */
export async function retype(browser, element, text) {
  await element.click();
  await browser.keys(['Control', 'a']);
  await browser.keys(['Backspace']);
  if (text) await element.addValue(text);
}

/**
 * Goes through the first-run wizard as a clerk would: the enterprise (`name`, `uscc` and, when
 * given, `address`, `contact`, `phone`), GS1 with `granularity` (`product`, `batch` or `item`),
 * and the practice platform; returns once the main window shows.
 */
export async function finishWizard(app, browser, { name, uscc, address, contact, phone, granularity = 'batch' }) {
  const wait = { timeout: 20_000 };
  await app.$('wizard').waitForDisplayed({ timeout: FIRST_RENDER_MS });
  await retype(browser, app.$('enterprise-name'), name);
  await retype(browser, app.$('enterprise-uscc'), uscc);
  if (address) await retype(browser, app.$('enterprise-address'), address);
  if (contact) await retype(browser, app.$('enterprise-contact'), contact);
  if (phone) await retype(browser, app.$('enterprise-phone'), phone);
  await app.$('wizard-next').click();
  await app.$('scheme-gs1').waitForDisplayed(wait);
  await app.$('scheme-gs1').click();
  await app.$(`granularity-${granularity}`).click();
  await app.$('wizard-next').click();
  await app.$('platform-practice').waitForDisplayed(wait);
  await app.$('wizard-finish').click();
  await app.$('main-layout').waitForDisplayed(wait);
}

/**
 * True when an option (antd Radio, Card-like choice, or a native input) is chosen, whichever way
 * the component shows it.
 */
export async function isChosen(browser, element) {
  const resolved = await element;
  return browser.execute((el) => {
    const input = el.matches('input') ? el : el.querySelector('input[type=radio],input[type=checkbox]');
    if (input) return input.checked;
    if (el.getAttribute('aria-checked') === 'true' || el.getAttribute('aria-selected') === 'true') return true;
    return /(^|[-\s])(checked|selected|active)(\s|$)/.test(el.className) || !!el.closest('[class*=checked]');
  }, resolved);
}

/** Writes `statements` into the SQLite database at `dbPath` (the rows a clerk's entry would leave). */
export function sql(dbPath, statements) {
  execFileSync('python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1], timeout=10)\nc.executescript(sys.argv[2])\nc.commit()', dbPath, statements]);
}

/** A product, a supplier, a customer (its USCC or NULL), a receipt, a batch that used it and a shipment. */
export function oneOfEach(customerUscc) {
  return `
INSERT INTO product (id, name, model, gtin, scheme, granularity) VALUES (1, '示例储水式电热水器', 'DSZF-60', '06901234567892', 'gs1', 'batch');
INSERT INTO party (id, kind, name, uscc) VALUES (1, 'supplier', '苏州示例线缆材料有限公司', '91320500MA1GYH0A7F');
INSERT INTO party (id, kind, name, uscc) VALUES (2, 'customer', '深圳示例商贸有限公司', ${customerUscc ? `'${customerUscc}'` : 'NULL'});
INSERT INTO receipt (id, supplier_id, material, spec, supplier_lot, quantity, unit, received_on, inspection_result, report_no)
  VALUES (1, 1, '电源线组件', 'H05VV-F', 'S240701', 2000, '个', '2025-07-14', 'pass', 'JY-01');
INSERT INTO batch (id, product_id, lot_no, produced_on, quantity, unit, inspection_result, inspector)
  VALUES (1, 1, 'B20250715-01', '2025-07-15', 500, '台', 'pass', '陈质检');
INSERT INTO batch_input (batch_id, receipt_id, quantity) VALUES (1, 1, 500);
INSERT INTO shipment (id, customer_id, shipped_on, delivery_note_no) VALUES (1, 2, '2025-07-16', 'CK-20250716-003');
INSERT INTO shipment_line (shipment_id, batch_id, quantity) VALUES (1, 1, 200);
`;
}

/** The enterprise every submission spec registers in the wizard. */
export const FUZHOU = {
  name: '福州示例电器有限公司',
  uscc: '91350100MA2TRACE2N',
  address: '福建省福州市鼓楼区示例路1号',
  contact: '林示例',
  phone: '0591-88880000',
};

let dialogShots = 0;

/**
 * Answers the native file dialog titled `title` (a GTK file chooser that the Rust shell opened)
 * with `file`, as a person would: focus the dialog, Ctrl+L for the location field of an "open"
 * dialog (`save: true`: Ctrl+A in the name field of a "save as" dialog, which takes a full path
 * too), type the full path, Enter. WebDriver only reaches the web page, so the dialog is driven
 * through the X server with xdotool (`make deps` installs it). Resolves once the dialog has closed.
 * `file` must be ASCII: xdotool cannot type CJK text into GTK under Xvfb.
 */
export async function answerFileDialog(title, file, { save = false, timeoutMs = 20_000 } = {}) {
  if (/[^\x20-\x7e]/.test(file)) {
    throw new Error(`xdotool cannot type ${file} into the file dialog: give the test file an ASCII path`);
  }
  const env = { ...process.env, DISPLAY: xvfb?.display };
  const xdotool = (...args) => execFileSync('xdotool', args, { env, encoding: 'utf8' }).trim();
  const find = () => {
    try {
      return xdotool('search', '--onlyvisible', '--name', title).split('\n').filter(Boolean);
    } catch {
      return []; // xdotool exits 1 when nothing matches
    }
  };
  const deadline = Date.now() + timeoutMs;
  let ids = find();
  while (ids.length === 0) {
    if (Date.now() > deadline) throw new Error(`no file dialog titled “${title}” within ${timeoutMs} ms`);
    await sleep(200);
    ids = find();
  }
  const dialog = ids.at(-1);
  // Let GTK finish mapping and filling the chooser before it gets keys (there is no window
  // manager under Xvfb, so focus is set directly).
  await sleep(700);
  xdotool('windowfocus', '--sync', dialog);
  xdotool('key', '--clearmodifiers', save ? 'ctrl+a' : 'ctrl+l');
  await sleep(300);
  xdotool('type', '--delay', '30', file);
  await sleep(300);
  // What was typed, as the dialog shows it: the picture that explains a failure.
  dialogShots += 1;
  execFileSync('import', ['-window', dialog, path.join(OUTPUT, `file-dialog-${dialogShots}.png`)], { env });
  xdotool('key', 'Return');
  while (find().length > 0) {
    if (Date.now() > deadline) throw new Error(`the file dialog “${title}” did not close after choosing ${file}`);
    await sleep(200);
  }
}
