// Projector mode as a facilitator uses it: a lesson at 1280x720, large type, thick lines, the
// editing chrome hidden, and back again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServer, openPage, screenshot } from './harness.mjs';

const env = browserAndServer();

test('projector mode: large type, thick wires, no editing chrome, charts drawn larger; off again', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#lesson=01-paid-twice`, { viewport: { width: 1280, height: 720 } });
  await page.locator('.card').first().waitFor();
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const wire = () => page.locator('.wire-line').first().evaluate((e) => parseFloat(getComputedStyle(e).strokeWidth));
  const before = { font: await size(), wire: await wire() };
  assert.ok(await page.locator('.palette').isVisible());
  const toggle = page.getByRole('button', { name: 'Projector' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.ok((await size()) >= before.font * 1.2, 'larger type');
  assert.ok((await wire()) >= 4, 'thick wires');
  for (const hidden of ['.palette', '.observability', 'button[title^="Undo"]', 'button[title^="Save the scenario"]', '.faults']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} hidden`);
  }
  for (const shown of ['button[aria-label=Play]', '.clock', '.goals', 'select[aria-label=Speed]']) {
    assert.ok(await page.locator(shown).first().isVisible(), `${shown} shown`);
  }
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 3);
  await page.screenshot({ path: await screenshot(page, 'projector-1280x720').then((p) => p.replace('.png', '-viewport.png')) });
  await toggle.click();
  assert.equal(await size(), before.font, 'off again');
  assert.ok(await page.locator('.palette').isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});
