// End-to-end test of the web console in a real, headless Chromium driven by playwright-core.
// scripts/console-test.sh starts `ds serve` (memory store, two tokens) and runs this with
// DS_URL (the server), DS_ADMIN_TOKEN (read and write everything), DS_TEAM_TOKEN (read team-a/
// only), CHROMIUM (the browser binary) and DS_CONSOLE_OUT (where screenshots go).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = process.env.DS_URL;
const ADMIN = process.env.DS_ADMIN_TOKEN;
const TEAM = process.env.DS_TEAM_TOKEN;
const OUT = process.env.DS_CONSOLE_OUT || path.join(import.meta.dirname, 'out');
assert.ok(BASE && ADMIN && TEAM, 'DS_URL, DS_ADMIN_TOKEN and DS_TEAM_TOKEN are required (run scripts/console-test.sh)');
const ORIGIN = new URL(BASE).origin;
const TIMEOUT = 30_000; // generous: CI machines may be busy

let browser;
const problems = []; // page errors, console errors (CSP violations among them), requests to other origins

before(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  await seed();
});

after(async () => {
  await browser?.close();
});

// ---------------------------------------------------------------- the API, from Node

function streamPath(name) {
  return '/v1/stream/' + name.split('/').map(encodeURIComponent).join('/');
}

async function api(method, name, { token = ADMIN, headers = {}, body } = {}) {
  const r = await fetch(BASE + streamPath(name), {
    method, body, headers: { Authorization: `Bearer ${token}`, ...headers },
  });
  return r;
}

/** The status of a GET of `p` sent exactly as written (fetch would normalize dot segments away). */
function rawStatus(p) {
  return new Promise((resolve, reject) => {
    const u = new URL(BASE);
    http.get({ host: u.hostname, port: u.port, path: p }, (r) => {
      r.resume();
      resolve(r.statusCode);
    }).on('error', reject);
  });
}

async function created(name, contentType, body) {
  const r = await api('PUT', name, { headers: { 'Content-Type': contentType }, body });
  assert.equal(r.status, 201, `create ${name}: ${await r.text()}`);
}

async function seed() {
  await created('team-a/orders', 'application/json', JSON.stringify([{ n: 1, item: 'apple' }, { n: 2, item: 'pear' }]));
  await created('team-a/notes', 'text/plain', 'first note\n');
  await created('team-a/wake', 'application/json');
  await created('team-b/secret', 'text/plain', 'not for team a');
  await created('bin/blob', 'application/octet-stream', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x41, 0x42]));
}

// ---------------------------------------------------------------- the browser

/** A new page (own context: own sessionStorage) that records problems; optionally with a token entered. */
async function open(token, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[14]|status of 410/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== ORIGIN) problems.push(`request to another origin: ${r.url()}`);
  });
  await page.goto(BASE + '/console/');
  if (token) {
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
  }
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, name), fullPage: true, timeout: 2 * TIMEOUT });
}

async function listedNames(page) {
  return page.$$eval('#streams tbody a[data-name]', (as) => as.map((a) => a.getAttribute('data-name')));
}

async function waitListed(page, expected) {
  await page.waitForFunction((want) => {
    const names = [...document.querySelectorAll('#streams tbody a[data-name]')].map((a) => a.getAttribute('data-name'));
    return JSON.stringify(names) === JSON.stringify(want);
  }, expected);
}

function noProblems() {
  assert.deepEqual(problems, [], 'the console ran without errors and spoke only to its own origin');
}

// ---------------------------------------------------------------- tests, in order

test('the console is served with a strict CSP, caching validators, a redirect and nothing else', async () => {
  const index = await fetch(BASE + '/console/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const etag = index.headers.get('etag');
  assert.equal((await fetch(BASE + '/console/', { headers: { 'If-None-Match': etag } })).status, 304);
  const js = await fetch(BASE + '/console/app.js');
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const redirect = await fetch(BASE + '/console', { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), '/console/');
  for (const p of ['/console/nope.js', '/console/../console/app.js', '/console/%2e%2e/metrics', '/console/..%2fpom.xml',
    '/console/index.html/', '/console//app.js', '/console/APP.JS']) {
    assert.equal(await rawStatus(p), 404, p);
  }
});

test('streams are listed, searchable by prefix, and open on a click', async () => {
  const page = await open(ADMIN);
  await waitListed(page, ['bin/blob', 'team-a/notes', 'team-a/orders', 'team-a/wake', 'team-b/secret']);
  await shot(page, 'streams.png');

  await page.fill('#prefix', 'team-a/');
  await waitListed(page, ['team-a/notes', 'team-a/orders', 'team-a/wake']);
  assert.match(page.url(), /#\/streams\?prefix=team-a%2F/);

  // counters update by themselves: an append made elsewhere shows up in the row
  const before = await page.textContent('#streams tr[data-name="team-a/notes"] td:nth-child(3)');
  assert.equal((await api('POST', 'team-a/notes', { headers: { 'Content-Type': 'text/plain' }, body: 'more text\n' })).status, 204);
  await page.waitForFunction((b) => document.querySelector('#streams tr[data-name="team-a/notes"] td:nth-child(3)').textContent !== b, before);

  // sorting by a column, with the keyboard
  await page.focus('#streams th:nth-child(3) button');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#streams th:nth-child(3)', 'aria-sort'), 'descending');

  await page.click('#streams a[data-name="team-a/orders"]');
  await page.waitForSelector('#stream-name');
  assert.equal(await page.textContent('#stream-name'), 'team-a/orders');
  await page.close();
  noProblems();
});

test('a stream page tails live, appends from the form, validates JSON, and forks', async () => {
  const page = await open(ADMIN);
  await page.goto(BASE + '/console/#/stream/' + encodeURIComponent('team-a/orders'));
  await page.waitForSelector('#meta dd[data-field="Stream-Next-Offset"]');
  await page.waitForFunction(() => document.querySelectorAll('#tail .entry.json').length === 2);
  assert.match(await page.textContent('#tail'), /"item": "pear"/);

  // invalid JSON never leaves the page
  await page.fill('#append-body', '{"n": 3,');
  await page.click('#append-submit');
  await page.waitForSelector('#append-error:not(:empty)');
  assert.match(await page.textContent('#append-error'), /Not valid JSON/);

  await page.fill('#append-body', '{"n": 3, "item": "from the console"}');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('#tail').textContent.includes('from the console'));
  const all = await (await fetch(`${BASE}${streamPath('team-a/orders')}?offset=-1`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json();
  assert.deepEqual(all.map((m) => m.n), [1, 2, 3]);

  // pause, an append while paused, resume: nothing is lost
  await page.click('#tail-pause');
  await page.waitForFunction(() => document.querySelector('#tail-state').dataset.state === 'stopped');
  await api('POST', 'team-a/orders', { headers: { 'Content-Type': 'application/json' }, body: '{"n":4,"item":"while paused"}' });
  await page.click('#tail-pause');
  await page.waitForFunction(() => document.querySelector('#tail').textContent.includes('while paused'));
  assert.equal(await page.$$eval('#tail .entry.json', (e) => e.length), 4);
  await shot(page, 'stream.png');

  // jump to an offset (the tail's): the tail restarts there
  const offset = (await api('HEAD', 'team-a/orders')).headers.get('stream-next-offset');
  await page.fill('#tail-offset', offset);
  await page.press('#tail-offset', 'Enter');
  await page.waitForFunction(() => document.querySelector('#tail-state').dataset.state === 'caught-up');
  assert.equal(await page.$$eval('#tail .entry', (e) => e.length), 0);

  // fork at the tail: the fork page shows the shared messages
  await page.fill('#fork-name', 'team-a/orders-fork');
  await page.click('#fork-submit');
  await page.waitForFunction(() => document.querySelector('#stream-name')?.textContent === 'team-a/orders-fork');
  await page.waitForFunction(() => document.querySelectorAll('#tail .entry.json').length === 4);
  assert.match(await page.textContent('#badges'), /fork of team-a\/orders/);
  assert.equal((await api('HEAD', 'team-a/orders-fork')).status, 200);
  await page.close();
  noProblems();
});

test('binary streams show as hex', async () => {
  const page = await open(ADMIN);
  await page.goto(BASE + '/console/#/stream/' + encodeURIComponent('bin/blob'));
  await page.waitForFunction(() => document.querySelector('#tail').textContent.includes('de ad be ef 41 42'));
  assert.match(await page.textContent('#tail'), /\|\.\.\.\.AB\|/);
  await page.close();
  noProblems();
});

test('deleting asks for the name, then the stream is gone; a deleted source of a fork shows as soft-deleted', async () => {
  const page = await open(ADMIN);
  await page.goto(BASE + '/console/#/stream/' + encodeURIComponent('team-a/orders-fork'));
  await page.waitForSelector('#meta dd[data-field="Stream-Next-Offset"]');
  await page.click('#delete-stream');
  await page.waitForSelector('dialog[open]');
  assert.equal(await page.isDisabled('dialog button[data-confirm]'), true);
  await page.fill('#confirm-text', 'team-a/orders-fork');
  await page.click('dialog button[data-confirm]');
  await page.waitForFunction(() => location.hash.startsWith('#/streams'));
  await page.waitForSelector('#streams a[data-name="team-a/orders"]');
  assert.ok(!(await listedNames(page)).includes('team-a/orders-fork'));
  assert.equal((await api('HEAD', 'team-a/orders-fork')).status, 404);

  // a stream deleted while a fork reads it answers 410: the page says so plainly
  const fork = await api('PUT', 'team-a/notes-copy', { headers: { 'Stream-Forked-From': streamPath('team-a/notes') } });
  assert.equal(fork.status, 201);
  assert.equal((await api('DELETE', 'team-a/notes')).status, 204);
  await page.goto(BASE + '/console/#/stream/' + encodeURIComponent('team-a/notes'));
  await page.waitForSelector('#stream-banner:not([hidden])');
  assert.match(await page.textContent('#stream-banner'), /Soft-deleted/);
  await shot(page, 'stream-soft-deleted.png');
  await page.close();
  noProblems();
});

test('subscriptions are listed with their state', async () => {
  const sub = await fetch(`${BASE}/v1/stream/__ds/subscriptions/a-orders`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'pull-wake', pattern: 'team-a/*', wake_stream: 'team-a/wake', description: 'orders' }),
  });
  assert.equal(sub.status, 201, await sub.text());
  await api('POST', 'team-a/orders', { headers: { 'Content-Type': 'application/json' }, body: '{"n":5}' });
  const page = await open(ADMIN);
  await page.click('nav a[data-page="subscriptions"]');
  await page.waitForSelector('#subscriptions tr[data-id="a-orders"]');
  await page.waitForFunction(() => /announced/.test(document.querySelector('#subscriptions tr[data-id="a-orders"]').textContent));
  assert.match(await page.textContent('#subscriptions tr[data-id="a-orders"]'), /pull-wake/);
  await shot(page, 'subscriptions.png');
  await page.close();
  noProblems();
});

test('the server page shows health and live charts from the metrics', async () => {
  const page = await open(ADMIN);
  await page.click('nav a[data-page="server"]');
  await page.waitForSelector('#health dd.ok');
  for (let i = 0; i < 5; i++) {
    await api('POST', 'team-a/orders', { headers: { 'Content-Type': 'application/json' }, body: `{"n":${10 + i}}` });
  }
  // two samples make a rate: the appends chart gets a value
  await page.waitForFunction(() => /\d/.test(document.querySelector('#chart-appends-value').textContent));
  await page.waitForFunction(() => document.querySelector('#chart-appends polyline').getAttribute('points').split(' ').length >= 2);
  assert.match(await page.textContent('#health'), /ok/);
  await shot(page, 'server.png');
  await page.close();
  noProblems();
});

test('a token with a narrow grant sees only its streams; no token sees an explanation', async () => {
  const page = await open(TEAM);
  await waitListed(page, ['team-a/notes-copy', 'team-a/orders', 'team-a/wake']);
  await shot(page, 'streams-narrow-token.png');
  await page.close();

  const anonymous = await open(null);
  await anonymous.waitForFunction(() => /token/.test(document.querySelector('#status').textContent));
  assert.deepEqual(await listedNames(anonymous), []);
  await anonymous.close();
  noProblems();
});

test('the pages fit a phone and are usable with the keyboard', async () => {
  const page = await open(ADMIN, { width: 390, height: 844 });
  await waitListed(page, ['bin/blob', 'team-a/notes-copy', 'team-a/orders', 'team-a/wake', 'team-b/secret']);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling of the page (${overflow}px)`);
  await shot(page, 'streams-phone.png');

  // from the prefix field (focused on load), Tab reaches the table; Enter on a stream opens it
  assert.equal(await page.evaluate(() => document.activeElement.id), 'prefix');
  let reached = null;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.getAttribute('data-name'));
  }
  assert.equal(reached, 'bin/blob');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#stream-name')?.textContent === 'bin/blob');
  await shot(page, 'stream-phone.png');
  await page.close();
  noProblems();
});
