// Every lesson in Chromium: open it from the home screen's list (and directly by URL), play it
// to the end and see a goal fail, apply the solution, play again and see every goal turn green.
// Screenshots of the home screen and of each lesson before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { screenshot, root, browserAndServer, pointOnWire, playToEnd } from './harness.mjs';

const env = browserAndServer();

test('the home screen lists every lesson and the sandbox', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(env.server.url);
  const slugs = (await readdir(join(root, 'lessons'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  // Every folder under lessons/ is a card, and the sandbox one more: a new lesson needs no edit here.
  assert.ok(slugs.length >= 8, `${slugs.length} lessons`);
  await page.waitForSelector('.lesson-card');
  assert.equal(await page.locator('.lesson-card').count(), slugs.length + 1);
  await screenshot(page, 'lessons-home');
  await page.click('.lesson-card >> text=Paid twice');
  await page.waitForSelector('.lesson-panel');
  assert.match(page.url(), /#lesson=01-paid-twice$/);
  // A link to a lesson that does not exist lands on the list and says so.
  await page.goto(`${env.server.url}#lesson=09-no-such-lesson`);
  await page.waitForSelector('.home .notice.error');
  assert.match(await page.textContent('.home .notice.error'), /no lesson called "09-no-such-lesson"/);
  assert.equal(await page.locator('.lesson-card').count(), slugs.length + 1);
  await page.close();
});

test('every lesson fails at the start and passes with its solution', async () => {
  const slugs = (await readdir(join(root, 'lessons'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const slug of slugs) {
    await page.goto(`${env.server.url}#lesson=${slug}`);
    await page.reload();
    await page.waitForSelector('.lesson-panel .goals li');
    // Before Play nothing is judged yet: no goal shows as failed at zero seconds.
    assert.equal(await page.locator('.goals li.fail').count(), 0, `${slug}: no verdict before Play`);
    assert.match(await page.textContent('.goals'), /press Play to measure/);
    await playToEnd(page);
    const failing = await page.locator('.goals li.fail').count();
    assert.ok(failing > 0, `${slug}: the starting system fails a goal`);
    await screenshot(page, `lesson-${slug}-before`);
    await page.click('button[aria-label=Pause]');
    await page.click('text=Show solution');
    await page.waitForFunction(() => document.querySelector('.clock').textContent === '0.0 s');
    await playToEnd(page);
    const passing = await page.locator('.goals li.pass').count();
    const total = await page.locator('.goals li').count();
    assert.equal(passing, total, `${slug}: every goal passes with the solution`);
    await screenshot(page, `lesson-${slug}-after`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lesson whose files cannot be fetched says so, and the way home still works', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The site's copy of the lesson's scenario is missing (a partial upload, say).
  await page.route('**/lessons/01-paid-twice/start.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await page.waitForSelector('.notice.error');
  assert.match(
    await page.textContent('.notice.error'),
    /This lesson could not be opened: lessons\/01-paid-twice\/start.json could not be loaded: the site answered 404/,
  );
  await page.click('.topbar h1 a');
  await page.waitForSelector('.lesson-card');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lesson shows its world locked, and says when it was changed anyway', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=02-launch-spike`);
  await page.waitForSelector('.lesson-panel .goals li');
  // The spike is the lesson's world: listed, with no way to add or remove one.
  const faults = page.locator('section.faults');
  assert.match(await faults.textContent(), /Locked: What goes wrong, and when/);
  assert.equal(await faults.locator('button').count(), 0);
  // The users' rate is read-only, with a lock saying why; their retries are the learner's.
  await page.click('.card[data-id="users"] .card-body');
  await page.waitForSelector('.inspector');
  const rate = page.locator('.inspector .field.locked', { hasText: 'Rate' });
  assert.equal(await rate.count(), 1);
  assert.match(await rate.textContent(), /300 \/s/);
  assert.match(await rate.locator('.lock').getAttribute('aria-label'), /locked: This is your traffic/);
  assert.equal(await page.locator('.inspector .field:not(.locked) .field-label:text-is("Rate")').count(), 0);
  assert.ok(await page.locator('.inspector fieldset', { hasText: 'Retry' }).locator('input').count() > 0, 'retries stay editable');
  // Capacity has a price, on the card and as a goal.
  assert.match(await page.textContent('.card[data-id="api"] .kind'), /\$0\.50\/h/);
  assert.match(await page.textContent('.goals'), /Capacity costs at most \$1\.00 an hour/);
  assert.equal(await page.textContent('.cost-total'), 'Capacity: $0.50 an hour');
  await screenshot(page, 'lesson-locked-fields');

  // Lesson 1: the provider is locked whole; deleting it with the keyboard is not stopped, but
  // the panel says the conditions changed and nothing counts.
  await page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await page.reload();
  await page.waitForSelector('.lesson-panel .goals li');
  assert.equal(await page.locator('.conditions-changed').count(), 0, 'the start keeps its conditions');
  await page.click('.card[data-id="psp"] .card-body');
  assert.equal(await page.locator('.inspector button.danger').count(), 0, 'no Delete button on a locked part');
  await page.keyboard.press('Delete');
  await page.waitForSelector('.conditions-changed');
  assert.match(await page.textContent('.conditions-changed'), /these goals do not count[\s\S]*Payment provider was removed/);
  await screenshot(page, 'lesson-conditions-changed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a guess before Play is drawn beside what happened, and a diagnosis is checked', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await page.reload();
  await page.waitForSelector('.predict .choice');
  assert.match(await page.textContent('.predict'), /how many shoppers will be charged twice/);
  await page.click('.predict .choice >> text=hundreds');
  assert.equal(await page.getAttribute('.predict .choice.chosen', 'aria-pressed'), 'true');
  assert.match(await page.textContent('.predict .reveal'), /Your guess: hundreds/);
  await playToEnd(page);
  assert.equal(await page.locator('.predict .choice[disabled]').count(), 4, 'the guess is fixed once the run starts');
  assert.match(await page.textContent('.predict .reveal'), /You guessed hundreds; it was \d+\./);
  // The guess is a line on the side-effects chart of the provider (the lesson's focus).
  const effects = page.locator('figure.chart-card', { hasText: 'Side effects' });
  assert.match(await effects.locator('thead').textContent(), /your guess: hundreds/);
  await screenshot(page, 'lesson-prediction');

  // Lesson 6 names no culprit: the learner does, and a wrong name is answered as wrong.
  await page.goto(`${env.server.url}#lesson=06-the-logs-said-fine`);
  await page.reload();
  await page.waitForSelector('.find select');
  assert.doesNotMatch(await page.textContent('.story'), /recommendations service/i);
  // Nor does the faults panel, until the culprit is named.
  assert.doesNotMatch(await page.textContent('section.faults'), /Recommendations/);
  // The hints that point at the culprit wait until it is named.
  await page.getByRole('button', { name: 'Show a hint' }).click();
  await page.getByRole('button', { name: 'Show a hint' }).click();
  assert.equal(await page.locator('.lesson-panel .hint-text').count(), 2);
  assert.equal(await page.getByRole('button', { name: 'Show a hint' }).count(), 0);
  assert.match(await page.textContent('.held-hints'), /2 more hints point at the culprit: name it in Find it first/);
  assert.doesNotMatch(await page.textContent('.lesson-panel .hints'), /recommendations/i);
  // Two guesses; a wrong one does not name the right one.
  assert.equal(await page.locator('.find button').innerText(), 'Check (2 guesses left)');
  await page.selectOption('.find select', 'orders');
  await page.click('.find button');
  const wrong = await page.textContent('.find .verdict.fail');
  assert.match(wrong, /Not that one.*1 guess left\./);
  assert.doesNotMatch(wrong, /Recommendations/);
  await page.selectOption('.find select', 'recs');
  await page.click('.find button');
  assert.match(await page.textContent('.find .verdict.pass'), /Yes: Recommendations/);
  assert.equal(await page.locator('.find button').count(), 0, 'named once, it stays named');
  await page.getByRole('button', { name: 'Show a hint' }).click();
  assert.equal(await page.locator('.lesson-panel .hint-text').count(), 3, 'named, the rest of the hints open');
  assert.match(await page.textContent('section.faults'), /Recommendations: \+100 ms/);
  await screenshot(page, 'lesson-find-it');
  // The fallback is a switch on the wire: the web tier's call to it can be made optional, and
  // the run takes it live.
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 0.5);
  const onWire = await pointOnWire(page, 2);
  await page.mouse.click(onWire.x, onWire.y);
  const inspector = page.locator('section[aria-label="Wire inspector"]');
  assert.match(await inspector.textContent(), /Web tier sends requests to Recommendations|sends requests to Recommendations/);
  // The call is one the page must make (a `calls:` lock): the wire says so, with its padlock.
  assert.match(await inspector.locator('.locked-note').innerText(), /A required call: The page shows recommendations when it can/);
  await inspector.locator('input[role=switch]').check();
  await page.waitForFunction(() => document.querySelector('section[aria-label="Wire inspector"] input[role=switch]').checked);
  assert.equal(await inspector.locator('.field-error').count(), 0, 'taken live, not refused');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the harder variant opens from the end of a lesson and fails until solved again', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await page.reload();
  await page.waitForSelector('.lesson-panel .goals li');
  assert.equal(await page.locator('.harder').count(), 0, 'not offered before the lesson is done');
  await page.click('text=Show solution');
  await playToEnd(page);
  await page.waitForSelector('.harder');
  assert.match(await page.textContent('.harder'), /A key store that forgets/);
  await screenshot(page, 'lesson-harder-offered');
  await page.click('.harder button');
  await page.waitForFunction(() => location.hash === '#harder=01-paid-twice');
  await page.waitForSelector('.lesson-panel h2:has-text("harder")');
  assert.match(await page.textContent('.lesson-panel .story'), /The harder variant[\s\S]*forget a key after two seconds/);
  assert.equal(await page.locator('.predict').count(), 0, 'no second guess');
  await playToEnd(page);
  assert.ok(await page.locator('.goals li.fail').count() > 0, 'the lesson\'s solution fails the harder world');
  await page.click('button[aria-label=Pause]');
  await page.click('text=Show solution');
  await page.waitForFunction(() => document.querySelector('.clock').textContent === '0.0 s');
  await playToEnd(page);
  assert.equal(await page.locator('.goals li.pass').count(), await page.locator('.goals li').count());
  await screenshot(page, 'lesson-harder-solved');
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 8 runs the same design on a laptop, where nothing goes wrong and nothing counts', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=08-worked-on-my-machine`);
  await page.reload();
  await page.waitForSelector('.lesson-panel .profile select');
  await page.selectOption('.lesson-panel .profile select', { label: 'Laptop: one buyer at a time' });
  await page.waitForSelector('.conditions-changed');
  assert.match(await page.textContent('.conditions-changed'), /Other conditions: these goals do not count/);
  await playToEnd(page);
  // One buyer a second never races: nothing is oversold, and still the lesson is not passed.
  const oversold = page.locator('.goals li', { hasText: 'Nothing is sold that was not in stock' });
  assert.match(await oversold.getAttribute('class'), /pass/);
  assert.doesNotMatch(await page.textContent('.goals-title'), /all met/);
  await screenshot(page, 'lesson-08-laptop');
  await page.click('button[aria-label=Pause]');
  await page.selectOption('.lesson-panel .profile select', { label: "Production (the lesson's own)" });
  await page.waitForFunction(() => !document.querySelector('.conditions-changed'));
  await playToEnd(page);
  assert.match(await page.locator('.goals li', { hasText: 'Nothing is sold' }).getAttribute('class'), /fail/);
  assert.deepEqual(errors, []);
  await page.close();
});
