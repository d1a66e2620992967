// The robustness frontier of a succeeded job (issue #16): WiSE-FT's interpolation theta0 + alpha (theta_ft - theta0)
// evaluated by a worker at a grid of alphas. The section asks for the evaluation, follows its progress, and draws
// the ID-vs-OOD curve as inline SVG (built here, no library, no CDN) with the base reference and the chosen point;
// clicking a point chooses its alpha, and the downloads give the model at that alpha.

import {api, download} from './api.js';
import {h, replace} from './dom.js';
import {formatPercent} from './format.js';
import {problemBox} from './forms.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 320;
const PAD = {left: 56, right: 20, top: 16, bottom: 44};

/** An SVG element with attributes (SVG presentation attributes, not style attributes, so the CSP allows them). */
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** Axis range [lo, hi] covering the values with a margin, on whole percent steps. */
function range(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) { lo -= 0.05; hi += 0.05; }
  const margin = (hi - lo) * 0.08;
  return [Math.max(0, Math.floor((lo - margin) * 100) / 100), Math.min(1, Math.ceil((hi + margin) * 100) / 100)];
}

function ticks([lo, hi], count = 5) {
  const out = [];
  for (let i = 0; i <= count; i += 1) out.push(lo + ((hi - lo) * i) / count);
  return out;
}

/**
 * The ID-vs-OOD chart: x the OOD mean accuracy, y the ID accuracy, one point per alpha joined in alpha order, the
 * base reference as a diamond, the chosen point ringed. onChoose(alpha) is called when a point is clicked.
 */
export function frontierChart(frontier, chosenAlpha, onChoose) {
  const points = frontier.points.filter((p) => Number.isFinite(p.ood_mean_accuracy) && Number.isFinite(p.id_accuracy));
  const base = frontier.base_reference;
  const baseOk = base && Number.isFinite(base.ood_mean_accuracy) && Number.isFinite(base.id_accuracy);
  const xs = points.map((p) => p.ood_mean_accuracy).concat(baseOk ? [base.ood_mean_accuracy] : []);
  const ys = points.map((p) => p.id_accuracy).concat(baseOk ? [base.id_accuracy] : []);
  const xRange = range(xs);
  const yRange = range(ys);
  const x = (v) => PAD.left + ((v - xRange[0]) / (xRange[1] - xRange[0])) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - ((v - yRange[0]) / (yRange[1] - yRange[0])) * (HEIGHT - PAD.top - PAD.bottom);

  const svg = s('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'frontier-chart', role: 'img',
    'data-testid': 'frontier-chart', 'aria-label': 'ID accuracy against OOD mean accuracy along the interpolation'});
  svg.append(s('title', null, 'Robustness frontier: ID accuracy against OOD mean accuracy for each alpha'));
  const grid = s('g', {class: 'frontier-grid'});
  for (const t of ticks(xRange)) {
    grid.append(s('line', {x1: x(t), x2: x(t), y1: PAD.top, y2: HEIGHT - PAD.bottom}),
      s('text', {x: x(t), y: HEIGHT - PAD.bottom + 16, 'text-anchor': 'middle', class: 'frontier-tick'},
        formatPercent(t, 0)));
  }
  for (const t of ticks(yRange)) {
    grid.append(s('line', {x1: PAD.left, x2: WIDTH - PAD.right, y1: y(t), y2: y(t)}),
      s('text', {x: PAD.left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'frontier-tick'}, formatPercent(t, 0)));
  }
  svg.append(grid,
    s('text', {x: (PAD.left + WIDTH - PAD.right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle', class: 'frontier-axis'},
      'OOD mean accuracy'),
    s('text', {x: 14, y: (PAD.top + HEIGHT - PAD.bottom) / 2, 'text-anchor': 'middle', class: 'frontier-axis',
      transform: `rotate(-90 14 ${(PAD.top + HEIGHT - PAD.bottom) / 2})`}, 'ID accuracy'));
  if (points.length > 1) {
    svg.append(s('polyline', {class: 'frontier-line', fill: 'none',
      points: points.map((p) => `${x(p.ood_mean_accuracy).toFixed(1)},${y(p.id_accuracy).toFixed(1)}`).join(' ')}));
  }
  if (baseOk) {
    const bx = x(base.ood_mean_accuracy);
    const by = y(base.id_accuracy);
    svg.append(s('path', {class: 'frontier-base', 'data-testid': 'frontier-base',
      d: `M ${bx} ${by - 7} L ${bx + 7} ${by} L ${bx} ${by + 7} L ${bx - 7} ${by} Z`},
    s('title', null, `base reference: ID ${formatPercent(base.id_accuracy)}, OOD mean ${formatPercent(base.ood_mean_accuracy)}`)));
  }
  for (const p of points) {
    const chosen = p.alpha === chosenAlpha;
    const recommended = p.alpha === frontier.recommended_alpha;
    const group = s('g', {class: `frontier-point${chosen ? ' chosen' : ''}${recommended ? ' recommended' : ''}`,
      'data-testid': 'frontier-point', 'data-alpha': p.alpha, tabindex: 0, role: 'button',
      'aria-label': `alpha ${p.alpha}: ID ${formatPercent(p.id_accuracy)}, OOD mean ${formatPercent(p.ood_mean_accuracy)}`},
    s('title', null, `alpha ${p.alpha}: ID ${formatPercent(p.id_accuracy)}, OOD mean ${formatPercent(p.ood_mean_accuracy)},`
      + ` OOD worst ${formatPercent(p.ood_worst_accuracy)}`),
    chosen ? s('circle', {cx: x(p.ood_mean_accuracy), cy: y(p.id_accuracy), r: 10, class: 'frontier-ring',
      'data-testid': 'frontier-chosen'}) : null,
    s('circle', {cx: x(p.ood_mean_accuracy), cy: y(p.id_accuracy), r: 5}));
    group.addEventListener('click', () => onChoose(p.alpha));
    group.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') onChoose(p.alpha); });
    svg.append(group);
  }
  const ends = [points[0], points[points.length - 1]].filter(Boolean);
  for (const p of ends) {
    svg.append(s('text', {x: x(p.ood_mean_accuracy) + 8, y: y(p.id_accuracy) - 8, class: 'frontier-label'},
      `α=${p.alpha}`));
  }
  return svg;
}

/** The section of the job page; update(job) shows it for succeeded single-task jobs. */
export function frontierSection(base) {
  const path = `${base}/frontier`;
  const status = h('p', {class: 'muted', 'data-testid': 'frontier-status'});
  const message = h('div');
  const chartSlot = h('div', {class: 'frontier-chart-slot'});
  const tableBody = h('tbody', {'data-testid': 'frontier-body'});
  const chosenText = h('strong', {'data-testid': 'frontier-chosen-alpha'});
  const points = h('input', {type: 'number', min: 2, max: 101, step: 1, value: 11, 'data-testid': 'frontier-points',
    class: 'input input-small'});
  const tolerance = h('input', {type: 'number', min: 0, max: 100, step: 0.1, value: 1, 'data-testid': 'frontier-tolerance',
    class: 'input input-small'});
  const evaluate = h('button', {type: 'button', class: 'btn', 'data-testid': 'frontier-evaluate', onclick: request},
    'Evaluate frontier');
  const downloads = h('div', {class: 'actions', hidden: true, 'data-testid': 'frontier-downloads'},
    h('span', null, 'Model at α = ', chosenText, ':'),
    h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'frontier-download-peft',
      onclick: () => get('peft')}, 'PEFT adapter'),
    h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'frontier-download-merged',
      onclick: () => get('merged')}, 'Merged model'));
  const el = h('section', {class: 'section', 'data-testid': 'frontier-section', hidden: true},
    h('h2', null, 'Robustness frontier'),
    h('p', {class: 'muted small'}, 'WiSE-FT: the model θ0 + α (θft − θ0) between where fine-tuning started (α = 0)'
      + ' and the fine-tuned model (α = 1), evaluated on every split. The recommended α has the best OOD mean among'
      + ' the points whose ID accuracy is within the tolerance of the best. Click a point to choose its α.'),
    h('div', {class: 'actions'},
      h('label', null, 'Points ', points), h('label', null, 'ID tolerance (points) ', tolerance), evaluate),
    message, status, chartSlot,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': 'frontier-table'},
      h('thead', null, h('tr', null, h('th', {class: 'num'}, 'α'), h('th', {class: 'num'}, 'ID'),
        h('th', {class: 'num'}, 'OOD mean'), h('th', {class: 'num'}, 'OOD worst'))),
      tableBody)),
    downloads);

  let frontier = null;
  let chosen = null;
  let timer = null;
  let shownFor = null;

  async function load() {
    clearTimeout(timer);
    try {
      frontier = await api(path);
    } catch (e) {
      if (e.status === 404) {
        frontier = null;
        replace(status, 'Not evaluated yet.');
        return;
      }
      replace(message, problemBox(e, {testid: 'frontier-problem'}));
      return;
    }
    render();
    if (frontier.status === 'queued' || frontier.status === 'running') {
      timer = setTimeout(() => { if (el.isConnected) load(); }, 1500);
    }
  }

  function render() {
    el.dataset.status = frontier.status;
    replace(status, frontier.status === 'succeeded'
      ? `${frontier.points_total} points; recommended α = ${frontier.recommended_alpha ?? '—'}`
        + ` (ID tolerance ${(frontier.tolerance * 100).toFixed(1)} points).`
      : frontier.status === 'failed' ? `Failed: ${frontier.error || 'no reason given'}`
        : `${frontier.status}: ${frontier.points_done} of ${frontier.points_total} points evaluated.`);
    if (chosen === null || !frontier.points.some((p) => p.alpha === chosen)) chosen = frontier.recommended_alpha;
    replace(chartSlot, frontier.points.length ? frontierChart(frontier, chosen, choose) : null);
    replace(tableBody, frontier.points.map((p) => h('tr', {'data-testid': 'frontier-row', 'data-alpha': p.alpha,
      class: p.alpha === chosen ? 'current' : null},
    h('td', {class: 'num'}, String(p.alpha)),
    h('td', {class: 'num'}, formatPercent(p.id_accuracy)),
    h('td', {class: 'num'}, formatPercent(p.ood_mean_accuracy)),
    h('td', {class: 'num'}, formatPercent(p.ood_worst_accuracy)))));
    downloads.hidden = chosen === null || chosen === undefined;
    chosenText.textContent = chosen === null || chosen === undefined ? '' : String(chosen);
  }

  function choose(alpha) {
    chosen = alpha;
    render();
  }

  async function request() {
    message.replaceChildren();
    evaluate.disabled = true;
    try {
      frontier = await api(path, {method: 'POST', body: {points: Number(points.value),
        tolerance: Number(tolerance.value) / 100}});
      chosen = null;
      render();
      load();
    } catch (e) {
      replace(message, problemBox(e, {testid: 'frontier-problem'}));
    } finally {
      evaluate.disabled = false;
    }
  }

  function get(format) {
    download(`${path}/download`, {alpha: chosen, format}, `model-alpha-${chosen}.zip`)
      .catch((e) => replace(message, problemBox(e, {testid: 'frontier-problem'})));
  }

  /** Shows the section for a succeeded single-task job and reads its frontier once per job state. */
  function update(job) {
    el.hidden = job.status !== 'succeeded' || Boolean(job.tasks);
    if (el.hidden || shownFor === job.status) return;
    shownFor = job.status;
    load();
  }

  return {el, update};
}
