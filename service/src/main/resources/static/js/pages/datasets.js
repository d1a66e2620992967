// Datasets: upload (with progress), list newest first with "Load more", delete; label counts, and the first rows
// of a text dataset on demand.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {datasetUploadForm} from '../dataset-upload.js';
import {formatBytes, formatCount, formatDateTime, timeAgo} from '../format.js';
import {confirmButton, problemBox} from '../forms.js';
import {forgetDataset, rememberDatasets} from '../names.js';
import {ResourceTable} from '../resource-table.js';

/** Rows shown of a text dataset. */
const EXAMPLES = 5;

export function mount(container) {
  document.title = 'Datasets · LARGO';
  const open = {}; // dataset id -> {rows} | {error} | {} (loading): text datasets whose first rows are shown
  const table = new ResourceTable({path: '/v1/datasets', testid: 'datasets', onPage: rememberDatasets, row,
    empty: 'No datasets yet: upload one above.',
    headers: [h('th', null, 'Name'), h('th', null, 'Task'), h('th', null, 'Format'), h('th', null, 'Split'),
      h('th', null, 'Domain'), h('th', {class: 'num'}, 'Examples'), h('th', null, 'Classes'), h('th', null, 'Image'),
      h('th', {class: 'num'}, 'Size'), h('th', null, 'Created'), h('th', null, h('span', {class: 'visually-hidden'}, 'Actions'))]});

  replace(container, h('section', {class: 'page'},
    h('div', {class: 'page-head'}, h('h1', null, 'Datasets')),
    h('details', {class: 'card upload-card', open: true},
      h('summary', {'data-testid': 'dataset-upload-toggle'}, 'Upload a dataset'),
      datasetUploadForm({onUploaded: (dataset) => {
        rememberDatasets([dataset]);
        table.prepend(dataset);
      }})),
    table.element));
  table.load();

  async function remove(dataset) {
    try {
      await api(`/v1/datasets/${encodeURIComponent(dataset.id)}`, {method: 'DELETE'});
      forgetDataset(dataset.id);
      table.remove(dataset.id);
    } catch (e) {
      table.problem(e, {testid: 'dataset-delete-problem'});
    }
  }

  /** The dataset's row and, when its first rows are open, a row showing them. */
  function row(d) {
    return [datasetRow(d), examplesRow(d)];
  }

  function datasetRow(d) {
    return h('tr', {'data-testid': 'dataset-row', 'data-dataset-id': d.id, 'data-name': d.name},
      h('td', null, h('div', {class: 'strong'}, d.name),
        h('div', {class: 'muted small mono', title: `sha256 ${d.sha256}`}, d.filename || d.id)),
      h('td', null, d.task_type.replace('_classification', '')),
      h('td', null, h('span', {class: 'tag'}, d.format)),
      h('td', null, d.split || h('span', {class: 'muted'}, '—')),
      h('td', null, d.domain || h('span', {class: 'muted'}, '—')),
      h('td', {class: 'num'}, formatCount(d.example_count)),
      h('td', {title: labelCounts(d), 'data-testid': 'dataset-classes'}, `${d.class_names.length}`,
        h('span', {class: 'muted small'}, ` ${preview(d)}`),
        d.task_type === 'text_classification' ? examplesToggle(d) : null),
      h('td', null, d.image ? `${d.image.height}×${d.image.width}×${d.image.channels}` : h('span', {class: 'muted'}, '—')),
      h('td', {class: 'num'}, formatBytes(d.size_bytes)),
      h('td', {title: formatDateTime(d.created_at)}, timeAgo(d.created_at)),
      h('td', {class: 'row-actions'}, confirmButton('Delete', 'Confirm delete', () => remove(d),
        {testid: 'dataset-delete', className: 'btn btn-small btn-danger-ghost'})));
  }

  /** The button that shows or hides a text dataset's first rows (fetched when opened). */
  function examplesToggle(d) {
    return h('div', null, h('button', {type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'dataset-examples-toggle',
      'aria-expanded': String(Boolean(open[d.id])), onclick: () => toggleExamples(d)}, open[d.id] ? 'Hide rows' : 'Show rows'));
  }

  function examplesRow(d) {
    const state = open[d.id];
    if (!state) return null;
    const content = state.error ? problemBox(state.error)
      : !state.rows ? h('span', {class: 'muted'}, 'Loading…')
        : h('table', {class: 'table examples-table', 'data-testid': 'dataset-examples'},
          h('thead', null, h('tr', null, h('th', null, 'Label'), h('th', null, 'Text'))),
          h('tbody', null, state.rows.map((example) => h('tr', {'data-testid': 'dataset-example'},
            h('td', null, h('span', {class: 'tag'}, example.label)),
            h('td', {class: 'example-text'}, example.text + (example.truncated ? ' …' : ''))))));
    return h('tr', {class: 'examples-row', 'data-testid': 'dataset-examples-row', 'data-dataset-id': d.id},
      h('td', {colspan: 11}, h('div', {class: 'muted small'}, `First ${state.rows ? state.rows.length : ''} rows of ${d.name}`), content));
  }

  async function toggleExamples(d) {
    if (open[d.id]) {
      delete open[d.id];
      table.render();
      return;
    }
    open[d.id] = {};
    table.render();
    try {
      const page = await api(`/v1/datasets/${encodeURIComponent(d.id)}/examples`, {query: {limit: EXAMPLES}});
      if (open[d.id]) open[d.id] = {rows: page.data};
    } catch (e) {
      if (open[d.id]) open[d.id] = {error: e};
    }
    table.render();
  }

  return () => {};
}

/** The first class names, each with its count when there are few (the counts of all are in the tooltip). */
function preview(d) {
  const names = d.class_names;
  const counts = d.label_counts || {};
  const label = (name) => (names.length <= 4 && counts[name] !== undefined ? `${name} ${formatCount(counts[name])}` : name);
  const shown = names.slice(0, 3).map(label).join(', ');
  return names.length > 3 ? `(${shown}, …)` : `(${shown})`;
}

function labelCounts(d) {
  return Object.entries(d.label_counts || {}).map(([label, n]) => `${label}: ${n}`).join('\n');
}
