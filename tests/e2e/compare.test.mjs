// The compare-answers page as a facilitator uses it at the end of a session: the challenge link
// and the room's answer links pasted in; each re-run in a worker on the challenge's seed; ranked
// by goals met, then cost; what each changed named; answers that changed a locked condition or
// answer another challenge flagged, not ranked; the table downloaded as CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { browserAndServer, openPage, root, screenshot } from './harness.mjs';

const env = browserAndServer();
const challenge = readFileSync(join(root, 'tests', 'data', 'challenge-links', 'v1-lesson-01.txt'), 'utf8').trim();
const unpack = (link) => JSON.parse(inflateRawSync(Buffer.from(link.split('answer=')[1], 'base64url')).toString());
const pack = (answer) => `${env.server.url}#answer=${deflateRawSync(Buffer.from(JSON.stringify(answer)), { level: 9 }).toString('base64url')}`;

test('answers re-run in a worker, ranked, diffed and flagged; the table as CSV', async () => {
  // One participant's real answer, through the challenge screen: the system untouched.
  const participant = await openPage(env.browser, `${env.server.url}#${challenge}`, { viewport: { width: 1280, height: 900 } });
  await participant.page.selectOption('select[aria-label=Speed]', '100');
  await participant.page.click('button[aria-label=Play]');
  await participant.page.locator('.result-card').waitFor({ timeout: 60_000 });
  const untouched = await participant.page.locator('#answer-link').inputValue();
  await participant.context.close();

  // Others, as the room might send them.
  const base = unpack(untouched);
  const edit = (f) => {
    const a = structuredClone(base);
    f(a, (id) => a.scenario.components.find((c) => c.id === id).spec);
    return pack(a);
  };
  const fixed = edit((a, spec) => { spec('api').idempotency = 'atomic_reserve'; });
  const costly = edit((a, spec) => { spec('api').idempotency = 'atomic_reserve'; spec('api').workers = 128; });
  const cheated = edit((a, spec) => { spec('shoppers').timeout_ms = 5000; });
  const elsewhere = edit((a) => { a.challenge = '0000000000000000'; });
  const answers = [untouched, costly, 'hello, here is my answer', cheated, fixed, elsewhere];

  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#compare`, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await page.getByLabel('The challenge link').fill(`${env.server.url}#${challenge}`);
  await page.getByLabel('Answer links', { exact: false }).fill(answers.join('\n'));
  await page.getByRole('button', { name: 'Re-run and rank' }).click();
  await page.getByRole('status').filter({ hasText: /6 answers re-run on the challenge's seed in [\d.]+ s/ }).waitFor({ timeout: 60_000 });
  const rows = await page.locator('.compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  // Rank, answer number: the fix first; then two that meet two goals, the cheaper first (the
  // untouched system, then the fix bought with twice the workers, over budget); the flagged
  // after, unranked.
  assert.deepEqual(rows.slice(0, 3).map((r) => [r[0], r[1].split(' ')[0]]), [['1', '#5'], ['2', '#1'], ['3', '#2']]);
  assert.deepEqual(rows.slice(0, 3).map((r) => r[2]), ['3 of 3', '2 of 3', '2 of 3']);
  assert.deepEqual(rows.slice(0, 3).map((r) => r[3]), ['$3.20', '$3.20', '$6.40']);
  assert.match(rows[0][5], /api\.idempotency: "off" → "atomic_reserve"/);
  assert.equal(rows[1][5], 'nothing');
  assert.match(rows[2][5], /api\.workers: 64 → 128/);
  const flagged = Object.fromEntries(rows.slice(3).map((r) => [r[1].split(/\s/)[0], r]));
  assert.match(flagged['#3'][1], /not an answer link/);
  assert.match(flagged['#4'][1], /changed a locked condition: shoppers/);
  assert.match(flagged['#6'][1], /answers another challenge/);
  for (const r of rows.slice(3)) assert.equal(r[0], 'flagged');
  // Two answers on the same charts: the fix and the untouched system.
  await page.getByLabel('Overlay answer 5').check();
  await page.getByLabel('Overlay answer 1').check();
  await page.locator('.compare-overlay canvas.chart[data-points]').first().waitFor();
  assert.ok((await page.locator('.compare-overlay canvas.chart').count()) >= 4);
  await screenshot(page, 'compare-answers');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the table (CSV)' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').split('\n');
  assert.equal(csv[0], 'rank,answer,title,culprit,goals_met,goals,cost_per_hour,success_ratio,flagged,changes');
  // Cells are quoted only where a CSV reader needs it (the changes hold quotes).
  assert.match(csv[1], /^1,5,Paid twice,,3,3,3\.20,[0-9.]+,,"api\.idempotency: ""off"" → ""atomic_reserve"""$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad challenge link or no answers: a message, nothing runs', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#compare`);
  await page.getByLabel('The challenge link').fill('not a link');
  await page.getByRole('button', { name: 'Re-run and rank' }).click();
  await page.getByRole('alert').filter({ hasText: 'The challenge link' }).waitFor();
  await page.getByLabel('The challenge link').fill(`#${challenge}`);
  await page.getByRole('button', { name: 'Re-run and rank' }).click();
  await page.getByRole('alert').filter({ hasText: 'Paste at least one answer link' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('answers from chosen and dropped files: answer files, exported scenarios, a saved chat', async () => {
  const fixtures = join(root, 'tests', 'data', 'challenge-links');
  const answerFile = readFileSync(join(fixtures, 'v1-answer-lesson-01.json'));
  const answerLink = readFileSync(join(fixtures, 'v1-answer-lesson-01.txt'), 'utf8').trim();
  const start = JSON.parse(inflateRawSync(Buffer.from(challenge.split('challenge=')[1], 'base64url')).toString()).start;
  const file = (name, text) => ({ name, mimeType: name.endsWith('.json') ? 'application/json' : 'text/plain', buffer: Buffer.from(text) });

  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#compare`, { viewport: { width: 1280, height: 900 } });
  await page.getByLabel('The challenge link').fill(`#${challenge}`);
  await page.locator('.drop-zone input[type=file]').setInputFiles([
    { name: 'alice.json', mimeType: 'application/json', buffer: answerFile },
    file('bob-export.json', JSON.stringify(start, null, 2)),
    file('carol-seed7.json', JSON.stringify({ ...start, seed: 7 })),
    file('chat.txt', `dan: ${env.server.url}#${answerLink} done!\neve: answer=AAAA\n`),
    file('holiday.txt', 'nothing to see here'),
  ]);
  const note = page.locator('.file-note');
  await note.filter({ hasText: '5 answer(s) added from 5 file(s).' }).waitFor();
  assert.match(await note.innerText(), /Nothing from holiday\.txt: there is no answer link, answer or scenario in it\./);

  // A file dragged onto the zone: the zone shows it is a target, the drop adds the answer.
  const dragged = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'fay.json', { type: 'application/json' }));
    return transfer;
  }, JSON.stringify(start));
  await page.dispatchEvent('.drop-zone', 'dragover', { dataTransfer: dragged });
  await page.locator('.drop-zone.dragging').waitFor();
  await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: dragged });
  await note.filter({ hasText: '1 answer(s) added from 1 file(s).' }).waitFor();
  assert.equal(await page.locator('.drop-zone.dragging').count(), 0);
  assert.equal((await page.getByLabel('Answer links', { exact: false }).inputValue()).split('\n').length, 6);
  await screenshot(page, 'compare-files');

  await page.getByRole('button', { name: 'Re-run and rank' }).click();
  await page.getByRole('status').filter({ hasText: /6 answers re-run/ }).waitFor({ timeout: 60_000 });
  const rows = await page.locator('.compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  const line = (r) => [r[0], r[1].split('\n')[0], r[2]];
  // The solution (from the answer file and from the chat) first, then the untouched exports;
  // the export on another seed and the damaged link flagged.
  assert.deepEqual(rows.slice(0, 4).map(line), [
    ['1', '#1 alice.json', '3 of 3'],
    ['2', '#4 chat.txt', '3 of 3'],
    ['3', '#2 bob-export.json', '2 of 3'],
    ['4', '#6 fay.json', '2 of 3'],
  ]);
  const flagged = rows.slice(4).map((r) => r[1]);
  assert.ok(flagged.some((t) => /^#3 carol-seed7\.json\na scenario file on seed 7, not the challenge's 1/.test(t)), flagged.join(' | '));
  assert.ok(flagged.some((t) => /^#5 \nnot an answer link/.test(t) || /^#5\s+not an answer link/.test(t)), flagged.join(' | '));
  assert.deepEqual(errors, []);
  await context.close();
});
