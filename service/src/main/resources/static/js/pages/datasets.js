// Datasets: upload (with progress), list newest first with "Load more", delete.

import {api} from '../api.js';
import {h, replace} from '../dom.js';
import {datasetUploadForm} from '../dataset-upload.js';
import {formatBytes, formatCount, formatDateTime, timeAgo} from '../format.js';
import {confirmButton} from '../forms.js';
import {forgetDataset, rememberDatasets} from '../names.js';
import {ResourceTable} from '../resource-table.js';

export function mount(container) {
  document.title = 'Datasets · LARGO';
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

  function row(d) {
    return h('tr', {'data-testid': 'dataset-row', 'data-dataset-id': d.id, 'data-name': d.name},
      h('td', null, h('div', {class: 'strong'}, d.name),
        h('div', {class: 'muted small mono', title: `sha256 ${d.sha256}`}, d.filename || d.id)),
      h('td', null, d.task_type.replace('_classification', '')),
      h('td', null, h('span', {class: 'tag'}, d.format)),
      h('td', null, d.split || h('span', {class: 'muted'}, '—')),
      h('td', null, d.domain || h('span', {class: 'muted'}, '—')),
      h('td', {class: 'num'}, formatCount(d.example_count)),
      h('td', {title: labelCounts(d)}, `${d.class_names.length}`,
        h('span', {class: 'muted small'}, ` ${preview(d.class_names)}`)),
      h('td', null, d.image ? `${d.image.height}×${d.image.width}×${d.image.channels}` : h('span', {class: 'muted'}, '—')),
      h('td', {class: 'num'}, formatBytes(d.size_bytes)),
      h('td', {title: formatDateTime(d.created_at)}, timeAgo(d.created_at)),
      h('td', {class: 'row-actions'}, confirmButton('Delete', 'Confirm delete', () => remove(d),
        {testid: 'dataset-delete', className: 'btn btn-small btn-danger-ghost'})));
  }

  return () => {};
}

function preview(names) {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `(${shown}, …)` : `(${shown})`;
}

function labelCounts(d) {
  return Object.entries(d.label_counts || {}).map(([label, n]) => `${label}: ${n}`).join('\n');
}
