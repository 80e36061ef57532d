// Small line charts drawn as SVG (no library, no inline styles: the look is in style.css).
import { h } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 100;

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A chart card: title, latest value, and a line of the last `capacity` points. */
export class Chart {
  constructor(id, title, unit, format, capacity = 90) {
    this.points = [];
    this.capacity = capacity;
    this.format = format;
    this.unit = unit;
    this.value = h('div', { class: 'chart-value', id: `${id}-value` }, '–');
    this.line = svg('polyline', { class: 'line', points: '' });
    this.area = svg('polygon', { class: 'area', points: '' });
    const plot = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
      'aria-label': `${title}, last ${capacity} samples` });
    plot.append(svg('line', { class: 'axis', x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5 }), this.area, this.line);
    this.peak = h('span', { class: 'muted' });
    this.element = h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, title), this.value, plot, h('p', { class: 'hint' }, this.peak));
  }

  /** Adds a point (null: no data, drawn as zero but shown as –). */
  push(v) {
    this.points.push(v);
    if (this.points.length > this.capacity) this.points.shift();
    this.value.textContent = v === null ? '–' : `${this.format(v)} ${this.unit}`;
    const max = Math.max(...this.points.map((p) => p || 0));
    this.peak.textContent = `peak ${this.format(max)} ${this.unit} in the window`;
    const scale = max > 0 ? max : 1;
    const step = W / (this.capacity - 1);
    const xy = this.points.map((p, i) => {
      const x = (this.capacity - this.points.length + i) * step;
      const y = H - 2 - ((p || 0) / scale) * (H - 6);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    this.line.setAttribute('points', xy.join(' '));
    if (xy.length) {
      const x0 = xy[0].split(',')[0];
      const x1 = xy[xy.length - 1].split(',')[0];
      this.area.setAttribute('points', `${x0},${H} ${xy.join(' ')} ${x1},${H}`);
    }
  }
}
