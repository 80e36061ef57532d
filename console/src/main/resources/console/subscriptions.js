// The subscriptions page: GET __ds/subscriptions, refreshed every few seconds: each subscription's
// status, what is pending, the wake in progress and the last delivery error.
import { listSubscriptions } from './api.js';
import { every, fill, h, number, streamHref, time } from './ui.js';

const REFRESH_MS = 3000;

export function render(main) {
  const tbody = h('tbody');
  const summary = h('caption', { class: 'muted' });
  const updated = h('p', { class: 'muted', id: 'updated' });
  main.append(h('h1', {}, 'Subscriptions'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'subscriptions' }, summary,
      h('thead', {}, h('tr', {}, ['Id', 'Type', 'Target', 'Status', 'Pending', 'Wake', 'Retries', 'Last error']
        .map((c) => h('th', { scope: 'col' }, c)))), tbody)),
    updated);

  let shown = '';
  return every(REFRESH_MS, async () => {
    const { subscriptions } = await listSubscriptions();
    updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
    const key = JSON.stringify(subscriptions);
    if (key === shown) return;
    shown = key;
    summary.textContent = subscriptions.length
      ? `${subscriptions.length} subscription${subscriptions.length === 1 ? '' : 's'}`
      : 'No subscriptions that this token may read.';
    fill(tbody, subscriptions.map((s) => h('tr', { 'data-id': s.id },
      h('td', { class: 'name mono' }, s.id),
      h('td', {}, s.type),
      h('td', { class: 'name' }, target(s)),
      h('td', {}, h('span', { class: s.status === 'failed' ? 'badge bad' : 'badge ok' }, s.status)),
      h('td', { class: 'num' }, `${number(s.pending_streams)} of ${number(s.streams.length)} streams`),
      h('td', {}, wake(s)),
      h('td', {}, s.attempts ? `${s.attempts} failed; next ${time(s.next_attempt_at)}` : '–'),
      h('td', { class: s.last_error ? 'error' : 'muted' },
        s.last_error ? `${s.last_error.message} (${time(s.last_error.at)})` : '–'))));
  });
}

function target(s) {
  const parts = [];
  if (s.pattern) parts.push(h('div', {}, 'pattern ', h('code', {}, s.pattern)));
  if (s.webhook) parts.push(h('div', {}, 'webhook ', h('code', {}, s.webhook.url)));
  if (s.wake_stream) parts.push(h('div', {}, 'wake stream ', h('a', { href: streamHref(s.wake_stream) }, s.wake_stream)));
  return parts;
}

function wake(s) {
  if (!s.wake) return 'idle';
  const w = s.wake;
  const parts = [h('div', { class: 'mono' }, `#${s.generation} ${w.wake_id}`)];
  if (w.holder) parts.push(h('div', {}, `held by ${w.holder} until ${time(w.lease_expires_at)}`));
  else parts.push(h('div', {}, s.type === 'pull-wake' ? (w.announced ? 'announced, waiting for a claim' : 'being announced') : 'being delivered'));
  return parts;
}
