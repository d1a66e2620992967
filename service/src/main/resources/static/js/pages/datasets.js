// Datasets: upload (with progress), list newest first with "Load more", delete; label counts, and the first rows
// of a text dataset on demand.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {datasetUploadForm} from '../dataset-upload.js';
import {formatBytes, formatCount, formatDateTime, timeAgo} from '../format.js';
import {confirmButton, problemBox} from '../forms.js';
import {forgetDataset, rememberDatasets} from '../names.js';

const PAGE = 50;
/** Rows shown of a text dataset. */
const EXAMPLES = 5;

export function mount(container) {
  document.title = 'Datasets · LARGO';
  let rows = [];
  let nextAfter = null;
  const open = {}; // dataset id -> {rows} | {error} | {} (loading): text datasets whose first rows are shown
  const body = h('tbody', {'data-testid': 'datasets-body'});
  const message = h('div');
  const more = h('button', {type: 'button', class: 'btn', hidden: true, 'data-testid': 'datasets-more', onclick: () => load(true)}, 'Load more');

  replace(container, h('section', {class: 'page'},
    h('div', {class: 'page-head'}, h('h1', null, 'Datasets')),
    h('details', {class: 'card upload-card', open: true},
      h('summary', {'data-testid': 'dataset-upload-toggle'}, 'Upload a dataset'),
      datasetUploadForm({onUploaded: (dataset) => {
        rows = [dataset, ...rows.filter((d) => d.id !== dataset.id)];
        rememberDatasets([dataset]);
        render();
      }})),
    message,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': 'datasets-table'},
      h('thead', null, h('tr', null,
        h('th', null, 'Name'), h('th', null, 'Task'), h('th', null, 'Format'), h('th', null, 'Split'), h('th', null, 'Domain'),
        h('th', {class: 'num'}, 'Examples'), h('th', null, 'Classes'), h('th', null, 'Image'), h('th', {class: 'num'}, 'Size'),
        h('th', null, 'Created'), h('th', null, h('span', {class: 'visually-hidden'}, 'Actions')))),
      body)),
    h('div', {class: 'more-row'}, more)));

  replace(body, h('tr', null, h('td', {colspan: 11, class: 'empty'}, 'Loading…')));
  load(false);

  async function load(append) {
    more.disabled = true;
    try {
      const page = await api('/v1/datasets', {query: {after: append ? nextAfter : undefined, limit: PAGE}});
      rememberDatasets(page.data);
      rows = append ? [...rows, ...page.data] : page.data;
      nextAfter = page.next_after;
      more.hidden = !page.has_more;
      message.replaceChildren();
      render();
    } catch (e) {
      replace(message, problemBox(e));
    } finally {
      more.disabled = false;
    }
  }

  async function remove(dataset) {
    try {
      await api(`/v1/datasets/${encodeURIComponent(dataset.id)}`, {method: 'DELETE'});
      rows = rows.filter((d) => d.id !== dataset.id);
      forgetDataset(dataset.id);
      message.replaceChildren();
      render();
    } catch (e) {
      replace(message, problemBox(e, {testid: 'dataset-delete-problem'}));
    }
  }

  function render() {
    if (rows.length === 0) {
      replace(body, h('tr', null, h('td', {colspan: 11, class: 'empty'}, 'No datasets yet: upload one above.')));
      return;
    }
    replace(body, rows.flatMap((d) => [h('tr', {'data-testid': 'dataset-row', 'data-dataset-id': d.id, 'data-name': d.name},
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
        {testid: 'dataset-delete', className: 'btn btn-small btn-danger-ghost'}))),
      examplesRow(d)]).filter(Boolean));
  }

  /** The button that shows or hides a text dataset's first rows (fetched once, on first open). */
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
          h('tbody', null, state.rows.map((row) => h('tr', {'data-testid': 'dataset-example'},
            h('td', null, h('span', {class: 'tag'}, row.label)),
            h('td', {class: 'example-text'}, row.text + (row.truncated ? ' …' : ''))))));
    return h('tr', {class: 'examples-row', 'data-testid': 'dataset-examples-row', 'data-dataset-id': d.id},
      h('td', {colspan: 11}, h('div', {class: 'muted small'}, `First ${state.rows ? state.rows.length : ''} rows of ${d.name}`), content));
  }

  async function toggleExamples(d) {
    if (open[d.id]) {
      delete open[d.id];
      render();
      return;
    }
    open[d.id] = {};
    render();
    try {
      const page = await api(`/v1/datasets/${encodeURIComponent(d.id)}/examples`, {query: {limit: EXAMPLES}});
      if (open[d.id]) open[d.id] = {rows: page.data};
    } catch (e) {
      if (open[d.id]) open[d.id] = {error: e};
    }
    render();
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
