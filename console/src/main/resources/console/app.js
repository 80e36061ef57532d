// The console's shell: the token form, the navigation, and a hash router (#/streams,
// #/stream/NAME, #/subscriptions, #/server). Each page module exports render(main, params) and
// may return a function that stops its timers and live reads when the page is left.
import { setToken, token } from './api.js';
import { status } from './ui.js';
import * as streams from './streams.js';
import * as stream from './stream.js';
import * as subscriptions from './subscriptions.js';
import * as server from './server.js';

const main = document.getElementById('main');
let leave = null;

function route() {
  if (leave) {
    leave();
    leave = null;
  }
  const hash = location.hash || '#/streams';
  const [path, query = ''] = hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  let page = 'streams';
  if (path.startsWith('/stream/')) {
    page = 'stream';
    params.set('name', decodeURIComponent(path.slice('/stream/'.length)));
  } else if (path === '/subscriptions' || path === '/server') {
    page = path.slice(1);
  }
  for (const a of document.querySelectorAll('nav a[data-page]')) {
    if (a.dataset.page === page || (page === 'stream' && a.dataset.page === 'streams')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const module = { streams, stream, subscriptions, server }[page];
  main.replaceChildren();
  leave = module.render(main, params) || null;
}

const tokenInput = document.getElementById('token');
tokenInput.value = token();
document.getElementById('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(tokenInput.value.trim());
  status(token() ? 'Token set for this browser tab.' : 'No token: requests go without one.');
  route();
});
document.getElementById('token-forget').addEventListener('click', () => {
  tokenInput.value = '';
  setToken('');
  status('Token forgotten.');
  route();
});

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
route();
