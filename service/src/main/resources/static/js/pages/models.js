// Base models: built-in and uploaded, newest first; upload a Hugging Face config.json + model.safetensors (and, for
// a text model, its tokenizer.json and tokenizer_config.json).
// (The API has no DELETE for models, so neither has this page.)

import {upload} from '../api.js';
import {h, replace} from '../dom.js';
import {check, loadContract} from '../contract.js';
import {formatBytes, formatCount, formatDateTime, timeAgo} from '../format.js';
import {clearFieldErrors, field, placeFieldErrors, problemBox, progressBar, setFieldError} from '../forms.js';
import {forgetModels} from '../names.js';
import {ResourceTable} from '../resource-table.js';

export function mount(container) {
  document.title = 'Models · LARGO';
  const table = new ResourceTable({path: '/v1/models', testid: 'models', row,
    empty: 'No base models yet: upload one above.',
    headers: [h('th', null, 'Name'), h('th', null, 'Architecture'), h('th', null, 'Task'), h('th', {class: 'num'}, 'Labels'),
      h('th', null, 'Input'), h('th', {class: 'num'}, 'Parameters'), h('th', {class: 'num'}, 'Size'),
      h('th', null, 'Created')]});

  replace(container, h('section', {class: 'page'},
    h('div', {class: 'page-head'}, h('h1', null, 'Base models')),
    h('details', {class: 'card upload-card'}, h('summary', {'data-testid': 'model-upload-toggle'}, 'Upload a base model'), uploadForm((model) => {
      forgetModels();
      table.prepend(model);
    })),
    table.element));
  table.load();

  function row(m) {
    return h('tr', {'data-testid': 'model-row', 'data-model-id': m.id, 'data-name': m.name},
      h('td', null, h('div', {class: 'strong'}, m.name, m.builtin ? h('span', {class: 'tag tag-builtin'}, 'built-in') : null,
        m.license ? h('span', {class: 'tag', 'data-testid': 'model-license', title: 'licence; its text is in the download'}, m.license) : null),
        h('div', {class: 'muted small mono', title: m.sha256 ? `sha256 ${m.sha256}` : ''}, m.id),
        m.hub_id ? h('div', {class: 'muted small mono'}, m.hub_id) : null),
      h('td', null, m.architecture),
      h('td', null, m.task_type.replace('_classification', '')),
      h('td', {class: 'num'}, String(m.num_labels)),
      h('td', {'data-testid': 'model-input'}, m.image_size ? `${m.image_size}px images` : m.task_type === 'text_classification' ? 'text (tokenizer.json)' : '—'),
      h('td', {class: 'num'}, formatCount(m.parameter_count)),
      h('td', {class: 'num'}, formatBytes(m.size_bytes)),
      h('td', {title: formatDateTime(m.created_at)}, timeAgo(m.created_at)));
  }

  return () => {};
}

function uploadForm(onUploaded) {
  const config = h('input', {type: 'file', accept: '.json,application/json', 'data-testid': 'model-config', id: 'model-config'});
  const weights = h('input', {type: 'file', accept: '.safetensors', 'data-testid': 'model-weights', id: 'model-weights'});
  const tokenizer = h('input', {type: 'file', accept: '.json,application/json', 'data-testid': 'model-tokenizer', id: 'model-tokenizer'});
  const tokenizerConfig = h('input', {type: 'file', accept: '.json,application/json', 'data-testid': 'model-tokenizer-config',
    id: 'model-tokenizer-config'});
  const name = h('input', {type: 'text', autocomplete: 'off', 'data-testid': 'model-name', id: 'model-name'});
  const hubId = h('input', {type: 'text', autocomplete: 'off', 'data-testid': 'model-hub-id', id: 'model-hub-id',
    placeholder: 'google/vit-base-patch16-224'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', 'data-testid': 'model-upload-submit'}, 'Upload model');
  const progress = progressBar({testid: 'model-upload-progress'});
  const result = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'upload-form', novalidate: true, 'data-testid': 'model-upload-form'},
    h('div', {class: 'form-grid'},
      field('config.json', config, {param: 'config', hint: 'Hugging Face config of a supported architecture.'}),
      field('model.safetensors', weights, {param: 'weights', hint: 'Every tensor the config implies, with its shape.'}),
      field('tokenizer.json', tokenizer, {param: 'tokenizer',
        hint: 'Text models (bert, distilbert) only: the tokenizer saved beside the model; its ids must fit the vocabulary.'}),
      field('tokenizer_config.json', tokenizerConfig, {param: 'tokenizer_config', hint: 'optional, with tokenizer.json'}),
      field('Name', name, {param: 'name', hint: 'optional'}),
      field('Hugging Face Hub id', hubId, {param: 'hub_id',
        hint: 'optional: where the weights came from; adapters name it as their base_model_name_or_path'})),
    h('div', {class: 'form-actions'}, submit, progress.el),
    result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    result.replaceChildren();
    let ok = true;
    if (!config.files.length) { setFieldError(config, 'choose the config.json'); ok = false; }
    if (!weights.files.length) { setFieldError(weights, 'choose the model.safetensors'); ok = false; }
    const contract = await loadContract().catch(() => null);
    if (contract) {
      const r = check(contract.schema('ResourceName'), name.value);
      if (r.error) { setFieldError(name, `Name ${r.error}`); ok = false; }
      const hub = check(contract.schema('HubId'), hubId.value);
      if (hub.error) { setFieldError(hubId, `Hub id ${hub.error}`); ok = false; }
    }
    if (!ok) return;
    const data = new FormData();
    data.append('config', config.files[0]);
    data.append('weights', weights.files[0]);
    if (tokenizer.files.length) data.append('tokenizer', tokenizer.files[0]);
    if (tokenizerConfig.files.length) data.append('tokenizer_config', tokenizerConfig.files[0]);
    if (name.value.trim()) data.append('name', name.value.trim());
    if (hubId.value.trim()) data.append('hub_id', hubId.value.trim());
    const size = [config, weights, tokenizer, tokenizerConfig].reduce((sum, input) => sum + (input.files[0] ? input.files[0].size : 0), 0);
    submit.disabled = true;
    progress.show(0, size);
    try {
      const model = await upload('/v1/models', data, {onProgress: (loaded, total) => {
        progress.show(loaded, total || size);
        if (total && loaded >= total) progress.caption('validating…');
      }}).promise;
      progress.hide();
      form.reset();
      replace(result, h('div', {class: 'notice', 'data-testid': 'model-upload-done'},
        `Stored ${model.name}: ${model.architecture}, ${formatCount(model.parameter_count)} parameters.`));
      onUploaded(model);
    } catch (err) {
      progress.hide();
      placeFieldErrors(form, err.errors || []);
      replace(result, problemBox(err, {testid: 'model-upload-problem'}));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
