// A live workshop room end to end: `playground workshop` serving dist/ on 127.0.0.1, the
// facilitator's screen and three participants, each in a browser context of their own. The room
// joins by the address the projector shows, predicts (hidden until revealed), answers (judged by
// the server's run, ranked live), a reload rejoins, and a participant who goes offline answers,
// reloads without a network (the service worker), comes back, and the answer arrives; the
// server is killed and restarted, and the room and its answers are back on the projector. A
// participant in Firefox joins a Chromium projector's room.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, launchFirefox, serveDist, screenshot, axeFindings, startWorkshop } from './harness.mjs';

let browser;
let server;
let url;
const data = mkdtempSync(join(tmpdir(), 'room-e2e-'));

/** Starts the workshop server (on a free port, or `port`) and resolves with its address. */
async function startServer(port = 0) {
  const started = await startWorkshop(['--port', String(port), '--data', data, '--rate', '1000']);
  server = started.server;
  return started.url;
}

before(async () => {
  url = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  rmSync(data, { recursive: true, force: true });
});

/** A page in a context of its own (its own storage, as another laptop), recording errors. */
async function person(address, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI || 'inline code'}`);
  }));
  await page.goto(address);
  return { context, page, errors };
}

async function joinRoom(address, name) {
  const p = await person(address);
  await p.page.locator('.room-about').filter({ hasText: /^Paid twice · \d+ here$/ }).waitFor();
  await p.page.getByLabel('Your name', { exact: false }).fill(name);
  await p.page.getByRole('button', { name: 'Join' }).click();
  await p.page.locator('.room-panel').waitFor();
  assert.match(await p.page.locator('.room-panel h3').innerText(), new RegExp(name));
  return p;
}

test('a room joins by its address, predicts, reveals, answers live, rejoins and answers offline', async () => {
  // The facilitator opens a room for lesson 1 from the host screen.
  const host = await person(`${url}#host`);
  assert.ok(host.errors.length === 0, host.errors.join('\n'));
  // The first lesson is chosen to start with.
  await host.page.locator('#room-lesson option').first().waitFor({ state: 'attached' });
  assert.equal(await host.page.getByLabel("A lesson's challenge").inputValue(), '01-paid-twice');
  await host.page.getByRole('button', { name: 'Open the room' }).click();
  const panel = host.page.locator('.room-host');
  await panel.waitFor();
  const address = await panel.locator('.room-address').innerText();
  const code = address.match(/#room=([A-Z0-9]{6})$/)?.[1];
  assert.ok(code, `a join address: ${address}`);
  assert.equal(address, `${url}#room=${code}`);
  assert.equal(new URL(host.page.url()).hash, `#host=${code}`);
  // The QR code is the server's drawing of that address (cli/tests/workshop.rs decodes it).
  const qr = panel.locator('img.room-qr');
  await host.page.waitForFunction(() => document.querySelector('img.room-qr')?.naturalWidth > 0);
  assert.equal(await qr.getAttribute('src'), `api/rooms/${code}/qr.svg`);
  assert.match(await qr.getAttribute('alt'), new RegExp(`QR code for ${address.replace(/[.?]/g, '\\$&')}`));
  // The run is beside the room: the challenge's start on the workbench.
  await host.page.locator('.card[data-id="api"]').waitFor();
  await host.page.locator('.room-count').filter({ hasText: '0 joined' }).waitFor();

  // A mistyped code is said before anyone types a name.
  const wrong = await person(`${url}#room=ZZZZZZ`);
  await wrong.page.getByRole('alert').filter({ hasText: 'There is no room ZZZZZZ on this server' }).waitFor();
  await wrong.context.close();
  // Three participants join by the address, each on their own laptop, seeing what they join.
  const ada = await joinRoom(address, 'Ada');
  const bo = await joinRoom(address, 'Bo');
  const cy = await joinRoom(address, '<b>Cy</b>');
  await host.page.locator('.room-count').filter({ hasText: '3 joined' }).waitFor();

  // Predictions: the lesson's own question; the spread stays hidden until the reveal.
  assert.match(await ada.page.locator('.room-predict').innerText(), /how many shoppers will be charged twice/);
  await ada.page.locator('.room-choices').getByRole('button', { name: 'none' }).click();
  await bo.page.locator('.room-choices').getByRole('button', { name: 'hundreds' }).click();
  await cy.page.locator('.room-choices').getByRole('button', { name: 'hundreds' }).click();
  await cy.page.locator('.room-choices button[aria-pressed="true"]').filter({ hasText: 'hundreds' }).waitFor();
  const predictions = host.page.locator('.room-predictions');
  await predictions.filter({ hasText: '3 of 3 predicted' }).waitFor();
  assert.equal(await predictions.locator('.room-spread').count(), 0, 'hidden before the reveal');
  await screenshot(host.page, 'room-host-before-reveal');
  await predictions.getByRole('button', { name: 'Reveal the predictions' }).click();
  await predictions.locator('.room-spread').waitFor();
  assert.match(await predictions.locator('.room-spread').innerText(), /none: 1[\s\S]*hundreds: 2/);
  // Participants see the spread too, marked with their own.
  await bo.page.locator('.room-spread').filter({ hasText: 'hundreds: 2 of 3 (yours)' }).waitFor({ timeout: 15_000 });

  // Ada fixes it (the API's idempotency to atomic reserve) and plays to the end: the answer goes
  // to the room by itself, and the server's run judges it.
  await ada.page.locator('.card[data-id="api"]').click();
  await ada.page.locator('.inspector label.field', { hasText: /^Idempotency/ }).locator('select').selectOption('atomic_reserve');
  await ada.page.selectOption('select[aria-label=Speed]', '100');
  await ada.page.click('button[aria-label=Play]');
  await ada.page.locator('.room-sent').filter({ hasText: /The room ran your answer: 4 of 4 goals met/ }).waitFor({ timeout: 30_000 });
  // Bo sends the start as it is, with the button: it misses a goal.
  await bo.page.getByRole('button', { name: 'Send my design as my answer now' }).click();
  await bo.page.locator('.room-sent').filter({ hasText: /The room ran your answer: 3 of 4 goals met/ }).waitFor({ timeout: 30_000 });
  // Live on the projector, ranked: Ada first.
  const ranking = host.page.locator('.room-ranking tbody tr');
  await host.page.waitForFunction(() => document.querySelectorAll('.room-ranking tbody tr').length === 2);
  assert.match(await ranking.nth(0).innerText(), /^1\s+Ada\s+4 of 4/);
  assert.match(await ranking.nth(1).innerText(), /^2\s+Bo\s+3 of 4/);

  // Bo reloads: the room gives the seat and the verdict back.
  await bo.page.reload();
  await bo.page.locator('.room-panel h3').filter({ hasText: 'Bo' }).waitFor();
  assert.match(await bo.page.locator('.room-sent').innerText(), /3 of 4 goals met/);

  // Cy's Wi-Fi drops. The app reloads from the service worker's copy and the seat from the
  // browser; the answer made offline waits, and arrives when the connection returns.
  await cy.page.waitForFunction(async () => (await caches.keys()).includes('playground-offline-v1') && navigator.serviceWorker.controller !== null, null, { timeout: 15_000 }).catch(async () => {
    // The first page load is not controlled by a worker registered during it: load once more.
    await cy.page.reload();
    await cy.page.locator('.room-panel').waitFor();
  });
  await cy.context.setOffline(true);
  await cy.page.reload();
  await cy.page.locator('.room-panel h3').filter({ hasText: '<b>Cy</b>' }).waitFor();
  await cy.page.getByRole('button', { name: 'Send my design as my answer now' }).click();
  await cy.page.locator('.room-sent').filter({ hasText: /Offline: your answer is kept here/ }).waitFor();
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await ranking.count(), 2, 'nothing arrived while offline');
  await cy.context.setOffline(false);
  await cy.page.locator('.room-sent').filter({ hasText: /The room ran your answer/ }).waitFor({ timeout: 15_000 });
  await host.page.waitForFunction(() => document.querySelectorAll('.room-ranking tbody tr').length === 3);
  // A name is text, never markup.
  assert.equal(await host.page.locator('.room-ranking b').count(), 0);
  assert.match(await ranking.nth(2).innerText(), /<b>Cy<\/b>/);
  await screenshot(host.page, 'room-host');
  await screenshot(ada.page, 'room-participant');
  // Both screens pass axe-core (serious and critical findings).
  for (const p of [host, ada]) {
    const serious = await axeFindings(p.page);
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));
  }

  // The laptop's server is killed (kill -9) and started again on the same port and folder:
  // an answer made meanwhile waits in Bo's browser, the projector reconnects by itself, and
  // the room, with every answer, is back.
  const port = new URL(url).port;
  const stopped = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  await stopped;
  await host.page.locator('.room-count').filter({ hasText: 'reconnecting' }).waitFor({ timeout: 15_000 });
  await bo.page.getByRole('button', { name: 'Send my design as my answer now' }).click();
  await bo.page.locator('.room-sent').filter({ hasText: /Offline: your answer is kept here/ }).waitFor();
  assert.equal(await startServer(port), url);
  await bo.page.locator('.room-sent').filter({ hasText: /The room ran your answer: 3 of 4/ }).waitFor({ timeout: 15_000 });
  await host.page.locator('.room-count').filter({ hasText: /^Room [A-Z0-9]+ · 3 joined$/ }).waitFor({ timeout: 15_000 });
  await host.page.locator('.room-ranking tbody tr').filter({ hasText: /Bo/ }).filter({ hasText: /2$/ }).waitFor({ timeout: 15_000 });

  // The leaderboard hides; the CSV has every answer.
  await host.page.getByRole('button', { name: 'Hide the leaderboard' }).click();
  assert.equal(await host.page.locator('.room-ranking').count(), 0);
  const csv = await host.page.evaluate(async (href) => (await fetch(href)).text(), await host.page.locator('a', { hasText: 'Download the answers (CSV)' }).getAttribute('href'));
  assert.equal(csv.trim().split('\n').length, 5, csv);

  for (const p of [host, ada, bo, cy]) {
    // Cy's offline reload and Bo's answer while the server was down log their failed requests,
    // and the projector its lost event stream; nothing else may complain.
    const errors = p.errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|EventSource/.test(e));
    assert.deepEqual(errors, []);
    await p.context.close();
  }
});

test('a room link on a page served as plain files says what it needs', async () => {
  const plain = await serveDist();
  try {
    const p = await person(`${plain.url}#host`);
    await p.page.getByRole('button', { name: 'Open the room' }).click();
    await p.page.getByRole('alert').filter({ hasText: 'Live rooms need the workshop server' }).waitFor();
    await p.context.close();
  } finally {
    await plain.close();
  }
});

test('a participant in Firefox joins, answers and is ranked on a Chromium projector', async () => {
  const host = await person(`${url}#host`);
  await host.page.getByRole('button', { name: 'Open the room' }).click();
  const address = await host.page.locator('.room-address').innerText();
  // Firefox through puppeteer-core (WebDriver BiDi): its API is Puppeteer's.
  const firefox = await launchFirefox();
  try {
    const page = await (await firefox.createBrowserContext()).newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(address);
    await page.waitForSelector('#room-name');
    await page.type('#room-name', 'Fox');
    await page.click('button[type=submit]');
    await page.waitForSelector('.room-panel');
    await page.click('.room-choices button');
    await page.click('.room-panel > button');
    await page.waitForFunction(() => /The room ran your answer: 3 of 4 goals met/.test(document.querySelector('.room-sent')?.textContent), { timeout: 30_000 });
    await host.page.locator('.room-ranking tbody tr').filter({ hasText: 'Fox' }).waitFor();
    await host.page.locator('.room-predictions').filter({ hasText: '1 of 1 predicted' }).waitFor();
    // The service worker kept the app's files in Firefox too.
    assert.deepEqual(await page.evaluate(async () => { await navigator.serviceWorker.ready; return caches.keys(); }), ['playground-offline-v1']);
    assert.deepEqual(errors, []);
  } finally {
    await firefox.close();
  }
  assert.deepEqual(host.errors, []);
  await host.context.close();
});
