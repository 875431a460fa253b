// Small widths stay legible: an embed in a 700 px blog column and on a 360 px phone, and the app
// on a 390 px phone. On the canvas every card's name is drawn at 10 px or more on screen (cards
// show fewer details in larger type when the design is shrunk to fit), and the app's top bar
// keeps a lesson's title on at most two lines. Screenshots of each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, browserAndServer } from './harness.mjs';

const env = browserAndServer();

/** Each card's name and its size on screen, in CSS pixels. */
async function nameSizes(page) {
  return page.$$eval('svg.surface .card text.name', (names) => names.map((t) => ({
    name: t.textContent.trim(),
    px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
  })));
}

for (const width of [700, 360]) {
  test(`an embed ${width} px wide draws every card's name at a readable size`, async () => {
    const page = await env.browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${env.server.url}play.html#embed?lesson=05-two-answers`);
    await page.waitForSelector('svg.surface .card text.name');
    // The view is fitted once the canvas has its size.
    await page.waitForTimeout(300);
    const sizes = await nameSizes(page);
    assert.equal(sizes.length, 6);
    for (const { name, px } of sizes) assert.ok(px >= 10, `${name}: ${px.toFixed(1)} px at ${width} px`);
    // Nothing spills sideways out of the frame.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1));
    await screenshot(page, `small-embed-${width}`);
    await page.close();
  });
}

test('a lesson on a 390 px phone: the title on at most two lines, the cards readable', async () => {
  const page = await env.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${env.server.url}#lesson=02-launch-spike`);
  await page.waitForSelector('.lesson-panel');
  await page.waitForSelector('svg.surface .card text.name');
  await page.waitForTimeout(300);
  const title = await page.$eval('.topbar', (bar) => {
    const t = bar.querySelector('.doc-name');
    const style = getComputedStyle(t);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
    return { lines: Math.round(t.getBoundingClientRect().height / line), text: t.textContent };
  });
  assert.ok(title.lines <= 2, `${title.text} takes ${title.lines} lines`);
  for (const { name, px } of await nameSizes(page)) assert.ok(px >= 10, `${name}: ${px.toFixed(1)} px`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'no sideways scroll');
  await screenshot(page, 'small-lesson-390');
  await page.close();
});
