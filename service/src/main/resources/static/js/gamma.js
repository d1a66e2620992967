// Per-layer gamma (the radius of LARGO's / FTP's regulated projection, metrics `gamma/<tensor>`).
// A ViT has a dozen blocks of six adapted linears with an A and a B each: over a hundred series, which no
// single legend can carry. So the panel shows
//   1. an overview: one line per block (the geometric mean of its tensors' gamma), coloured by depth;
//   2. small multiples: one chart per block on a shared log scale, a line per module, A solid, B dashed,
//      with one colour per module kind across all blocks and a single shared legend.

import {h, replace} from './dom.js';
import {chartCard, chartsAvailable, chartUnavailable, lineChart, PALETTE, rampColour, setSeries} from './charts.js';

export const GAMMA_PREFIX = 'gamma/';

/**
 * Splits a tensor name into its block (the first numbered container, e.g. "layer 3" of
 * vit.encoder.layer.3.attention.attention.query.lora_A), its module within the block and its factor
 * (A, B, or W for a pretrained weight under FTP).
 */
export function parseTensorName(tensor) {
  const parts = tensor.split('.');
  const factorIndex = parts.findIndex((p) => /^lora_[AB]$/.test(p));
  const factor = factorIndex >= 0 ? parts[factorIndex].slice(-1) : 'W';
  const path = parts.filter((p, i) => i !== factorIndex && !['weight', 'bias', 'default'].includes(p));
  const numbered = path.findIndex((p, i) => i > 0 && /^\d+$/.test(p));
  let blockKey;
  let blockLabel;
  let blockOrder;
  let moduleParts;
  if (numbered > 0) {
    blockKey = path.slice(0, numbered + 1).join('.');
    blockLabel = `${path[numbered - 1]} ${path[numbered]}`;
    blockOrder = Number(path[numbered]);
    moduleParts = path.slice(numbered + 1);
  } else {
    // not inside a numbered block (a head, an embedding): its top-level module is its own block
    blockKey = path[0] || tensor;
    blockLabel = blockKey;
    blockOrder = Number.MAX_SAFE_INTEGER;
    moduleParts = path.slice(1);
  }
  // "attention.attention.query" reads better as "attention.query"
  const module = moduleParts.filter((p, i) => p !== moduleParts[i - 1]).join('.') || blockLabel;
  return {tensor, factor, blockKey, blockLabel, blockOrder, module};
}

/** Accumulates gamma points per tensor as metric pages arrive. */
export class GammaSeries {
  constructor() {
    this.tensors = new Map(); // tensor -> {info, points: [{x, y}]}
  }

  /** Adds a metric point if it is a gamma one; returns whether it was. */
  add(metric) {
    if (!metric.name.startsWith(GAMMA_PREFIX)) return false;
    const tensor = metric.name.slice(GAMMA_PREFIX.length);
    let entry = this.tensors.get(tensor);
    if (!entry) {
      entry = {info: parseTensorName(tensor), points: []};
      this.tensors.set(tensor, entry);
    }
    entry.points.push({x: metric.step, y: metric.value});
    return true;
  }

  get size() {
    return this.tensors.size;
  }

  /** Blocks in network order: [{key, label, order, entries}]. */
  blocks() {
    const blocks = new Map();
    for (const entry of this.tensors.values()) {
      const {blockKey, blockLabel, blockOrder} = entry.info;
      if (!blocks.has(blockKey)) blocks.set(blockKey, {key: blockKey, label: blockLabel, order: blockOrder, entries: []});
      blocks.get(blockKey).entries.push(entry);
    }
    return [...blocks.values()].sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  }

  /** Module names in a stable order, so a module keeps its colour in every block. */
  modules() {
    return [...new Set([...this.tensors.values()].map((e) => e.info.module))].sort();
  }

  /** The smallest and largest positive gamma, for a log axis shared by all small multiples. */
  range() {
    let min = Infinity;
    let max = -Infinity;
    for (const {points} of this.tensors.values()) {
      for (const p of points) {
        if (p.y > 0) {
          if (p.y < min) min = p.y;
          if (p.y > max) max = p.y;
        }
      }
    }
    return Number.isFinite(min) ? {min, max} : null;
  }
}

/** The geometric mean over the block's tensors at each step (gamma spans orders of magnitude). */
export function blockMean(entries) {
  const byStep = new Map();
  for (const {points} of entries) {
    for (const p of points) {
      if (!(p.y > 0)) continue;
      const acc = byStep.get(p.x) || {sum: 0, n: 0};
      acc.sum += Math.log(p.y);
      acc.n += 1;
      byStep.set(p.x, acc);
    }
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([x, {sum, n}]) => ({x, y: Math.exp(sum / n)}));
}

/** The gamma section of the job page; update() redraws from a GammaSeries. */
export class GammaPanel {
  constructor() {
    this.overview = chartCard('Gamma per block', {testid: 'chart-gamma-overview', height: 260,
      note: '(geometric mean over the block’s tensors, log scale)'});
    this.legend = h('div', {class: 'gamma-legend', 'data-testid': 'gamma-legend'});
    this.grid = h('div', {class: 'gamma-grid', 'data-testid': 'gamma-grid'});
    this.count = h('span', {class: 'muted small'});
    this.multiples = new Map(); // blockKey -> {chart, card}
    this.el = h('section', {class: 'section', 'data-testid': 'gamma-section'},
      h('div', {class: 'section-head'}, h('h2', null, 'Per-layer gamma'), this.count),
      h('p', {class: 'muted small'}, 'Gamma is the radius each adapter tensor may move from its initial value; ',
        'larger means the projection let that layer move further.'),
      chartsAvailable() ? [this.overview.card,
        h('h3', {class: 'subhead'}, 'Per block'), this.legend, this.grid] : chartUnavailable());
  }

  update(series) {
    if (!chartsAvailable() || series.size === 0) return;
    const blocks = series.blocks();
    const modules = series.modules();
    const range = series.range();
    this.count.textContent = `${series.size} tensors in ${blocks.length} blocks`;
    this.drawOverview(blocks);
    this.drawLegend(modules, series);
    const yMin = range ? 10 ** Math.floor(Math.log10(range.min)) : undefined;
    const yMax = range ? 10 ** Math.ceil(Math.log10(range.max)) : undefined;
    for (const block of blocks) this.drawBlock(block, modules, yMin, yMax);
    // a block that showed up late still takes its place in network order
    const cards = blocks.map((b) => this.multiples.get(b.key).card);
    if (cards.some((card, i) => this.grid.children[i] !== card)) this.grid.append(...cards);
  }

  drawOverview(blocks) {
    if (!this.overviewChart) {
      this.overviewChart = lineChart(this.overview.canvas, {yTitle: 'gamma', yType: 'logarithmic', legend: blocks.length <= 16});
    }
    this.overview.empty.hidden = true;
    const numbered = blocks.filter((b) => b.order !== Number.MAX_SAFE_INTEGER);
    setSeries(this.overviewChart, blocks.map((block) => {
      const depth = numbered.length > 1 ? numbered.indexOf(block) / (numbered.length - 1) : 0.5;
      return {
        key: block.key,
        label: block.label,
        data: blockMean(block.entries),
        colour: block.order === Number.MAX_SAFE_INTEGER ? '#c2255c' : rampColour(depth),
      };
    }));
    this.overviewChart.options.plugins.legend.display = blocks.length <= 16;
  }

  drawLegend(modules, series) {
    const factors = new Set([...series.tensors.values()].map((e) => e.info.factor));
    replace(this.legend,
      modules.map((m, i) => h('span', {class: 'legend-item'},
        h('span', {class: 'legend-swatch', style: `background:${PALETTE[i % PALETTE.length]}`}), m)),
      factors.has('A') || factors.has('B')
        ? [h('span', {class: 'legend-item'}, h('span', {class: 'legend-line'}), 'A'),
          h('span', {class: 'legend-item'}, h('span', {class: 'legend-line dashed'}), 'B')]
        : null);
  }

  drawBlock(block, modules, yMin, yMax) {
    let multiple = this.multiples.get(block.key);
    if (!multiple) {
      const canvas = h('canvas', {role: 'img', 'aria-label': `gamma of ${block.label}`});
      const card = h('div', {class: 'card mini-chart', 'data-testid': 'gamma-block'},
        h('div', {class: 'mini-title'}, block.label), h('div', {class: 'chart-box', style: 'height:150px'}, canvas));
      this.grid.append(card);
      const chart = lineChart(canvas, {yType: 'logarithmic', compact: true});
      multiple = {card, chart};
      this.multiples.set(block.key, multiple);
    }
    multiple.chart.options.scales.y.min = yMin;
    multiple.chart.options.scales.y.max = yMax;
    const entries = [...block.entries].sort((a, b) => a.info.module.localeCompare(b.info.module)
      || a.info.factor.localeCompare(b.info.factor));
    setSeries(multiple.chart, entries.map((e) => ({
      key: e.info.tensor,
      label: `${e.info.module} ${e.info.factor}`,
      data: e.points,
      colour: PALETTE[modules.indexOf(e.info.module) % PALETTE.length],
      dashed: e.info.factor === 'B',
    })));
  }

  destroy() {
    if (this.overviewChart) this.overviewChart.destroy();
    for (const {chart} of this.multiples.values()) chart.destroy();
  }
}
