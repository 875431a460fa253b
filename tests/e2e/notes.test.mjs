// Facilitator notes as a handout: every lesson's notes with its challenge link written out, one
// printed page each; and the facilitator window paired with a lesson shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserAndServer, openPage, root, screenshot } from './harness.mjs';

const env = browserAndServer();
const lessons = readdirSync(join(root, 'lessons')).filter((d) => /^\d\d-/.test(d));

test('every lesson\'s handout prints on one page with its challenge links', async () => {
  assert.ok(lessons.length >= 8);
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#notes=${lessons[0]}`, { viewport: { width: 1280, height: 720 } });
  for (const slug of lessons) {
    await page.goto(`${env.server.url}#notes=${slug}`);
    await page.reload();
    await page.locator('.handout-link').first().waitFor();
    const links = await page.locator('.handout-link').allInnerTexts();
    assert.equal(links.length, 2);
    assert.match(links[0], /#challenge=[A-Za-z0-9_-]+$/, `${slug}: the challenge link written out`);
    assert.match(await page.locator('.handout-body').innerText(), /Ask the room first[\s\S]*What the room sees on seed \d+[\s\S]*The fix/);
    // As a browser's print dialog lays it out: the page size and margins the stylesheet asks for.
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, `${slug}: the handout prints on one page, not ${pages}`);
    if (slug === lessons[0]) {
      await screenshot(page, 'notes-1280x720');
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'notes-print');
      await page.emulateMedia({ media: null });
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the facilitator window paired with a lesson shows its notes', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const projector = await context.newPage();
  await projector.goto(`${env.server.url}#lesson=01-paid-twice`);
  await projector.locator('.card').first().waitFor();
  const facilitator = await context.newPage();
  await facilitator.goto(`${env.server.url}#facilitator`);
  await facilitator.locator('.facilitator-notes').filter({ hasText: 'Usual wrong answers' }).waitFor();
  assert.match(await facilitator.locator('.facilitator-notes').innerText(), /At the end: Nobody is charged twice, by any provider: 386/);
  assert.equal(await facilitator.getByRole('link', { name: /printable handout/ }).getAttribute('href'), '#notes=01-paid-twice');
  await context.close();
});
