// Drives the built dashboards in Debian's Chromium against a running, seeded query API.
// Started by DashboardsBrowserTest (which seeds the data and writes the expected figures); prints
// "STOP_API" and waits for a line on stdin when it needs the API gone, and "RESULT {json}" at the end.
//
//   NINES_URL=http://127.0.0.1:8080 NINES_TOKEN=... NINES_EXPECT=expect.json NINES_SCREENSHOTS=dir node e2e/dashboards.e2e.mjs
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';

const base = process.env.NINES_URL;
const token = process.env.NINES_TOKEN;
const expect = JSON.parse(readFileSync(process.env.NINES_EXPECT, 'utf8'));
const shots = process.env.NINES_SCREENSHOTS ?? 'target/screenshots';
mkdirSync(shots, { recursive: true });

const pct1 = (v) => `${(v * 100).toFixed(1)}%`;
const budgetLabel = (v) => (v < 0 ? `${pct1(v)} (overspent)` : pct1(v));
const burn = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const started = Date.now();
const step = (name) => console.log(`step: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Playwright gives every launch a fresh, empty profile directory of its own; these keep Chromium off the
  // network it cannot reach here and out of background work.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const result = {};
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  step('login');
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#token', 'nines_not-a-token');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-error:has-text("not valid")');
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);

  step('overview figures and risk order');
  await page.waitForSelector('body[data-overview=complete]', { timeout: 90_000 });
  assert.equal(await page.textContent('[data-testid=count]'), String(expect.total));
  const order = await page.$$eval('tbody tr[data-slo]', (rows) => rows.slice(0, 3).map((r) => r.dataset.slo));
  assert.deepEqual(order, expect.riskOrder);
  for (const [name, s] of Object.entries(expect.statuses)) {
    const row = `tr[data-slo="${name}"]`;
    assert.equal((await page.textContent(`${row} .bar-label`)).trim(), budgetLabel(s.remaining), `${name} budget`);
    assert.equal((await page.textContent(`${row} [data-field=burn1h]`)).trim(), burn(s.burn1h), `${name} burn 1h`);
  }
  assert.equal(await page.textContent('[data-testid=exhausted]'), '1');
  await page.screenshot({ path: `${shots}/overview.png` });

  step('500 SLOs: time to interactive');
  const interactive = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-overview=interactive], body[data-overview=complete]');
    interactive.push(await page.evaluate(() => performance.getEntriesByName('overview-interactive')[0].startTime));
  }
  await page.waitForSelector('body[data-overview=complete]', { timeout: 90_000 });
  result.overviewCompleteMs = Math.round(await page.evaluate(() => performance.getEntriesByName('overview-complete')[0].startTime));
  // The first navigation loads the scripts cold; the figure is the median of three.
  result.overviewInteractiveRunsMs = interactive.map(Math.round);
  result.overviewInteractiveMs = [...interactive].sort((a, b) => a - b)[1];

  step('team filter and search change the numbers; the URL keeps them');
  await page.selectOption('[data-testid=team-filter]', 'discovery');
  await page.waitForURL(/team=discovery/);
  await page.waitForSelector('body[data-overview=interactive], body[data-overview=complete]');
  assert.equal(await page.textContent('[data-testid=count]'), String(expect.discoveryCount));
  // The team's rows load first, so its riskiest SLO reaches the top before the other teams' statuses are in.
  await page.waitForFunction(() => document.querySelector('tbody tr[data-slo]')?.getAttribute('data-slo') === 'search-latency');
  await page.fill('[data-testid=search]', 'search-lat');
  await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '1');
  assert.match(page.url(), /q=search-lat/);
  const shared = page.url();
  await page.goto(shared);
  await page.waitForSelector('body[data-overview=interactive], body[data-overview=complete]');
  assert.equal(await page.textContent('[data-testid=count]'), '1');
  assert.equal(await page.inputValue('[data-testid=search]'), 'search-lat');
  assert.equal(await page.inputValue('[data-testid=team-filter]'), 'discovery');

  step('SLO detail');
  await page.goto(`${base}/slos/checkout-availability?range=6h`);
  await page.waitForSelector('[data-testid=kpis]');
  const ca = expect.statuses['checkout-availability'];
  assert.equal(await page.textContent('[data-field=budget]'), budgetLabel(ca.remaining));
  assert.equal(await page.textContent('[data-field=target]'), '99.90%');
  assert.match(await page.textContent('[data-testid=yaml]'), /name: checkout-availability/);
  assert.equal(await page.textContent('[data-testid=burn-rates] tr[data-window="1h"] td'), burn(ca.burn1h));
  await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 2);
  await page.screenshot({ path: `${shots}/slo-detail.png`, fullPage: true });

  step('latency: the time range changes the numbers');
  // A custom range of exactly the last seeded hour, so the figure does not depend on how long the test took.
  const to = new Date(expect.lastMinuteEnd).toISOString();
  const from = new Date(expect.lastMinuteEnd - 3_600_000).toISOString();
  await page.goto(`${base}/latency?service=checkout&from=${from}&to=${to}`);
  await page.waitForSelector('[data-testid=latency-summary]');
  assert.equal(await page.textContent('[data-field=requests]'), (60 * expect.spansPerMinute).toLocaleString('en'));
  await page.click('button[data-range="6h"]');
  await page.waitForURL(/range=6h/);
  await page.waitForFunction((n) => document.querySelector('[data-field=requests]')?.textContent === n, (expect.minutes * expect.spansPerMinute).toLocaleString('en'));
  assert.equal(await page.textContent('[data-field=errors]'), String(expect.minutes));
  await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 3);
  await page.screenshot({ path: `${shots}/latency.png`, fullPage: true });
  await page.reload();
  await page.waitForSelector('[data-testid=latency-summary]');
  assert.equal(await page.locator('button[data-range="6h"]').getAttribute('aria-pressed'), 'true');

  step('alerts');
  await page.goto(`${base}/alerts`);
  await page.waitForSelector('h2:has-text("Firing")');
  await page.screenshot({ path: `${shots}/alerts.png`, fullPage: true });

  step('error state with the API stopped');
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-overview=interactive], body[data-overview=complete]');
  console.log('STOP_API');
  const stdin = createInterface({ input: process.stdin });
  await new Promise((resolve) => stdin.once('line', resolve));
  stdin.close();
  await page.click('nav a:has-text("Latency")');
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /The API is not answering: is \.\/nines up running\?/);
  await page.screenshot({ path: `${shots}/api-down.png` });
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (e) {
  const pages = browser.contexts().flatMap((c) => c.pages());
  if (pages[0]) await pages[0].screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
