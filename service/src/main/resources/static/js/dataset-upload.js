// The dataset upload form, used on the datasets page and inline in the job form: multipart POST
// /v1/datasets with a progress bar; the API validates the file and names the entry, line or tensor at fault.

import {upload} from './api.js';
import {h, options, replace} from './dom.js';
import {check, loadContract} from './contract.js';
import {formatBytes, formatCount} from './format.js';
import {clearFieldErrors, field, placeFieldErrors, problemBox, progressBar, setFieldError} from './forms.js';

const TASK_TYPES = ['image_classification', 'text_classification'];
const FORMATS = ['imagefolder_zip', 'safetensors', 'jsonl', 'idx'];

/** A dataset upload form; onUploaded(dataset) runs after the API stored it. */
export function datasetUploadForm({onUploaded, idPrefix = 'dataset-upload'} = {}) {
  const file = h('input', {type: 'file', name: 'file', required: true, accept: '.zip,.safetensors,.jsonl,.ndjson',
    'data-testid': 'dataset-file'});
  const name = h('input', {type: 'text', name: 'name', autocomplete: 'off', 'data-testid': 'dataset-name'});
  const taskType = h('select', {name: 'task_type', 'data-testid': 'dataset-task-type'},
    options(TASK_TYPES.map((t) => ({value: t, label: t.replace('_', ' ')})), TASK_TYPES[0]));
  const format = h('select', {name: 'format', 'data-testid': 'dataset-format'},
    options([{value: '', label: 'detect from content'}, ...FORMATS.map((f) => ({value: f, label: f}))], ''));
  const split = h('input', {type: 'text', name: 'split', autocomplete: 'off', placeholder: 'e.g. train, test', 'data-testid': 'dataset-split'});
  const domain = h('input', {type: 'text', name: 'domain', autocomplete: 'off', placeholder: 'e.g. clean, blur', 'data-testid': 'dataset-domain'});
  for (const [el, id] of [[file, 'file'], [name, 'name'], [taskType, 'task'], [format, 'format'], [split, 'split'], [domain, 'domain']]) {
    el.id = `${idPrefix}-${id}`;
  }
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', 'data-testid': 'dataset-upload-submit'}, 'Upload dataset');
  const abort = h('button', {type: 'button', class: 'btn', hidden: true}, 'Stop upload');
  const progress = progressBar({testid: 'dataset-upload-progress'});
  const result = h('div', {'aria-live': 'polite'});

  file.addEventListener('change', () => {
    const f = file.files[0];
    if (!f) return;
    if (!name.value) name.value = f.name.replace(/\.(zip|safetensors|jsonl|ndjson)$/i, '');
    taskType.value = /\.(jsonl|ndjson)$/i.test(f.name) ? 'text_classification' : 'image_classification';
  });

  const form = h('form', {class: 'upload-form', novalidate: true, 'data-testid': 'dataset-upload-form'},
    h('div', {class: 'form-grid'},
      field('File', file, {param: 'file', wide: true, hint: 'ImageFolder zip (<label>/<file>.png), safetensors (images, labels) or JSONL {"text","label"}.'}),
      field('Name', name, {param: 'name'}),
      field('Task', taskType, {param: 'task_type'}),
      field('Format', format, {param: 'format'}),
      field('Split tag', split, {param: 'split', hint: 'optional'}),
      field('Domain tag', domain, {param: 'domain', hint: 'optional; names the distribution, e.g. for OOD splits'})),
    h('div', {class: 'form-actions'}, submit, abort, progress.el),
    result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    result.replaceChildren();
    if (!(await validate())) return;
    const data = new FormData();
    data.append('file', file.files[0]);
    data.append('name', name.value.trim());
    data.append('task_type', taskType.value);
    if (format.value) data.append('format', format.value);
    if (split.value.trim()) data.append('split', split.value.trim());
    if (domain.value.trim()) data.append('domain', domain.value.trim());
    const size = file.files[0].size;
    submit.disabled = true;
    abort.hidden = false;
    progress.show(0, size);
    const {promise, abort: stop} = upload('/v1/datasets', data, {onProgress: (loaded, total) => {
      progress.show(loaded, total || size);
      if (total && loaded >= total) progress.caption('validating…');
    }});
    abort.onclick = stop;
    try {
      const dataset = await promise;
      progress.hide();
      form.reset();
      replace(result, h('div', {class: 'notice', 'data-testid': 'dataset-upload-done'},
        `Stored ${dataset.name}: ${formatCount(dataset.example_count)} examples, ${dataset.class_names.length} classes, `
        + `${formatBytes(dataset.size_bytes)}.`));
      if (onUploaded) onUploaded(dataset);
    } catch (err) {
      progress.hide();
      placeFieldErrors(form, err.errors || []);
      replace(result, problemBox(err, {testid: 'dataset-upload-problem'}));
    } finally {
      submit.disabled = false;
      abort.hidden = true;
    }
  });

  /** The contract's limits for name and tags, checked before sending a possibly large file. */
  async function validate() {
    let ok = true;
    if (!file.files.length) {
      setFieldError(file, 'choose a file to upload');
      ok = false;
    }
    if (!name.value.trim()) {
      setFieldError(name, 'Name is required');
      ok = false;
    }
    const contract = await loadContract().catch(() => null);
    if (!contract) return ok; // the API checks them anyway
    const rules = [[name, 'ResourceName', 'Name'], [split, 'Tag', 'Split tag'], [domain, 'Tag', 'Domain tag']];
    for (const [input, schema, label] of rules) {
      const r = check(contract.schema(schema), input.value);
      if (r.error) {
        setFieldError(input, `${label} ${r.error}`);
        ok = false;
      }
    }
    return ok;
  }

  return form;
}
