// Tails a stream live with SSE read through fetch: EventSource cannot send an Authorization
// header. Reconnects where the last control event left off when the server ends a response
// (it does so every --sse-reconnect-interval); stops on EOF, on an error answer, or when told.
import { authHeaders, problem, streamPath } from './api.js';

export class Tail {
  /**
   * @param name     the stream
   * @param handlers onData(payload, {base64, at}), onControl(control), onState(state, detail), onError(error)
   *                 states: connecting, live, caught-up, closed, stopped, retrying
   */
  constructor(name, handlers) {
    this.name = name;
    this.h = handlers;
    this.abort = null;
    this.next = null;
    this.cursor = null;
  }

  /** Starts reading at `offset` (an offset, -1 or now), ending any read in progress. */
  start(offset) {
    this.stop(true);
    this.next = offset;
    this.cursor = null;
    const abort = new AbortController();
    this.abort = abort;
    this.run(abort.signal).catch((e) => {
      if (!abort.signal.aborted) this.h.onError(e);
    });
  }

  /** Stops reading; `next` stays where the stream was read up to, for a later start(next). */
  stop(quiet = false) {
    if (this.abort) {
      this.abort.abort();
      this.abort = null;
      if (!quiet) this.h.onState('stopped');
    }
  }

  async run(signal) {
    let failures = 0;
    while (!signal.aborted) {
      const q = new URLSearchParams({ offset: this.next, live: 'sse' });
      if (this.cursor) q.set('cursor', this.cursor);
      this.h.onState('connecting');
      let r;
      try {
        r = await fetch(`${streamPath(this.name)}?${q}`,
          { headers: authHeaders({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
      } catch (e) {
        if (signal.aborted) return;
        failures++;
        this.h.onState('retrying', String(e.message || e));
        await sleep(Math.min(10000, 500 * 2 ** failures), signal);
        continue;
      }
      if (!r.ok) {
        throw await problem(r);
      }
      failures = 0;
      this.h.onState('live');
      const base64 = (r.headers.get('stream-sse-data-encoding') || '').toLowerCase() === 'base64';
      if (await this.read(r.body.getReader(), base64, signal)) {
        this.h.onState('closed');
        this.abort = null;
        return;
      }
    }
  }

  /** Reads one SSE response; true when the stream ended (closed). */
  async read(reader, base64, signal) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data = [];
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          let line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (signal.aborted) return false; // events read before the stop are not shown after it
          if (line === '') {
            if (event && this.dispatch(event, data.join('\n'), base64)) return true;
            event = '';
            data = [];
          } else if (line.startsWith('event:')) {
            event = field(line, 6);
          } else if (line.startsWith('data:')) {
            data.push(field(line, 5));
          }
        }
      }
    } finally {
      if (signal.aborted) reader.cancel().catch(() => {});
    }
  }

  /** Handles one event; true when it ends the stream. */
  dispatch(event, payload, base64) {
    if (event === 'data') {
      this.h.onData(payload, { base64, at: this.next });
      return false;
    }
    if (event === 'control') {
      const c = JSON.parse(payload);
      if (c.streamNextOffset) this.next = c.streamNextOffset;
      if (c.streamCursor) this.cursor = c.streamCursor;
      this.h.onControl(c);
      if (c.upToDate && !c.streamClosed) this.h.onState('caught-up');
      return c.streamClosed === true;
    }
    return false;
  }
}

/** The value of an SSE field line: after the colon, without one leading space. */
function field(line, colon) {
  return line.charAt(colon) === ' ' ? line.slice(colon + 1) : line.slice(colon);
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
