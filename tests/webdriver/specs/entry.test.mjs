// Daily entry, trace and recall in the real window, keyboard only inside the forms: a product,
// two material receipts (two lots), a production batch consuming both lots (one beyond what was
// received: a warning, not a refusal), a shipment filled by scanning the batch's GS1 code, then
// the trace of the delivery note back to both supplier lots, a recall drill from one lot and its
// xlsx export. Screenshots of every step stay in output/<test>/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { finishWizard, realWindow } from '../harness.mjs';

const desktop = realWindow();
const WAIT = { timeout: 20_000 };
const GTIN = '6901234567892';

/** The data-testid of the focused element, or of its nearest ancestor that has one. */
function focused(browser) {
  return browser.execute(() => {
    let el = document.activeElement;
    while (el && !(el.getAttribute && el.getAttribute('data-testid'))) el = el.parentElement;
    return el ? el.getAttribute('data-testid') : null;
  });
}

async function expectFocus(browser, testId) {
  await browser.waitUntil(async () => (await focused(browser)) === testId, {
    timeout: 8_000,
    timeoutMsg: `the cursor should be in ${testId}, it is in ${await focused(browser)}`,
  });
}

/** Types into whatever has the focus (the keyboard, not a click, put it there). */
async function typeHere(browser, text) {
  const active = await browser.getActiveElement();
  await (await browser.$(active)).addValue(text);
}

const press = (browser, ...keys) => browser.keys(keys);

/** Types `text` into the focused field, checks it is `testId`, and presses Enter. */
async function field(browser, testId, text) {
  await expectFocus(browser, testId);
  if (text) await typeHere(browser, text);
  await press(browser, 'Enter');
}

async function waitText(app, browser, testId, pattern) {
  const el = app.$(testId);
  await el.waitForDisplayed(WAIT);
  await browser.waitUntil(async () => pattern.test(await el.getText()), {
    ...WAIT,
    timeoutMsg: `${testId} should match ${pattern}, shows ${await el.getText().catch(() => '?')}`,
  });
  return el.getText();
}

/** Esc closes the form; when the focused field shows its suggestion list, the first Esc closes the list. */
async function closeDrawer(app, browser, testId) {
  const closed = async () => !(await app.$(testId).isExisting()) || !(await app.$(testId).isDisplayed());
  await press(browser, 'Escape');
  await browser.waitUntil(closed, { timeout: 1_500 }).catch(() => press(browser, 'Escape'));
  await browser.waitUntil(closed, { ...WAIT, timeoutMsg: `Esc should close ${testId}` });
}

async function openScreen(app, browser, key, newRecord) {
  await app.$(`nav-${key}`).click();
  await app.$(`screen-${key}`).waitForDisplayed(WAIT);
  if (newRecord) {
    await press(browser, 'Alt', 'n');
  }
}

test('keyboard entry of receipts, a batch and a shipment, then trace and a recall drill', async (t) => {
  const app = await desktop(t);
  const browser = await app.launch();
  await finishWizard(app, browser, { name: '宁波示例燃气具有限公司', uscc: '91310115MA1K3BTP2B' });

  // 产品: a wrong GTIN check digit is named, then corrected.
  await openScreen(app, browser, 'products', true);
  await field(browser, 'product-name', '家用燃气灶');
  await field(browser, 'product-model', 'JZT-2Q1');
  await expectFocus(browser, 'product-category');
  await typeHere(browser, '家用燃气');
  await browser.$('.ant-select-item-option').waitForDisplayed(WAIT);
  await press(browser, 'Enter');
  await field(browser, 'product-brand', '示例');
  await field(browser, 'product-standard', 'GB 16410-2020');
  await expectFocus(browser, 'product-gtin');
  await typeHere(browser, '6901234567893');
  await waitText(app, browser, 'product-gtin-message', /校验位应为 2/);
  await app.shot('product-gtin-check-digit');
  await press(browser, 'Control', 'a');
  await typeHere(browser, GTIN);
  await waitText(app, browser, 'product-gtin-ok', /GTIN-13 校验通过/);
  await press(browser, 'Control', 's');
  await waitText(app, browser, 'products-count', /共 1 条/);
  await closeDrawer(app, browser, 'product-save');
  await app.shot('products');

  // 进货查验: two lots, one after the other in the same form.
  await openScreen(app, browser, 'receipts', true);
  const receipts = [
    ['宁波示例阀门有限公司', '燃气阀', 'DN15', 'L-A1', '500', '个', 'IQC-001'],
    ['杭州示例五金有限公司', '不锈钢面板', '0.8mm', 'L-B1', '200', 'kg', 'IQC-002'],
  ];
  for (const [i, [supplier, material, spec, lot, quantity, unit, report]] of receipts.entries()) {
    await field(browser, 'receipt-supplier', supplier);
    await field(browser, 'receipt-material', material);
    await field(browser, 'receipt-spec', spec);
    await field(browser, 'receipt-lot', lot);
    await field(browser, 'receipt-quantity', quantity);
    await field(browser, 'receipt-unit', unit);
    await field(browser, 'receipt-date', '');
    await field(browser, 'receipt-inspection', '');
    await field(browser, 'receipt-report', report);
    if (i === 0) {
      await waitText(app, browser, 'receipt-supplier-message', /新供应商“宁波示例阀门有限公司”/);
      await app.shot('receipt-first-lot');
    }
    await press(browser, 'Control', 's');
    await waitText(app, browser, 'receipts-count', new RegExp(`共 ${i + 1} 条`));
  }
  await closeDrawer(app, browser, 'receipt-save');
  await app.shot('receipts');

  // 生产: a batch consuming both lots; 250 kg of a 200 kg lot is a warning with the balance.
  await openScreen(app, browser, 'production', true);
  await expectFocus(browser, 'batch-product');
  await typeHere(browser, '家用燃气灶');
  await browser.$('.ant-select-item-option').waitForDisplayed(WAIT);
  await press(browser, 'Enter');
  await expectFocus(browser, 'batch-lot-no');
  await browser.waitUntil(async () => /^B\d{8}-1$/.test(await app.$('batch-lot-no').getValue()), {
    ...WAIT,
    timeoutMsg: 'the lot number is suggested from the pattern',
  });
  const batchLot = await app.$('batch-lot-no').getValue();
  await press(browser, 'Enter');
  await field(browser, 'batch-date', '');
  await field(browser, 'batch-quantity', '100');
  await field(browser, 'batch-unit', '台');
  for (const [i, lot, used] of [
    [0, 'L-A1', '60'],
    [1, 'L-B1', '250'],
  ]) {
    await expectFocus(browser, `batch-lot-${i}`);
    await typeHere(browser, lot);
    await browser.$(`.lot-option*=${lot}`).waitForDisplayed(WAIT);
    await press(browser, 'Enter');
    await field(browser, `batch-lot-quantity-${i}`, used);
  }
  await waitText(app, browser, 'batch-lot-quantity-1-message', /超出原料批次 L-B1 的剩余数量：到货 200 kg，已用 0 kg，剩余 200 kg，本次 250 kg/);
  await waitText(app, browser, 'batch-lot-balance-0', /剩余 440 个/);
  await app.shot('batch-over-consumption-warning');
  await field(browser, 'batch-lot-2', '');
  await field(browser, 'batch-inspection', '');
  await field(browser, 'batch-inspector', '赵强');
  await field(browser, 'batch-report', 'FQC-001');
  await expectFocus(browser, 'batch-save');
  await press(browser, 'Control', 's');
  await waitText(app, browser, 'production-count', /共 1 条/);
  await closeDrawer(app, browser, 'batch-save');
  await app.shot('production');

  // 销售出库: the batch comes from scanning its GS1 code; the quantity is typed.
  await openScreen(app, browser, 'shipments', true);
  await field(browser, 'shipment-customer', '上海示例厨电销售有限公司');
  await field(browser, 'shipment-date', '');
  await expectFocus(browser, 'shipment-note-no');
  await browser.waitUntil(async () => /^D\d{8}-001$/.test(await app.$('shipment-note-no').getValue()), WAIT);
  const note = await app.$('shipment-note-no').getValue();
  await press(browser, 'Enter');
  await field(browser, 'shipment-scan', `(01)0${GTIN}(10)${batchLot}`);
  await field(browser, 'shipment-quantity-0', '30');
  await waitText(app, browser, 'shipment-balance-0', /本单后可发 70 台/);
  await app.shot('shipment-scanned');
  await field(browser, 'shipment-batch-1', '');
  await field(browser, 'shipment-remark', '');
  await press(browser, 'Control', 's');
  await waitText(app, browser, 'shipments-count', /共 1 条/);
  await closeDrawer(app, browser, 'shipment-save');
  await app.shot('shipments');

  // 追溯: the delivery note back to both supplier lots and their suppliers.
  await app.$('nav-trace').click();
  await app.$('screen-trace').waitForDisplayed(WAIT);
  await expectFocus(browser, 'trace-query');
  await typeHere(browser, note);
  await press(browser, 'Enter');
  await waitText(app, browser, 'trace-root', new RegExp(note));
  const graph = await waitText(app, browser, 'trace-graph', /L-A1/);
  for (const expected of ['L-B1', '宁波示例阀门有限公司', '杭州示例五金有限公司', batchLot, '上海示例厨电销售有限公司']) {
    assert.ok(graph.includes(expected), `the trace graph shows ${expected}: ${graph}`);
  }
  await app.shot('trace-delivery-note');

  // 模拟召回 from lot L-A1, exported to xlsx.
  await press(browser, 'Control', 'a');
  await typeHere(browser, 'L-A1');
  await press(browser, 'Enter');
  await waitText(app, browser, 'trace-root', /L-A1/);
  await app.$('trace-recall').click();
  await app.$('recall-panel').waitForDisplayed(WAIT);
  await waitText(app, browser, 'recall-customers', /上海示例厨电销售有限公司[\s\S]*30 台/);
  await app.shot('recall-drill');
  await app.$('recall-export').click();
  await waitText(app, browser, 'recall-export-done', /已导出/);
  const exports = path.join(app.dataDir, 'exports');
  const files = fs.readdirSync(exports).filter((f) => f.endsWith('.xlsx'));
  assert.ok(files.some((f) => f.startsWith('召回清单-L-A1')), `a recall list in ${exports}: ${files}`);
  const file = path.join(exports, files.find((f) => f.startsWith('召回清单-L-A1')));
  assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK', 'an xlsx file');
  await app.shot('recall-exported');
  await press(browser, 'Escape');
  await waitText(app, browser, 'recall-history', /原料批次 L-A1/);
  await app.shot('recall-history');
});
