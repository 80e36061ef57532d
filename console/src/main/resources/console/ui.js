// DOM helpers: elements are built with textContent only (never innerHTML), so no stream name or
// payload is ever interpreted as markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let statusTimer = null;

/** A message in the status line (announced to screen readers); errors stay until replaced. */
export function status(text, kind = '') {
  const el = document.getElementById('status');
  el.textContent = text;
  el.className = 'status' + (kind ? ' ' + kind : '');
  clearTimeout(statusTimer);
  if (kind !== 'error' && text) statusTimer = setTimeout(() => { el.textContent = ''; }, 5000);
}

export function error(e) {
  status(e && e.message ? e.message : String(e), 'error');
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? String(Math.round(v * 10) / 10) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

export function number(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The route fragment of a stream's page. */
export function streamHref(name) {
  return '#/stream/' + encodeURIComponent(name);
}

/** Whether a content type is JSON mode, text, or bytes (rendered as hex). */
export function kindOf(contentType) {
  const t = (contentType || '').split(';')[0].trim().toLowerCase();
  if (t === 'application/json') return 'json';
  if (t.startsWith('text/') || t.endsWith('+json') || t.endsWith('+xml') || t === 'application/xml'
      || t === 'application/javascript' || t === 'application/x-ndjson' || /charset=/i.test(contentType || '')) {
    return 'text';
  }
  return 'binary';
}

/** A classic hex dump: offset, 16 bytes in hex, the printable ones as text. */
export function hexdump(u8) {
  const lines = [];
  for (let i = 0; i < u8.length; i += 16) {
    const row = u8.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(i.toString(16).padStart(8, '0') + '  ' + hex.padEnd(47) + '  |' + text + '|');
  }
  return lines.join('\n');
}

export function base64Bytes(text) {
  const bin = atob(text.replace(/\s+/g, ''));
  const u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  return u8;
}

/** Runs `task` every `ms` while the page is visible, and now; returns a stop function. */
export function every(ms, task) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    timer = null;
    if (stopped) return;
    if (!document.hidden) {
      try { await task(); } catch (e) { error(e); }
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

/** Opens a modal confirmation; resolves true when confirmed. */
export function confirmDialog(title, message, confirmLabel, { requireText } = {}) {
  return new Promise((resolve) => {
    const input = requireText ? h('input', { id: 'confirm-text', autocomplete: 'off', spellcheck: 'false' }) : null;
    const ok = h('button', { type: 'submit', class: 'danger', value: 'ok', 'data-confirm': '' }, confirmLabel);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title), h('p', {}, message),
      input ? h('div', { class: 'form-row' }, h('label', { for: 'confirm-text' }, `Type “${requireText}” to confirm`), input) : null,
      h('div', { class: 'toolbar' }, ok, cancel));
    const dialog = h('dialog', { 'aria-label': title }, form);
    const check = () => { ok.disabled = input ? input.value !== requireText : false; };
    if (input) input.addEventListener('input', check);
    check();
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
    (input || cancel).focus();
  });
}
