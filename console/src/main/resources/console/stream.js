// One stream: its metadata (HEAD and the listing entry), a live tail (SSE over fetch) with
// pause, resume and a jump to any offset, and the writes: append, close, fork, delete.
import * as api from './api.js';
import { Tail } from './sse.js';
import {
  base64Bytes, bytes, confirmDialog, error, every, fill, h, hexdump, kindOf, number, status, streamHref, time,
} from './ui.js';

const REFRESH_MS = 3000;
const MAX_ENTRIES = 1000;
const SHOWN_HEADERS = ['content-type', 'stream-next-offset', 'stream-incarnation', 'stream-closed', 'stream-ttl',
  'stream-expires-at', 'stream-restartable'];

export function render(main, params) {
  const name = params.get('name');
  let contentType = null;
  let incarnation = null;
  let gone = false;

  const banner = h('div', { class: 'banner', id: 'stream-banner', role: 'alert', hidden: true });
  const meta = h('dl', { class: 'meta', id: 'meta' });
  const badges = h('p', { id: 'badges' });

  // ---- live tail
  const offsetInput = h('input', { id: 'tail-offset', class: 'mono grow', value: '-1', spellcheck: 'false',
    'aria-describedby': 'tail-offset-hint' });
  const pauseButton = h('button', { type: 'button', id: 'tail-pause' }, 'Pause');
  const tailState = h('span', { id: 'tail-state', class: 'muted' }, '');
  const log = h('div', { class: 'log', id: 'tail', role: 'log', 'aria-label': 'Messages', tabindex: '0' });
  let paused = false;
  let entries = 0;

  const tail = new Tail(name, {
    onData: (payload, { base64, at }) => show(payload, base64, at),
    onControl: (c) => { tailState.dataset.offset = c.streamNextOffset || ''; },
    onState: (state, detail) => {
      const text = {
        connecting: 'connecting…', live: 'live', 'caught-up': 'live, caught up', closed: 'stream closed (EOF): nothing more will arrive',
        stopped: 'paused', retrying: `connection lost (${detail}); retrying…`,
      }[state] || state;
      tailState.textContent = `${text} · at ${tail.next}`;
      tailState.dataset.state = state;
      if (state === 'closed') pauseButton.disabled = true;
    },
    onError: (e) => {
      tailState.textContent = 'stopped: ' + e.message;
      tailState.dataset.state = 'error';
      if (e.type === 'stream-reset') {
        showBanner('warn', 'This stream was reset: it was deleted and created again, and the offset read belongs to '
          + 'the old incarnation. ', h('button', { type: 'button', onclick: () => jump('-1') }, 'Read the new one from the beginning'));
      } else {
        error(e);
      }
    },
  });

  function jump(offset) {
    fill(log);
    entries = 0;
    paused = false;
    pauseButton.textContent = 'Pause';
    pauseButton.disabled = false;
    offsetInput.value = offset;
    tail.start(offset);
  }

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (paused) tail.stop();
    else tail.start(tail.next);
  });

  function show(payload, base64, at) {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    const label = at === '-1' ? 'from the beginning' : at === 'now' ? 'from now' : at;
    const kind = kindOf(contentType);
    if (kind === 'json') {
      let messages;
      try {
        messages = JSON.parse(base64 ? new TextDecoder().decode(base64Bytes(payload)) : payload);
      } catch {
        messages = null;
      }
      if (Array.isArray(messages)) {
        messages.forEach((m, i) => add(jsonEntry(m, i === 0 ? label : null)));
      } else {
        add(h('div', { class: 'entry' }, h('div', { class: 'at' }, label), h('pre', {}, payload)));
      }
    } else {
      const data = base64 ? base64Bytes(payload) : new TextEncoder().encode(payload);
      const body = kind === 'text' ? new TextDecoder().decode(data) : hexdump(data);
      add(h('div', { class: 'entry' }, h('div', { class: 'at' }, `${label} · ${bytes(data.length)}`), h('pre', {}, body)));
    }
    if (stick) log.scrollTop = log.scrollHeight;
  }

  function add(el) {
    log.append(el);
    entries++;
    while (entries > MAX_ENTRIES) {
      log.firstElementChild.remove();
      entries--;
    }
  }

  function jsonEntry(message, label) {
    const pretty = JSON.stringify(message, null, 2);
    const compact = JSON.stringify(message);
    const short = compact.length > 120 ? compact.slice(0, 117) + '…' : compact;
    return h('div', { class: 'entry json' },
      label ? h('div', { class: 'at' }, label) : null,
      h('details', { open: pretty.length <= 400 }, h('summary', {}, short), h('pre', {}, pretty)));
  }

  // ---- append
  const body = h('textarea', { id: 'append-body', spellcheck: 'false', 'aria-describedby': 'append-hint append-error' });
  const appendHint = h('p', { class: 'hint', id: 'append-hint' });
  const appendError = h('p', { class: 'error', id: 'append-error', 'aria-live': 'assertive' });
  const appendForm = h('form', { id: 'append-form' },
    h('div', { class: 'form-row' }, h('label', { for: 'append-body' }, 'Message'), body, appendHint, appendError),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', id: 'append-submit' }, 'Append')));
  body.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      appendForm.requestSubmit();
    }
  });
  appendForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    appendError.textContent = '';
    const text = body.value;
    if (!text.trim()) {
      appendError.textContent = 'Nothing to append.';
      return;
    }
    if (kindOf(contentType) === 'json') {
      try {
        JSON.parse(text);
      } catch (x) {
        appendError.textContent = 'Not valid JSON: ' + x.message;
        body.focus();
        return;
      }
    }
    try {
      await api.append(name, contentType, text);
      body.value = '';
      status('Appended.');
      refresh().catch(error);
    } catch (x) {
      appendError.textContent = x.message;
    }
  });

  // ---- close, fork, delete
  const forkName = h('input', { id: 'fork-name', class: 'grow', spellcheck: 'false', value: name + '-fork' });
  const forkOffset = h('input', { id: 'fork-offset', class: 'mono grow', spellcheck: 'false', placeholder: 'the tail' });
  const forkForm = h('form', { id: 'fork-form', class: 'card' },
    h('h2', {}, 'Fork'),
    h('p', { class: 'hint' }, 'A new stream that shares this one’s data up to the offset (nothing is copied), then goes its own way.'),
    h('div', { class: 'form-row' }, h('label', { for: 'fork-name' }, 'New stream'), forkName),
    h('div', { class: 'form-row' }, h('label', { for: 'fork-offset' }, 'At offset'), forkOffset),
    h('button', { type: 'submit', id: 'fork-submit' }, 'Create fork'));
  forkForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const target = forkName.value.trim();
    if (!target) {
      error('Name the new stream.');
      return;
    }
    try {
      await api.fork(target, name, forkOffset.value.trim());
      status(`Forked into ${target}.`);
      location.hash = streamHref(target);
    } catch (x) {
      error(x);
    }
  });
  const closeButton = h('button', { type: 'button', id: 'close-stream' }, 'Close stream…');
  closeButton.addEventListener('click', async () => {
    if (!await confirmDialog('Close stream', `Close “${name}”? Readers get EOF; nothing can be appended any more.`, 'Close')) return;
    try {
      await api.close(name);
      status('Closed.');
      refresh().catch(error);
    } catch (x) {
      error(x);
    }
  });
  const deleteButton = h('button', { type: 'button', class: 'danger', id: 'delete-stream' }, 'Delete…');
  deleteButton.addEventListener('click', async () => {
    if (!await confirmDialog('Delete stream', `Delete “${name}” and its data? Forks keep what they share with it.`,
      'Delete', { requireText: name })) return;
    try {
      await api.remove(name);
      status(`Deleted ${name}.`);
      location.hash = '#/streams';
    } catch (x) {
      error(x);
    }
  });
  const writes = [appendForm, forkForm, closeButton, deleteButton];

  main.append(
    h('p', {}, h('a', { href: '#/streams' }, '← Streams')),
    h('h1', { id: 'stream-name' }, name),
    badges, banner,
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'meta-title' }, h('h2', { id: 'meta-title' }, 'Metadata'), meta),
      h('section', { class: 'card', 'aria-labelledby': 'append-title' }, h('h2', { id: 'append-title' }, 'Append'), appendForm)),
    h('section', { 'aria-labelledby': 'tail-title' },
      h('h2', { id: 'tail-title' }, 'Live tail'),
      h('form', { class: 'toolbar', id: 'tail-form', onsubmit: (e) => { e.preventDefault(); jump(offsetInput.value.trim() || '-1'); } },
        h('label', { for: 'tail-offset' }, 'Offset'), offsetInput,
        h('button', { type: 'submit' }, 'Jump'),
        h('button', { type: 'button', onclick: () => jump('-1') }, 'Beginning'),
        h('button', { type: 'button', onclick: () => jump('now') }, 'Now'),
        pauseButton),
      h('p', { class: 'hint', id: 'tail-offset-hint' }, 'An offset from the metadata or a message, -1 for the beginning, now for new messages only.'),
      h('p', {}, tailState),
      log),
    h('div', { class: 'grid' }, forkForm,
      h('section', { class: 'card', 'aria-labelledby': 'danger-title' },
        h('h2', { id: 'danger-title' }, 'Close or delete'),
        h('p', { class: 'hint' }, 'Closing is final: the stream keeps its data, and readers reach its end.'),
        h('div', { class: 'toolbar' }, closeButton, deleteButton))));

  function showBanner(kind, ...content) {
    banner.className = 'banner' + (kind === 'warn' ? ' warn' : '');
    fill(banner, ...content);
    banner.hidden = false;
  }

  async function refresh() {
    const r = await api.head(name);
    if (r.status !== 200) {
      gone = true;
      showBanner('bad', r.status === 410
        ? 'Soft-deleted: this stream was deleted, but its data is kept while forks read it. It answers 410 Gone to every request; it goes for good with its last fork.'
        : 'No such stream: it was deleted, expired, or never created (404).');
      for (const w of writes) {
        if (w.tagName === 'BUTTON') w.disabled = true;
        else w.querySelectorAll('button, input, textarea').forEach((x) => { x.disabled = true; });
      }
      fill(badges, h('span', { class: 'badge bad' }, r.status === 410 ? 'soft-deleted' : 'not found'));
      return;
    }
    const seen = r.headers.get('stream-incarnation');
    if (incarnation && seen && seen !== incarnation) {
      showBanner('warn', `Reset: this stream was deleted and created again (incarnation ${incarnation} → ${seen}). `
        + 'Offsets of the old incarnation are gone. ', h('button', { type: 'button', onclick: () => jump('-1') }, 'Read the new one'));
    }
    incarnation = seen;
    const first = contentType === null;
    contentType = r.headers.get('content-type') || 'application/octet-stream';
    if (first) {
      appendHint.textContent = kindOf(contentType) === 'json'
        ? 'JSON, checked before sending. An array appends each element as its own message. Ctrl+Enter sends.'
        : `Sent as ${contentType}. Ctrl+Enter sends.`;
    }
    const entry = await api.entry(name).catch(() => null);
    const closed = r.headers.get('stream-closed') === 'true';
    fill(badges,
      h('span', { class: 'badge' }, contentType),
      closed ? h('span', { class: 'badge warn' }, 'closed') : h('span', { class: 'badge ok' }, 'open'),
      entry && entry.forked_from ? h('span', { class: 'badge' }, 'fork of ', h('a', { href: streamHref(entry.forked_from.name) }, entry.forked_from.name)) : null);
    appendForm.querySelectorAll('textarea, button').forEach((x) => { x.disabled = closed; });
    closeButton.disabled = closed;
    if (!forkOffset.value) forkOffset.placeholder = r.headers.get('stream-next-offset') || 'the tail';
    const rows = [];
    for (const k of SHOWN_HEADERS) {
      const v = r.headers.get(k);
      if (v !== null) rows.push([k.replace(/(^|-)([a-z])/g, (m, d, c) => d + c.toUpperCase()), v]);
    }
    if (entry) {
      rows.push(['Bytes', `${bytes(entry.bytes)} (${number(entry.bytes)})`]);
      rows.push(['Messages', entry.messages === null ? '– (not known)' : number(entry.messages)]);
      rows.push(['Created', time(entry.created_at)]);
      if (entry.forked_from) rows.push(['Forked at', entry.forked_from.offset]);
    }
    fill(meta, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v)]));
  }

  status('');
  let tailing = false;
  const stopRefresh = every(REFRESH_MS, async () => {
    if (gone) return;
    await refresh();
    if (!tailing && !gone) { // the tail starts once the content type is known, so messages render right
      tailing = true;
      jump('-1');
    }
  });
  return () => {
    stopRefresh();
    tail.stop(true);
  };
}
