// The streams page: the listing API (GET __ds/streams) by prefix, a page at a time, sortable
// within the page, refreshed every few seconds so counters move while you watch.
import { listStreams } from './api.js';
import { bytes, every, fill, h, number, status, streamHref, time } from './ui.js';

const REFRESH_MS = 3000;
const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'content_type', label: 'Content type', opt: true },
  { key: 'bytes', label: 'Bytes', num: true },
  { key: 'messages', label: 'Messages', num: true },
  { key: 'closed', label: 'State' },
  { key: 'created_at', label: 'Created', opt: true },
  { key: 'expiry', label: 'Expiry', opt: true },
];

export function render(main, params) {
  let prefix = params.get('prefix') || '';
  let limit = [25, 100, 500, 1000].includes(Number(params.get('limit'))) ? Number(params.get('limit')) : 100;
  let cursors = [null];
  let page = { streams: [], next: null };
  let sort = { key: 'name', dir: 1 };
  let shown = '';

  const search = h('input', { id: 'prefix', type: 'search', class: 'grow', value: prefix, placeholder: 'e.g. chat/',
    spellcheck: 'false', autocomplete: 'off' });
  const size = h('select', { id: 'limit' }, [25, 100, 500, 1000].map((n) => h('option', { value: n, selected: n === limit }, n)));
  const prev = h('button', { type: 'button', id: 'prev-page' }, '← Previous');
  const next = h('button', { type: 'button', id: 'next-page' }, 'Next →');
  const updated = h('span', { class: 'muted', id: 'updated' });
  // built once: re-sorting updates aria-sort in place, so a sort button keeps keyboard focus
  const thead = h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {
    scope: 'col', class: [c.num ? 'num' : '', c.opt ? 'opt' : ''].join(' ').trim() || null, 'data-key': c.key,
  }, h('button', { type: 'button', class: 'sort', onclick: () => resort(c.key) }, c.label)))));
  const tbody = h('tbody');
  const summary = h('p', { class: 'muted', id: 'summary' });

  main.append(
    h('h1', {}, 'Streams'),
    h('form', { class: 'toolbar', role: 'search', onsubmit: (e) => { e.preventDefault(); restart(); } },
      h('label', { for: 'prefix' }, 'Prefix'), search,
      h('label', { for: 'limit' }, 'Per page'), size),
    h('div', { class: 'table-wrap' }, h('table', { id: 'streams' }, h('caption', { class: 'muted' }, summary), thead, tbody)),
    h('div', { class: 'toolbar' }, prev, next, updated));

  let debounce = null;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(restart, 300);
  });
  size.addEventListener('change', restart);
  prev.addEventListener('click', () => { cursors.pop(); load(); });
  next.addEventListener('click', () => { cursors.push(page.next); load(); });

  function restart() {
    prefix = search.value;
    limit = Number(size.value);
    cursors = [null];
    const q = new URLSearchParams();
    if (prefix) q.set('prefix', prefix);
    if (limit !== 100) q.set('limit', String(limit));
    history.replaceState(null, '', '#/streams' + (q.size ? '?' + q : ''));
    load();
  }

  async function load() {
    try {
      page = await listStreams({ prefix, limit, after: cursors[cursors.length - 1] });
      updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
      draw();
    } catch (e) {
      page = { streams: [], next: null };
      shown = '';
      draw();
      throw e;
    }
  }

  function draw() {
    prev.disabled = cursors.length <= 1;
    next.disabled = !page.next;
    const rows = sorted(page.streams);
    const key = JSON.stringify([rows, sort]);
    if (key === shown) return; // nothing changed: keep the DOM (and keyboard focus) as it is
    shown = key;
    const focused = document.activeElement && tbody.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-name') : null;
    for (const th of thead.querySelectorAll('th')) {
      th.setAttribute('aria-sort', th.dataset.key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    fill(tbody, rows.map(row));
    fill(summary, rows.length
      ? `${rows.length} stream${rows.length === 1 ? '' : 's'} on this page${prefix ? ` under “${prefix}”` : ''}, page ${cursors.length}`
      : (prefix ? `No streams under “${prefix}” that this token may read.` : 'No streams that this token may read.'));
    if (focused) {
      const again = [...tbody.querySelectorAll('a[data-name]')].find((a) => a.getAttribute('data-name') === focused);
      if (again) again.focus();
    }
  }

  function row(s) {
    const state = [
      s.closed ? h('span', { class: 'badge' }, 'closed') : h('span', { class: 'badge ok' }, 'open'),
      s.forked_from ? h('span', { class: 'badge', title: `forked from ${s.forked_from.name}` }, 'fork') : null,
    ];
    const expiry = s.expires_at ? `at ${time(s.expires_at)}` : s.ttl_seconds ? `TTL ${number(s.ttl_seconds)} s` : '–';
    return h('tr', { 'data-name': s.name },
      h('td', { class: 'name' }, h('a', { href: streamHref(s.name), 'data-name': s.name }, s.name)),
      h('td', { class: 'opt mono' }, s.content_type),
      h('td', { class: 'num', title: `${s.bytes} bytes` }, bytes(s.bytes)),
      h('td', { class: 'num' }, s.messages === null ? '–' : number(s.messages)),
      h('td', {}, state),
      h('td', { class: 'opt' }, time(s.created_at)),
      h('td', { class: 'opt' }, expiry));
  }

  function resort(key) {
    sort = { key, dir: sort.key === key ? -sort.dir : 1 };
    draw();
  }

  function sorted(list) {
    const value = (s) => (sort.key === 'expiry' ? (s.expires_at || s.ttl_seconds || '') : s[sort.key]);
    return [...list].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sort.dir;
    });
  }

  status('');
  search.focus();
  return every(REFRESH_MS, load);
}
