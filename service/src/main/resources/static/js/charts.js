// Chart.js line charts (the UMD build from the WebJar defines window.Chart) set up once for the whole
// dashboard: no animation, step on x, LTTB decimation so long runs stay fast, and data given as {x, y}
// points that are not re-parsed.

import {h} from './dom.js';
import {formatNumber} from './format.js';

/** Distinct, colour-blind friendlier hues (Okabe–Ito-like, then Tableau-like). */
export const PALETTE = ['#2457c5', '#e07a10', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#b08800', '#5c5f66',
  '#d9480f', '#1c7ed6', '#66a80f', '#9c36b5'];

export function chartsAvailable() {
  return typeof window.Chart === 'function';
}

/** A placeholder where a chart cannot be drawn (library missing). */
export function chartUnavailable() {
  return h('div', {class: 'empty'}, 'Charts are unavailable: the Chart.js library did not load from /webjars.');
}

/** A colour from light (0) to dark (1) along a blue ramp, for ordered series such as layer depth. */
export function rampColour(t) {
  const clamped = Math.min(1, Math.max(0, t));
  const hue = 200 + 30 * clamped;
  const light = 68 - 44 * clamped;
  return `hsl(${hue.toFixed(0)} 70% ${light.toFixed(0)}%)`;
}

/**
 * A line chart on `canvas`. Options: yTitle, xTitle ('step'), yType ('linear' | 'logarithmic'),
 * legend (boolean), yMin/yMax, compact (small-multiples styling), title.
 */
export function lineChart(canvas, {yTitle, xTitle = 'step', yType = 'linear', legend = false, yMin, yMax, compact = false,
  title} = {}) {
  const grid = '#e9ecef';
  const tick = {color: '#6b7280', font: {size: compact ? 10 : 11}, maxTicksLimit: compact ? 4 : 8};
  return new window.Chart(canvas, {
    type: 'line',
    data: {datasets: []},
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      interaction: {mode: 'nearest', axis: 'x', intersect: false},
      elements: {point: {radius: 0, hitRadius: 4, hoverRadius: 3}, line: {borderWidth: compact ? 1.25 : 1.75, tension: 0}},
      scales: {
        x: {type: 'linear', title: {display: !compact && Boolean(xTitle), text: xTitle, color: '#6b7280'},
          grid: {color: grid}, ticks: {...tick, precision: 0}},
        y: {type: yType, min: yMin, max: yMax, title: {display: !compact && Boolean(yTitle), text: yTitle, color: '#6b7280'},
          grid: {color: grid}, ticks: {...tick, callback: yType === 'logarithmic' ? logTick : (v) => formatNumber(v)}},
      },
      plugins: {
        title: {display: Boolean(title), text: title, align: 'start', color: '#374151', font: {size: 12, weight: '600'},
          padding: {top: 0, bottom: 4}},
        legend: {display: legend, position: 'bottom', labels: {boxWidth: 14, boxHeight: 2, font: {size: 11}, color: '#374151'}},
        decimation: {enabled: true, algorithm: 'lttb', samples: 500, threshold: 1000},
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? `${xTitle} ${items[0].parsed.x}` : ''),
            label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y)}`,
          },
        },
      },
    },
  });
}

/**
 * Sets a chart's series: [{key, label, data: [{x, y}], colour, dashed, width}]. Existing datasets are
 * updated in place (by key) so Chart.js keeps hidden-series state; data arrays are assigned, never pushed
 * to, because the decimation plugin swaps `data` for its decimated copy.
 */
export function setSeries(chart, series) {
  const byKey = new Map(chart.data.datasets.map((d) => [d.key, d]));
  chart.data.datasets = series.map((s) => {
    const d = byKey.get(s.key) || {key: s.key, fill: false};
    d.label = s.label;
    d.data = s.data;
    d.borderColor = s.colour;
    d.backgroundColor = s.colour;
    d.borderDash = s.dashed ? [5, 3] : [];
    d.borderWidth = s.width;
    d.order = s.order ?? 0;
    // a short run has a handful of points: draw them, or a single one would not show at all
    d.pointRadius = s.data.length <= 40 ? 2.5 : 0;
    return d;
  });
  chart.update('none');
}

/** A card holding one chart at a fixed height (Chart.js sizes itself to its container). */
export function chartCard(title, {testid, height = 240, note} = {}) {
  const canvas = h('canvas', {role: 'img', 'aria-label': title});
  const empty = h('div', {class: 'chart-empty'}, 'No points yet.');
  const card = h('figure', {class: 'card chart-card', 'data-testid': testid},
    h('figcaption', null, title, note ? h('span', {class: 'muted small'}, ` ${note}`) : null),
    h('div', {class: 'chart-box', style: `height:${height}px`}, canvas, empty));
  return {card, canvas, empty};
}

/** Labels only the powers of ten of a log axis ("1e-6"), which Chart.js would otherwise crowd with 2s and 5s. */
function logTick(value) {
  const exponent = Math.log10(value);
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return '';
  const e = Math.round(exponent);
  return e >= 0 && e <= 3 ? String(10 ** e) : `1e${e}`;
}

/** Exponential moving average with the start-up bias removed (as TensorBoard's smoothing). */
export function smooth(points, weight = 0.9) {
  let s = 0;
  return points.map((p, i) => {
    s = weight * s + (1 - weight) * p.y;
    return {x: p.x, y: s / (1 - weight ** (i + 1))};
  });
}
