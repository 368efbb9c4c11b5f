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

  // Status requests of the first overview load: the batch route answers 100 SLOs a request.
  const statusRequests = { batch: 0, single: 0 };
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/api/v1/slo-statuses') statusRequests.batch++;
    else if (/^\/api\/v1\/slos\/[^/]+\/status$/.test(path)) statusRequests.single++;
  });

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
  result.statusRequests = statusRequests.batch + statusRequests.single;
  assert.equal(statusRequests.single, 0, 'no per-SLO status requests when the batch route answers');
  assert.ok(statusRequests.batch >= 5 && statusRequests.batch <= 10, `batch status requests: ${statusRequests.batch}`);

  step('30-day sparkline of a seeded SLO');
  const spark = 'tr[data-slo="checkout-availability"] [data-field=trend] canvas.spark';
  await page.waitForSelector(spark);
  assert.equal(await page.getAttribute(spark, 'data-points'), String(expect.trend.points), 'sparkline points');
  assert.ok(expect.trend.points >= 30, `30 daily points, was ${expect.trend.points}`);
  assert.match(await page.getAttribute(spark, 'aria-label'), new RegExp(`over ${expect.trend.points} days, now ${pct1(expect.trend.last).replace('.', '\\.')}$`));
  // Only rows on screen fetch their history: far fewer than 500.
  const trends = await page.$$eval('canvas.spark', (c) => c.length);
  assert.ok(trends >= 3 && trends < 100, `sparklines drawn: ${trends}`);
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

  step('all 500 statuses from the batch route');
  // limit=500, following nextCursor should the API cut a page short: the median of three.
  const batchRuns = [];
  for (let i = 0; i < 3; i++) {
    batchRuns.push(await page.evaluate(async () => {
      const started = performance.now();
      let statuses = 0;
      let requests = 0;
      let cursor = null;
      do {
        const response = await fetch(`/api/v1/slo-statuses?limit=500&groups=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (!response.ok) throw new Error(`slo-statuses answered ${response.status}`);
        const body = await response.json();
        statuses += body.statuses.length;
        requests++;
        cursor = body.nextCursor ?? null;
      } while (cursor);
      return { ms: performance.now() - started, statuses, requests };
    }));
  }
  for (const run of batchRuns) assert.equal(run.statuses, 500, 'statuses from the batch route');
  result.batch500RunsMs = batchRuns.map((r) => Math.round(r.ms));
  result.batch500Requests = batchRuns.map((r) => r.requests);
  result.batch500Ms = [...result.batch500RunsMs].sort((a, b) => a - b)[1];

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

  step('latency heatmap: every seeded span, the hottest band holds the seeded latency');
  const hm = expect.heatmap;
  const hmFrom = new Date(expect.lastMinuteEnd - 3_600_000).toISOString();
  await page.goto(`${base}/latency?service=${hm.service}&from=${hmFrom}&to=${to}`);
  const heatmap = '[data-testid=heatmap]';
  await page.waitForSelector(heatmap);
  assert.equal(await page.getAttribute(heatmap, 'data-total'), String(hm.spans), 'heatmap spans');
  const hottest = { lower: Number(await page.getAttribute(heatmap, 'data-hottest-lower-ms')), upper: Number(await page.getAttribute(heatmap, 'data-hottest-upper-ms')) };
  assert.ok(hottest.lower < hm.millis && hm.millis <= hottest.upper, `hottest band ${hottest.lower}-${hottest.upper} ms holds ${hm.millis} ms`);
  assert.equal(await page.getAttribute(heatmap, 'data-hottest-count'), String(hm.hottestSpans));
  const bands = await page.$$eval('[data-testid=heatmap-bands] tbody tr', (rows) => rows.map((r) => ({
    lower: Number(r.dataset.lowerMs), upper: Number(r.dataset.upperMs), count: Number(r.querySelector('[data-field=count]').textContent.replace(/,/g, '')) })));
  assert.equal(bands.reduce((n, b) => n + b.count, 0), hm.spans, 'the bands hold every span');
  const slow = bands.find((b) => b.lower < hm.slowMillis && hm.slowMillis <= b.upper);
  assert.equal(slow?.count, hm.spans - hm.hottestSpans, 'the slow band');
  assert.ok(bands.length >= 2 && bands.length <= 30, `bands: ${bands.length}`);
  assert.match(await page.getAttribute(`${heatmap} .chart`, 'aria-label'), new RegExp(`${(hm.spans).toLocaleString('en')} spans; most in`));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=heatmap] canvas').length >= 1);
  await page.locator(heatmap).screenshot({ path: `${shots}/latency-heatmap.png` });
  // The operation filter and the URL carry over: the same spans under their operation, none under another.
  await page.fill('[data-testid=latency-operation]', 'GET /balance');
  await page.press('[data-testid=latency-operation]', 'Enter');
  await page.waitForURL(/op=GET/);
  await page.reload();
  await page.waitForSelector(heatmap);
  assert.equal(await page.getAttribute(heatmap, 'data-total'), String(hm.spans), 'heatmap spans of the operation');

  step('alerts: the seeded transition and its delivery');
  await page.goto(`${base}/alerts`);
  await page.waitForSelector('body[data-alerts=loaded]');
  assert.equal(await page.textContent('[data-count=firing]'), '1');
  const firingRow = `[data-testid=firing-alerts] tr[data-alert="${expect.firingAlert}"]`;
  assert.equal(await page.textContent(`${firingRow} [data-field=state]`), 'firing');
  assert.equal(await page.textContent('[data-testid=recent-alerts] tr[data-alert="search-latency/ticket"] [data-field=state]'), 'resolved');
  assert.equal(await page.textContent('[data-testid=recent-alerts] tr[data-alert="payments-latency/page"] [data-field=observed]'),
    'p99 was 742 ms over 5m (threshold 300 ms)', 'what the latency rule observed');
  // Keyboard only: focus the alert's Deliveries button and press Enter.
  await page.focus(`${firingRow} button[data-action=deliveries]`);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(`${firingRow} button[data-action=deliveries]`, 'aria-expanded'), 'true');
  const delivered = `tr[data-deliveries="${expect.firingAlert}"] tr[data-outcome=delivered]`;
  await page.waitForSelector(delivered);
  assert.equal(await page.textContent(`${delivered} [data-field=target]`), `${expect.pager} (pagerduty)`);
  assert.equal(await page.$$eval(`tr[data-deliveries="${expect.firingAlert}"] tbody tr`, (r) => r.length), 2, 'a retry and a delivery');
  assert.match(await page.textContent(`tr[data-deliveries="${expect.firingAlert}"] tr[data-outcome=retry]`), /503/);

  step('alerts: create a silence, see it listed, expire it');
  const comment = `e2e maintenance ${Date.now()}`;
  await page.fill('#silence-slo', 'checkout-availability');
  await page.selectOption('#silence-duration', '2h');
  await page.fill('#silence-comment', comment);
  await page.press('#silence-comment', 'Enter');
  const silenceRow = `[data-testid=silences] tr:has(td[data-field=comment]:text-is("${comment}"))`;
  await page.waitForSelector(silenceRow);
  assert.equal(await page.textContent(`${silenceRow} [data-field=state]`), 'active');
  assert.match(await page.textContent(`${silenceRow} [data-field=match]`), /slo=checkout-availability/);
  assert.match(await page.textContent('[data-testid=silence-status]'), /Silence created/);
  await page.screenshot({ path: `${shots}/alerts.png`, fullPage: true });
  await page.click(`${silenceRow} button[data-action=expire]`);
  await page.waitForSelector(silenceRow, { state: 'detached' });
  assert.match(await page.textContent('[data-testid=silence-status]'), /expired/);

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
