// Workshop challenges as a facilitator and a participant meet them: the facilitator makes a
// challenge from lesson 1; a participant opens the link, finds the locked conditions read-only
// and the solution sealed, releases hints in order, runs to the end and gets a result card with
// an answer link; the released link lets the solution load; answers name their challenge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserAndServer, openPage, root, screenshot, shots } from './harness.mjs';

const env = browserAndServer();

/** The JSON an answer or challenge link carries. */
const unpack = (link) => JSON.parse(inflateRawSync(Buffer.from(link.split('#')[1].split('=')[1], 'base64url')).toString());

async function runToEnd(page) {
  await page.selectOption('select[aria-label=Speed]', '100');
  await page.click('button[aria-label=Play]');
  await page.locator('.result-card').waitFor({ timeout: 60_000 });
}

test('a challenge from lesson 1: sealed solution, locks, hints in order, a result card and answer links', async () => {
  // The facilitator.
  const host = await openPage(env.browser, `${env.server.url}#lesson=01-paid-twice`, { viewport: { width: 1280, height: 900 } });
  await host.page.locator('.card').first().waitFor();
  await host.page.getByRole('button', { name: 'Challenge', exact: true }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Make a challenge' });
  await dialog.waitFor();
  await dialog.getByLabel('Title').fill('Workshop: paid twice');
  await dialog.getByLabel('Hints', { exact: false }).fill('Watch the provider.\nThe API has a switch for keys.');
  const link = await dialog.locator('#challenge-link').inputValue();
  const released = await dialog.locator('#challenge-released').inputValue();
  assert.match(link, /#challenge=[A-Za-z0-9_-]+$/);
  const carried = unpack(link);
  assert.equal(carried.version, 1);
  assert.equal(carried.title, 'Workshop: paid twice');
  assert.deepEqual(carried.hints, ['Watch the provider.', 'The API has a switch for keys.']);
  assert.equal(carried.released, false);
  assert.equal(unpack(released).released, true);
  await screenshot(host.page, 'challenge-dialog');
  assert.deepEqual(host.errors, []);
  await host.context.close();

  // A participant.
  mkdirSync(shots, { recursive: true });
  const { page, context, errors } = await openPage(env.browser, link, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const panel = page.locator('.challenge-panel');
  await panel.waitFor();
  assert.equal(await panel.locator('h2').innerText(), 'Workshop: paid twice');
  assert.match(await panel.innerText(), /sealed until your facilitator releases it/);
  assert.equal(await page.getByRole('button', { name: /solution/i }).count(), 0, 'nothing shows the solution');
  // The client is locked: its fields read-only with the reason.
  await page.click('.card[data-id="shoppers"] .card-body');
  await page.locator('.inspector .locked-note, .inspector .field.locked').first().waitFor();
  // Hints one at a time, in order.
  await panel.getByRole('button', { name: 'Show a hint (2 left)' }).click();
  assert.match(await panel.locator('.hint-text').innerText(), /Hint 1: Watch the provider\./);
  await panel.getByRole('button', { name: 'Show a hint (1 left)' }).click();
  assert.equal(await panel.locator('.hint-text').count(), 2);
  assert.equal(await panel.getByRole('button', { name: /Show a hint/ }).count(), 0);
  assert.match(await panel.innerText(), /Run it to the end/);

  await runToEnd(page);
  const card = page.locator('.result-card');
  assert.match(await card.innerText(), /3 of 4 goals met · capacity \$3\.20 an hour · seed 1/);
  const failing = await page.locator('#answer-link').inputValue();
  await screenshot(page, 'challenge-result');
  // The card as a picture.
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Save the card as PNG' }).click()]);
  const png = readFileSync(await download.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 5000, `a picture with something on it (${png.length} bytes)`);
  writeFileSync(join(shots, 'challenge-card.png'), png);
  // The answer as a file, for a facilitator who collects files: the link's JSON, readable.
  const [saved] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Save the answer as a file' }).click()]);
  assert.equal(saved.suggestedFilename(), 'answer.json');
  const file = JSON.parse(readFileSync(await saved.path(), 'utf8'));
  assert.equal(file.kind, 'backend-playground answer');
  assert.equal(file.version, 1);
  assert.deepEqual({ ...file, kind: undefined }, { ...unpack(await page.locator('#answer-link').inputValue()), kind: undefined });
  assert.deepEqual(errors, []);
  await context.close();

  // The released link: the solution loads, and passes.
  const later = await openPage(env.browser, released, { viewport: { width: 1280, height: 900 } });
  await later.page.getByRole('button', { name: 'Load the released solution' }).click();
  await runToEnd(later.page);
  assert.match(await later.page.locator('.result-card').innerText(), /4 of 4 goals met/);
  const passing = await later.page.locator('#answer-link').inputValue();
  assert.deepEqual(later.errors, []);
  await later.context.close();

  // An answer link opened by itself shows the participant's design in the sandbox.
  const look = await openPage(env.browser, passing, { viewport: { width: 1280, height: 900 } });
  await look.page.getByRole('status').filter({ hasText: 'Opened an answer to "Workshop: paid twice".' }).waitFor();
  await look.page.locator('.card[data-id="api"]').waitFor();
  assert.deepEqual(look.errors, []);
  await look.context.close();

  const [a, b] = [unpack(failing), unpack(passing)];
  assert.equal(a.challenge, b.challenge, 'both answer the same challenge');
  assert.match(a.challenge, /^[0-9a-f]{16}$/);
  const idem = (answer) => answer.scenario.components.find((c) => c.id === 'api').spec.idempotency;
  assert.equal(idem(a), 'off');
  assert.equal(idem(b), 'atomic_reserve');
});

test('a challenge from lesson 6 asks the room to find the culprit, and the answer says who did', async () => {
  const host = await openPage(env.browser, `${env.server.url}#lesson=06-the-logs-said-fine`, { viewport: { width: 1280, height: 900 } });
  await host.page.locator('.card').first().waitFor();
  await host.page.getByRole('button', { name: 'Challenge', exact: true }).click();
  const dialog = host.page.getByRole('dialog', { name: 'Make a challenge' });
  await dialog.waitFor();
  const link = await dialog.locator('#challenge-link').inputValue();
  assert.deepEqual(
    { answer: unpack(link).find.answer, guesses: unpack(link).find.guesses, hints_before: unpack(link).find.hints_before },
    { answer: 'recs', guesses: 2, hints_before: 2 },
  );
  await host.context.close();

  const { page, context, errors } = await openPage(env.browser, link, { viewport: { width: 1280, height: 900 } });
  const panel = page.locator('.challenge-panel');
  await panel.locator('.find select').waitFor();
  // The faults panel does not give it away, nor do the hints that point at it.
  assert.doesNotMatch(await page.textContent('section.faults'), /Recommendations/);
  await panel.getByRole('button', { name: /Show a hint/ }).click();
  await panel.getByRole('button', { name: /Show a hint/ }).click();
  assert.equal(await panel.getByRole('button', { name: /Show a hint/ }).count(), 0);
  assert.match(await panel.locator('.held-hints').innerText(), /point at the culprit/);
  // Two wrong guesses: the answer is shown, and it is not a find.
  for (const id of ['orders', 'web']) {
    await panel.locator('.find select').selectOption(id);
    await panel.locator('.find button').click();
  }
  assert.match(await panel.locator('.find .verdict.fail').innerText(), /Out of guesses\. It was Recommendations\./);
  assert.equal(await panel.locator('.find button').count(), 0);
  assert.match(await page.textContent('section.faults'), /Recommendations/);
  await screenshot(page, 'challenge-find-it-shown');
  await runToEnd(page);
  assert.match(await panel.locator('.result-card .culprit').innerText(), /Culprit: not found\./);
  const answer = unpack(await page.locator('#answer-link').inputValue());
  assert.deepEqual(answer.culprit, { found: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a damaged challenge link says so and offers the way home', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#challenge=AAAA`);
  await page.getByRole('alert').filter({ hasText: 'This challenge could not be opened' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Challenge dialog checks for shortcuts: none in lesson 1, one named in a challenge made from the sandbox', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}#lesson=01-paid-twice`, { viewport: { width: 1280, height: 900 } });
  await page.locator('.card').first().waitFor();
  await page.getByRole('button', { name: 'Challenge', exact: true }).click();
  const check = page.getByRole('region', { name: 'Shortcut check' });
  await check.getByText(/^No shortcut found: \d+ runs of single edits and pairs on seeds 1 and 2/).waitFor({ timeout: 120_000 });

  // A world shared into the sandbox whose goals watch only the shoppers: a fire-and-forget call
  // to the flaky provider meets them, and the facilitator is told so before sharing.
  const planted = JSON.parse(readFileSync(join(root, 'tests', 'data', 'shortcut-planted.json'), 'utf8'));
  const share = deflateRawSync(Buffer.from(JSON.stringify(planted))).toString('base64url');
  assert.deepEqual(errors, []);
  await context.close();
  const sandbox = await openPage(env.browser, `${env.server.url}#s=${share}`, { viewport: { width: 1280, height: 900 } });
  await sandbox.page.locator('.card').first().waitFor();
  await sandbox.page.getByRole('button', { name: 'Challenge', exact: true }).click();
  const warning = sandbox.page.getByRole('region', { name: 'Shortcut check' }).locator('.shortcut-warning');
  await warning.waitFor({ timeout: 120_000 });
  const text = await warning.innerText();
  assert.match(text, /ways? to meet every goal without the idea \(seeds 1 and 2\)/);
  assert.match(text, /Make the wire API → Provider asynchronous \(fire and forget\)/);
  assert.match(text, /Delete the wire API → Provider/);
  await screenshot(sandbox.page, 'challenge-shortcut-warning');
  assert.deepEqual(sandbox.errors, []);
  await sandbox.context.close();
});
