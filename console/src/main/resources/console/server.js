// The server page: health and readiness, and live charts computed from /metrics (Prometheus text)
// sampled every two seconds: rates from counter differences, fsync latency as the mean of the
// syncs between two samples.
import { metricsText, probe } from './api.js';
import { Chart } from './charts.js';
import { parse, sum } from './metrics.js';
import { bytes, every, fill, h, number } from './ui.js';

const SAMPLE_MS = 2000;

export function render(main) {
  const health = h('dl', { class: 'meta', id: 'health' });
  const charts = {
    appends: new Chart('chart-appends', 'Appends', '/s', (v) => number(v, 1)),
    appendBytes: new Chart('chart-append-bytes', 'Bytes appended', '/s', bytes),
    readBytes: new Chart('chart-read-bytes', 'Bytes read', '/s', bytes),
    readers: new Chart('chart-readers', 'Live readers', '', (v) => number(v)),
    fsync: new Chart('chart-fsync', 'Sync latency (mean)', 'ms', (v) => number(v, 2)),
  };
  main.append(h('h1', {}, 'Server'),
    h('div', { class: 'grid' }, h('section', { class: 'card', 'aria-labelledby': 'health-title' },
      h('h2', { id: 'health-title' }, 'Health'), health), ...Object.values(charts).map((c) => c.element)));

  let last = null;
  return every(SAMPLE_MS, async () => {
    const [live, ready] = await Promise.all([probe('/healthz'), probe('/readyz')]);
    let samples = null;
    let metricsError = null;
    try {
      samples = parse(await metricsText());
    } catch (e) {
      metricsError = e.message;
    }
    const now = performance.now();
    const rows = [
      ['Live (/healthz)', live.ok ? 'ok' : `down: ${live.text}`, live.ok],
      ['Ready (/readyz)', ready.ok ? 'ready' : `not ready: ${ready.text}`, ready.ok],
    ];
    if (samples) {
      rows.push(['Streams', number(sum(samples, 'ds_streams')), true]);
      const stored = sum(samples, 'ds_store_bytes');
      rows.push(['Stored', stored === null || stored < 0 ? 'not reported by this store' : bytes(stored), true]);
    } else {
      rows.push(['Metrics', metricsError, false]);
    }
    fill(health, rows.flatMap(([k, v, ok]) => [h('dt', {}, k), h('dd', { class: ok ? 'ok' : 'error' }, v)]));
    if (!samples) return;
    const cur = {
      t: now,
      appends: sum(samples, 'ds_appends_total'),
      appendBytes: sum(samples, 'ds_append_bytes_total'),
      readBytes: sum(samples, 'ds_read_bytes_total'),
      fsyncCount: sum(samples, 'ds_fsync_seconds_count'),
      fsyncSum: sum(samples, 'ds_fsync_seconds_sum'),
    };
    charts.readers.push(sum(samples, 'ds_live_connections'));
    if (last) {
      const dt = (cur.t - last.t) / 1000;
      const rate = (k) => (cur[k] === null || last[k] === null ? null : Math.max(0, cur[k] - last[k]) / dt);
      charts.appends.push(rate('appends'));
      charts.appendBytes.push(rate('appendBytes'));
      charts.readBytes.push(rate('readBytes'));
      const syncs = cur.fsyncCount - last.fsyncCount;
      charts.fsync.push(cur.fsyncCount === null ? null : syncs > 0 ? ((cur.fsyncSum - last.fsyncSum) / syncs) * 1000 : 0);
    }
    last = cur;
  });
}
