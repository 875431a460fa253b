// One path for edits, as a user meets it: a change the running simulation refuses says why in the
// panel where it was made, the run follows the document (which now shows the problem), and Undo
// puts it right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, browserAndServer, openPage, wire, pointOnWire } from './harness.mjs';

const env = browserAndServer();

test('a live edit the simulation refuses says why where it was made, and Undo puts it right', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#sandbox`, { viewport: { width: 1440, height: 1000 } });
  await page.waitForSelector('.card');
  await page.click('text=New');
  for (const kind of ['client', 'service', 'service']) {
    await page.click(`button.palette-item.kind-${kind}`);
  }
  // The second service one row lower, so the wires between the services do not overlap.
  await page.focus('.card[data-id="service-2"]');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift+ArrowDown');
  await wire(page, 'client', 'service');
  await wire(page, 'service', 'service-2');
  // The new wire is selected: make it asynchronous, then wire back synchronously (no loop of
  // waiting calls while one direction does not wait).
  const mode = page.locator('section[aria-label="Wire inspector"] select');
  await mode.selectOption('async');
  await wire(page, 'service-2', 'service');
  assert.equal(await page.locator('.wire').count(), 3);
  await page.click('button[aria-label="Play"]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 1);
  // Select the asynchronous wire again and make it wait: now each service would wait on the other.
  const onWire = await pointOnWire(page, 1);
  await page.mouse.click(onWire.x, onWire.y);
  // The inspector shows the asynchronous wire's own mode (a select reused from another wire
  // would keep showing that wire's choice).
  await page.waitForFunction(
    () => document.querySelector('section[aria-label="Wire inspector"] select')?.value === 'async',
    null,
    { timeout: 5_000 },
  );
  await mode.waitFor();
  await mode.selectOption('sync');
  const refusal = page.locator('section[aria-label="Wire inspector"] .field-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /refused this: Making this wire synchronous would create a loop of waiting calls\./);
  // The document keeps the choice and says what is wrong; nothing runs until it is put right.
  assert.match(await page.textContent('.problems'), /Synchronous calls form a loop/);
  assert.ok(await page.locator('button[aria-label="Play"]').isDisabled());
  await screenshot(page, 'edits-refused');
  await page.click('button:has-text("Undo")');
  await page.waitForSelector('.problems', { state: 'detached' });
  await page.waitForFunction(
    () => document.querySelector('section[aria-label="Wire inspector"] select')?.value === 'async',
    null,
    { timeout: 5_000 },
  );
  assert.equal(await refusal.count(), 0);
  assert.ok(await page.locator('button[aria-label="Play"]').isEnabled());
  assert.deepEqual(errors, []);
  await context.close();
});
