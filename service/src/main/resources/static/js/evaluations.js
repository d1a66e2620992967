// The evaluation section of the job page: one row per evaluation split (its latest evaluation) with the
// fine-tuned model's figures beside the base-model reference's, the API's ID / OOD-mean / OOD-worst
// summary highlighted, and the accuracy after each epoch.

import {h, replace} from './dom.js';
import {chartCard, chartsAvailable, lineChart, PALETTE, setSeries} from './charts.js';
import {formatCount, formatNumber, formatPercent} from './format.js';
import {datasetById} from './names.js';

/** The base reference is `base_reference` in the contract (`base` in its first draft). */
export function isBaseReference(evaluation) {
  return evaluation.model === 'base_reference' || evaluation.model === 'base';
}

function splitKey(evaluation) {
  return evaluation.split || evaluation.dataset;
}

/** Newer first by creation time; at the same time the final evaluation (epoch null) wins. */
function newer(a, b) {
  if (a.created_at !== b.created_at) return a.created_at > b.created_at;
  if ((a.epoch === null) !== (b.epoch === null)) return a.epoch === null;
  return Number(a.id) > Number(b.id);
}

/** {key -> {key, kind, domain, dataset, fineTuned, base}} with the latest evaluation of each. */
export function latestBySplit(evaluations) {
  const splits = new Map();
  for (const e of evaluations) {
    const key = splitKey(e);
    const split = splits.get(key) || {key, kind: e.kind, domain: e.domain, dataset: e.dataset, fineTuned: null, base: null};
    const slot = isBaseReference(e) ? 'base' : 'fineTuned';
    if (!split[slot] || newer(e, split[slot])) split[slot] = e;
    if (slot === 'fineTuned' || !split.domain) {
      split.kind = e.kind;
      split.domain = e.domain || split.domain;
    }
    splits.set(key, split);
  }
  return splits;
}

/** Splits in the order the job lists them (ID before OOD as the user gave them), then any others. */
function ordered(splits, job) {
  const order = new Map((job.evaluation_splits || []).map((s, i) => [s.dataset, i]));
  const rank = (s) => (order.has(s.dataset) ? order.get(s.dataset) : order.has(s.key) ? order.get(s.key) : 1000);
  return [...splits.values()].sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}

export function evaluationSection() {
  const cards = h('div', {class: 'metric-cards', 'data-testid': 'evaluation-summary', hidden: true});
  const body = h('tbody', {'data-testid': 'evaluation-body'});
  const foot = h('tfoot', {'data-testid': 'evaluation-summary-rows'});
  const epochChart = chartCard('Accuracy after each epoch', {testid: 'chart-accuracy', height: 220,
    note: '(fine-tuned model; OOD splits dashed)'});
  epochChart.card.hidden = true;
  let chart = null;
  replace(body, h('tr', null, h('td', {colspan: 11, class: 'empty'}, 'No evaluations yet.')));

  const el = h('section', {class: 'section', 'data-testid': 'evaluation-section'},
    h('h2', null, 'Evaluation'),
    cards,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table eval-table', 'data-testid': 'evaluation-table'},
      h('thead', null,
        h('tr', {class: 'group-row'}, h('th', {colspan: 3}, ''), h('th', {colspan: 4, class: 'group'}, 'Fine-tuned'),
          h('th', {colspan: 3, class: 'group group-base'}, 'Base model (reference)'), h('th', null, '')),
        h('tr', null, h('th', null, 'Split'), h('th', null, 'Kind'), h('th', null, 'Domain'),
          h('th', {class: 'num'}, 'Accuracy'), h('th', {class: 'num'}, 'Loss'), h('th', {class: 'num'}, 'ECE'),
          h('th', {class: 'num'}, 'Examples'),
          h('th', {class: 'num base'}, 'Accuracy'), h('th', {class: 'num base'}, 'Loss'), h('th', {class: 'num base'}, 'ECE'),
          h('th', {class: 'num'}, 'Δ accuracy'))),
      body, foot)),
    h('p', {class: 'hint', 'data-testid': 'base-reference-note'},
      'Base model (reference): the unmodified base model with the best linear head its frozen features allow, a ',
      'logistic regression fitted to convergence (L-BFGS, L2 strength chosen on held-out training rows). It ',
      'depends on the base model and the data only, not on the job\'s seed, method or hyperparameters.'),
    epochChart.card);

  async function update(list, job) {
    const splits = ordered(latestBySplit(list.data), job);
    const names = await Promise.all(splits.map((s) => (s.dataset
      ? datasetById(s.dataset).then((d) => (d ? d.name : s.key)).catch(() => s.key)
      : Promise.resolve(s.key))));
    renderCards(list.summary);
    cards.hidden = splits.length === 0;
    if (splits.length === 0) {
      replace(body, h('tr', null, h('td', {colspan: 11, class: 'empty'},
        TERMINAL.has(job.status) ? 'This job produced no evaluations.'
          : `No evaluations yet: they run every ${job.hyperparameters.eval_every_epochs || 1} epoch(s) and at the end.`)));
      foot.replaceChildren();
      epochChart.card.hidden = true;
      return;
    }
    const ood = splits.filter((s) => s.kind === 'ood' && s.fineTuned);
    const worst = ood.length > 1 ? ood.reduce((a, b) => (b.fineTuned.accuracy < a.fineTuned.accuracy ? b : a)) : null;
    const atChance = new Set((list.summary && list.summary.at_or_below_chance) || []);
    replace(body, splits.map((s, i) => splitRow(s, names[i], s === worst, atChance.has(s.domain || s.key))));
    renderFoot(list.summary);
    renderEpochChart(list.data, splits, names, job);
  }

  function renderCards(summary) {
    const ref = summary && summary.base_reference;
    const card = (label, value, baseValue, testid, highlight) => h('div', {class: highlight ? 'metric-card highlight' : 'metric-card', 'data-testid': testid},
      h('div', {class: 'metric-label'}, label),
      h('div', {class: 'metric-value'}, formatPercent(value)),
      h('div', {class: 'metric-sub'}, 'base ', formatPercent(baseValue), ' ', delta(value, baseValue)));
    replace(cards,
      card('ID accuracy', summary && summary.id_accuracy, ref && ref.id_accuracy, 'summary-id'),
      card('OOD mean accuracy', summary && summary.ood_mean_accuracy, ref && ref.ood_mean_accuracy, 'summary-ood-mean', true),
      card('OOD worst accuracy', summary && summary.ood_worst_accuracy, ref && ref.ood_worst_accuracy, 'summary-ood-worst', true));
  }

  function renderFoot(summary) {
    const ref = (summary && summary.base_reference) || {};
    const row = (label, value, baseValue, cls, testid) => h('tr', {class: cls, 'data-testid': testid},
      h('th', {colspan: 3, scope: 'row'}, label),
      h('td', {class: 'num strong'}, formatPercent(value)), h('td', {colspan: 3}, ''),
      h('td', {class: 'num base strong'}, formatPercent(baseValue)), h('td', {colspan: 2}, ''),
      h('td', {class: 'num'}, delta(value, baseValue)));
    if (!summary) {
      foot.replaceChildren();
      return;
    }
    replace(foot,
      row('ID accuracy', summary.id_accuracy, ref.id_accuracy, 'summary-row', 'summary-row-id'),
      row('OOD mean accuracy', summary.ood_mean_accuracy, ref.ood_mean_accuracy, 'summary-row highlight', 'summary-row-ood-mean'),
      row('OOD worst accuracy', summary.ood_worst_accuracy, ref.ood_worst_accuracy, 'summary-row highlight', 'summary-row-ood-worst'));
  }

  function renderEpochChart(evaluations, splits, names, job) {
    // a continual job's accuracy over its tasks is the accuracy matrix (continual.js), not a per-epoch curve
    if (!chartsAvailable() || job.tasks) {
      epochChart.card.hidden = true;
      return;
    }
    const series = splits.map((s, i) => {
      const byEpoch = new Map();
      for (const e of evaluations) {
        if (splitKey(e) !== s.key || isBaseReference(e)) continue;
        const x = e.epoch === null || e.epoch === undefined ? job.hyperparameters.epochs : e.epoch;
        const seen = byEpoch.get(x);
        if (!seen || newer(e, seen)) byEpoch.set(x, e);
      }
      const data = [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([x, e]) => ({x, y: e.accuracy}));
      return {key: s.key, label: `${names[i]} (${s.kind.toUpperCase()})`, data, colour: PALETTE[i % PALETTE.length],
        dashed: s.kind === 'ood'};
    });
    const show = series.some((s) => s.data.length > 1);
    epochChart.card.hidden = !show;
    if (!show) return;
    if (!chart) chart = lineChart(epochChart.canvas, {xTitle: 'epoch', yTitle: 'accuracy', legend: true});
    epochChart.empty.hidden = true;
    setSeries(chart, series);
  }

  return {el, update};
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** atChance: the fine-tuned model and the base are both at or below chance here, so the delta compares guesses. */
function splitRow(split, name, isWorst, atChance) {
  const ft = split.fineTuned;
  const base = split.base;
  const cell = (value, fmt, cls = 'num') => h('td', {class: cls}, value === null || value === undefined ? '—' : fmt(value));
  return h('tr', {class: isWorst ? 'row-worst' : null, 'data-testid': 'evaluation-row', 'data-kind': split.kind},
    h('td', null, name, isWorst ? h('span', {class: 'tag tag-worst'}, 'worst OOD') : null,
      atChance ? h('span', {class: 'tag tag-chance', 'data-testid': 'at-chance',
        title: 'The fine-tuned model and the base reference are both at or below chance (1 / classes) on this domain: neither learned it.'},
      'at or below chance') : null),
    h('td', null, h('span', {class: `kind kind-${split.kind}`}, split.kind.toUpperCase())),
    h('td', null, split.domain || '—'),
    cell(ft && ft.accuracy, formatPercent, 'num strong'),
    cell(ft && ft.loss, formatNumber),
    cell(ft && ft.ece, formatNumber),
    cell(ft && ft.count, formatCount),
    cell(base && base.accuracy, formatPercent, 'num base'),
    cell(base && base.loss, formatNumber, 'num base'),
    cell(base && base.ece, formatNumber, 'num base'),
    h('td', {class: 'num'}, delta(ft && ft.accuracy, base && base.accuracy)));
}

/** The accuracy gain over the base reference in percentage points, coloured by sign. */
function delta(value, baseValue) {
  if (value === null || value === undefined || baseValue === null || baseValue === undefined) return h('span', {class: 'muted'}, '');
  const pp = (value - baseValue) * 100;
  const cls = pp > 0.05 ? 'delta up' : pp < -0.05 ? 'delta down' : 'delta';
  return h('span', {class: cls}, `${pp > 0 ? '+' : ''}${pp.toFixed(1)} pp`);
}
