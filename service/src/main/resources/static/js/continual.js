// The continual section of a job page (jobs created with `tasks`): the tasks in training order with their
// status, progress, average accuracy (AA) and backward transfer (BWT) after each, and the per-task adapter
// downloads; the accuracy matrix from /evaluations as a heatmap (rows: after training task j; columns: the
// accuracy on task i; cells past the diagonal are forward transfer); and AA / BWT per task as a chart.

import {download} from './api.js';
import {h, replace} from './dom.js';
import {chartCard, chartsAvailable, lineChart, setSeries} from './charts.js';
import {formatPercent, statusBadge} from './format.js';
import {problemBox} from './forms.js';
import {datasetById} from './names.js';

/** A cell's background: red (0) through yellow to green (1), light enough for dark text. */
export function heatColour(accuracy) {
  const t = Math.min(1, Math.max(0, accuracy));
  return `hsl(${(t * 120).toFixed(0)} 70% ${(88 - 18 * t).toFixed(0)}%)`;
}

/** Signed percentage points, e.g. -3.2 pp, for BWT. */
function formatPoints(value) {
  if (value === null || value === undefined) return '—';
  const pp = value * 100;
  return `${pp > 0 ? '+' : ''}${pp.toFixed(1)} pp`;
}

export function continualSection() {
  const tasksBody = h('tbody', {'data-testid': 'tasks-body'});
  const heatmapSlot = h('div', {'data-testid': 'heatmap-slot'});
  const message = h('div');
  const transferCard = chartCard('Average accuracy and backward transfer after each task', {testid: 'chart-continual',
    height: 220});
  transferCard.card.hidden = true;
  let chart = null;
  const el = h('section', {class: 'section', 'data-testid': 'continual-section', hidden: true},
    h('h2', null, 'Tasks'),
    message,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': 'tasks-table'},
      h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Task'), h('th', null, 'Training data'),
        h('th', null, 'Status'), h('th', {class: 'num'}, 'Progress'), h('th', {class: 'num'}, 'AA'),
        h('th', {class: 'num'}, 'BWT'), h('th', null, 'Adapter'))),
      tasksBody)),
    h('h3', {class: 'subhead'}, 'Accuracy matrix'),
    h('p', {class: 'muted small'}, 'Row j: after training task j; column i: accuracy on task i (mean over its'
      + ' evaluation splits). Cells right of the diagonal are forward transfer.'),
    heatmapSlot,
    transferCard.card);

  /** Redraws from the job (tasks) and, when given, its evaluation list (the matrix). */
  function update(job, evaluations) {
    el.hidden = !job.tasks;
    if (!job.tasks) return;
    replace(tasksBody, job.tasks.map((task) => taskRow(task, job.current_task)));
    if (evaluations && evaluations.continual) {
      renderHeatmap(evaluations.continual);
      renderTransfer(evaluations.continual);
    } else if (!heatmapSlot.firstChild) {
      replace(heatmapSlot, h('div', {class: 'empty'}, 'No task has been evaluated yet.'));
    }
  }

  function taskRow(task, current) {
    const dataCell = h('span', {class: 'mono'}, task.training_dataset.slice(0, 8));
    datasetById(task.training_dataset).then((d) => {
      if (d) { dataCell.className = ''; replace(dataCell, d.name); }
    }).catch(() => {});
    const adapter = task.adapter
      ? h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'task-adapter-download',
        onclick: () => download(`/v1/adapters/${encodeURIComponent(task.adapter)}/download`, {format: 'peft'},
          `${task.name}-adapter.zip`).catch((e) => replace(message, problemBox(e)))}, 'PEFT')
      : h('span', {class: 'muted'}, '—');
    return h('tr', {'data-testid': 'task-row', 'data-task-index': task.index, 'data-status': task.status,
      class: task.index === current ? 'current' : null},
    h('td', null, String(task.index + 1)),
    h('td', null, task.name),
    h('td', null, dataCell),
    h('td', null, statusBadge(task.status)),
    h('td', {class: 'num'}, formatPercent(task.progress, 0)),
    h('td', {class: 'num', 'data-testid': 'task-aa'}, formatPercent(task.average_accuracy)),
    h('td', {class: 'num', 'data-testid': 'task-bwt'}, formatPoints(task.backward_transfer)),
    h('td', null, adapter));
  }

  function renderHeatmap(matrix) {
    if (!matrix.accuracy.length) {
      replace(heatmapSlot, h('div', {class: 'empty'}, 'No task has been evaluated yet.'));
      return;
    }
    const head = h('tr', null, h('th', null, 'after \\ on'), matrix.tasks.map((name) => h('th', {class: 'num'}, name)),
      h('th', {class: 'num'}, 'AA'), h('th', {class: 'num'}, 'BWT'));
    const rows = matrix.accuracy.map((row, j) => h('tr', {'data-testid': 'heatmap-row'},
      h('th', {scope: 'row'}, matrix.tasks[j] || `task ${j + 1}`),
      row.map((value, i) => {
        const known = value !== null && value !== undefined;
        return h('td', {class: `num heat${i > j ? ' forward' : ''}${i === j ? ' diagonal' : ''}`,
          'data-testid': 'heatmap-cell', 'data-row': j, 'data-col': i, 'data-accuracy': known ? value : null,
          style: known ? `background-color:${heatColour(value)}` : null,
          title: known ? `after ${matrix.tasks[j]}, on ${matrix.tasks[i]}: ${formatPercent(value, 2)}` : 'not evaluated'},
        known ? formatPercent(value) : '—');
      }),
      h('td', {class: 'num strong', 'data-testid': 'heatmap-aa'}, formatPercent(matrix.average_accuracy[j])),
      h('td', {class: 'num', 'data-testid': 'heatmap-bwt'}, formatPoints(matrix.backward_transfer[j]))));
    replace(heatmapSlot, h('div', {class: 'table-wrap'},
      h('table', {class: 'table heatmap', 'data-testid': 'accuracy-heatmap'}, h('thead', null, head), h('tbody', null, rows))));
  }

  function renderTransfer(matrix) {
    const show = chartsAvailable() && matrix.accuracy.length > 0;
    transferCard.card.hidden = !show;
    if (!show) return;
    if (!chart) chart = lineChart(transferCard.canvas, {xTitle: 'after task', yTitle: 'accuracy', legend: true});
    transferCard.empty.hidden = true;
    const points = (values) => values.map((y, j) => ({x: j + 1, y})).filter((p) => p.y !== null && p.y !== undefined);
    setSeries(chart, [
      {key: 'aa', label: 'average accuracy (AA)', data: points(matrix.average_accuracy), colour: '#2457c5', width: 2},
      {key: 'bwt', label: 'backward transfer (BWT)', data: points(matrix.backward_transfer), colour: '#c2255c',
        width: 2, dashed: true},
    ]);
  }

  return {el, update, destroy: () => chart && chart.destroy()};
}
