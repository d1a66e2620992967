// New-job form. The method options and hyperparameters are built from the API contract's schemas
// (LoraConfig, LargoConfig, Hyperparameters, CreateFineTuningJobRequest): their fields, descriptions,
// defaults and limits come from /v3/api-docs at run time, so client-side checks are the API's own. Which
// methods the form offers, which settings blocks each shows and their defaults come from the engine's method
// registry (/v1/methods).
// Every input carries data-param (its JSON path in the request) so API field errors land beside it.

import {api, apiAll} from '../api.js';
import {h, options, replace} from '../dom.js';
import {check, loadContract, rangeText, typeOf} from '../contract.js';
import {datasetUploadForm} from '../dataset-upload.js';
import {formatCount, humanize} from '../format.js';
import {clearFieldErrors, field, placeFieldErrors, problemBox, setFieldError} from '../forms.js';
import {loadMethods} from '../methods.js';
import {rememberDatasets} from '../names.js';

/** Legends of the Method schema's settings blocks (the contract's property names). */
const BLOCK_LEGENDS = {lora: 'Low-rank adapter', largo: 'Regulated projection'};

export function mount(container, {query}) {
  document.title = 'New job · LARGO';
  const status = h('div', {class: 'empty'}, 'Loading the API contract, models and datasets…');
  replace(container, h('section', {class: 'page'}, h('div', {class: 'page-head'}, h('h1', null, 'New fine-tuning job')), status));
  let alive = true;
  const from = query.get('from');
  Promise.all([
    loadContract(),
    loadMethods(),
    apiAll('/v1/models'),
    apiAll('/v1/datasets'),
    from ? api(`/v1/fine-tuning/jobs/${encodeURIComponent(from)}`) : Promise.resolve(null),
  ]).then(([contract, methods, models, datasets, template]) => {
    if (!alive) return;
    rememberDatasets(datasets);
    status.replaceWith(jobForm(contract, methods, models, datasets, template));
  }).catch((e) => {
    if (!alive) return;
    replace(status, problemBox(e), h('p', null, h('a', {href: '#/new', onclick: () => location.reload()}, 'Try again')));
  });
  return () => { alive = false; };
}

function jobForm(contract, methods, models, datasets, template) {
  const request = contract.schema('CreateFineTuningJobRequest');
  const requestProps = Object.fromEntries(contract.properties(request));
  const fields = []; // {param, schema, input, required, group}

  // --- base model -----------------------------------------------------------------------------
  const baseModel = h('select', {'data-testid': 'base-model', required: true},
    options([{value: '', label: models.length ? 'Choose a base model' : 'No base models yet'},
      ...models.map((m) => ({value: m.id, label: `${m.name} · ${m.architecture}, ${m.num_labels} labels${m.builtin ? ' (built-in)' : ''}`}))],
    models.length === 1 ? models[0].id : ''));
  fields.push({param: 'base_model', schema: requestProps.base_model, input: baseModel, required: true});
  const modelHint = h('span');
  const describeModel = () => {
    const m = models.find((x) => x.id === baseModel.value);
    replace(modelHint, m ? `${m.task_type.replace('_', ' ')}${m.image_size ? `, ${m.image_size}px images` : ''}, `
      + `${formatCount(m.parameter_count)} parameters` : h('span', null, 'Upload models on the ', h('a', {href: '#/models'}, 'Models'), ' page.'));
  };
  const chosenModel = () => models.find((x) => x.id === baseModel.value);
  baseModel.addEventListener('change', () => {
    describeModel();
    // a text model trains on text datasets only, an image model on image ones
    fillTraining();
    if (!splitsTouched) splits = suggestedSplits();
    renderSplits();
    showTextFields();
  });
  describeModel();

  // --- data -------------------------------------------------------------------------------------
  const training = h('select', {'data-testid': 'training-dataset', required: true});
  fields.push({param: 'training_dataset', schema: requestProps.training_dataset, input: training, required: true});
  const splitRows = h('div', {class: 'split-rows', 'data-testid': 'evaluation-splits'});
  const splitsError = h('div', {class: 'field-error', hidden: true, 'data-testid': 'evaluation-splits-error'});
  let splits = []; // {dataset, kind, domain}
  let splitsTouched = false;
  const splitKinds = contract.enumOf('SplitKind');
  const maxSplits = requestProps.evaluation_splits.maxItems || 32;
  const addSplit = h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'add-split',
    onclick: () => { splitsTouched = true; splits.push({dataset: '', kind: 'id', domain: ''}); renderSplits(); }}, '+ Add evaluation split');
  const suggest = h('button', {type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'suggest-splits',
    title: 'The test datasets with the training data\'s labels: ID when the domain tag matches the training data, OOD when it differs',
    onclick: () => { splits = suggestedSplits(); splitsTouched = true; renderSplits(); }}, 'Suggest from tags');
  const uploadSlot = h('div', {class: 'inline-upload', hidden: true});
  const toggleUpload = h('button', {type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'toggle-inline-upload',
    'aria-expanded': 'false', onclick: () => {
      uploadSlot.hidden = !uploadSlot.hidden;
      toggleUpload.setAttribute('aria-expanded', String(!uploadSlot.hidden));
    }}, 'Upload a dataset…');
  uploadSlot.append(datasetUploadForm({idPrefix: 'inline-upload', onUploaded: (dataset) => {
    datasets = [dataset, ...datasets];
    rememberDatasets([dataset]);
    if (!training.value) training.value = dataset.id;
    else splits.push({dataset: dataset.id, kind: guessKind(dataset), domain: ''});
    fillTraining();
    renderSplits();
  }}));

  /** The datasets the chosen model can train or evaluate on (its task type); all of them before a model is chosen. */
  const usable = () => {
    const m = chosenModel();
    return m ? datasets.filter((d) => d.task_type === m.task_type) : datasets;
  };
  const datasetOptions = (selected, placeholder) => options([{value: '', label: placeholder},
    ...usable().map((d) => ({value: d.id, label: datasetLabel(d)}))], selected);
  const fillTraining = () => {
    const value = usable().some((d) => d.id === training.value) ? training.value : '';
    replace(training, datasetOptions(value, usable().length ? 'Choose the training dataset'
      : datasets.length ? 'No datasets for this model\'s task yet: upload one' : 'No datasets yet: upload one'));
  };
  training.addEventListener('change', () => {
    if (!splitsTouched) splits = suggestedSplits();
    renderSplits();
  });

  function guessKind(dataset) {
    const train = datasets.find((d) => d.id === training.value);
    return train && dataset.domain && train.domain && dataset.domain !== train.domain ? 'ood' : 'id';
  }

  /**
   * Every other dataset with the training data's task and labels, as ID when its domain tag matches and OOD
   * when it differs; when some carry a "test" split tag only those (validation data is for model selection).
   */
  function suggestedSplits() {
    const train = datasets.find((d) => d.id === training.value);
    if (!train) return [];
    const labels = [...train.class_names].sort().join('\n');
    const candidates = datasets.filter((d) => d.id !== train.id && d.task_type === train.task_type
      && [...d.class_names].sort().join('\n') === labels && !/^train/i.test(d.split || ''));
    const tests = candidates.filter((d) => /^test/i.test(d.split || ''));
    return (tests.length ? tests : candidates)
      .map((d) => ({dataset: d.id, kind: guessKind(d), domain: '', name: d.name}))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
      .slice(0, maxSplits)
      .map(({dataset, kind, domain}) => ({dataset, kind, domain}));
  }

  function renderSplits() {
    for (let i = fields.length - 1; i >= 0; i -= 1) if (fields[i].group === 'split') fields.splice(i, 1);
    const splitSchema = contract.schema('EvaluationSplit');
    const splitProps = Object.fromEntries(contract.properties(splitSchema));
    replace(splitRows, splits.length === 0
      ? h('div', {class: 'muted small'}, 'No evaluation splits yet. Add at least one (ID and OOD splits give the robustness table).')
      : splits.map((split, i) => {
        const dataset = h('select', {'data-testid': `split-dataset-${i}`, onchange: () => { split.dataset = dataset.value; splitsTouched = true; renderSplits(); }},
          datasetOptions(split.dataset, 'Choose a dataset'));
        const kind = h('select', {'data-testid': `split-kind-${i}`, onchange: () => { split.kind = kind.value; splitsTouched = true; }},
          options(splitKinds.map((k) => ({value: k, label: k === 'id' ? 'ID (in-distribution)' : k === 'ood' ? 'OOD (shifted)' : k})), split.kind));
        const chosen = datasets.find((d) => d.id === split.dataset);
        const domain = h('input', {type: 'text', autocomplete: 'off', value: split.domain, 'data-testid': `split-domain-${i}`,
          placeholder: chosen ? (chosen.domain || chosen.name) : 'from the dataset',
          oninput: () => { split.domain = domain.value; splitsTouched = true; }});
        const base = `evaluation_splits.${i}`;
        fields.push({param: `${base}.dataset`, schema: splitProps.dataset, input: dataset, required: true, group: 'split'});
        fields.push({param: `${base}.kind`, schema: splitProps.kind, input: kind, required: true, group: 'split'});
        fields.push({param: `${base}.domain`, schema: splitProps.domain, input: domain, group: 'split'});
        return h('div', {class: 'split-row', 'data-testid': 'split-row'},
          field(`Split ${i + 1} dataset`, dataset, {param: `${base}.dataset`}),
          field('Kind', kind, {param: `${base}.kind`}),
          field('Domain', domain, {param: `${base}.domain`}),
          h('button', {type: 'button', class: 'btn btn-small btn-danger-ghost', 'aria-label': `Remove split ${i + 1}`,
            onclick: () => { splits.splice(i, 1); splitsTouched = true; renderSplits(); }}, 'Remove'));
      }));
    addSplit.disabled = splits.length >= maxSplits;
  }

  // --- method -----------------------------------------------------------------------------------
  // the form creates single-task jobs; continual-only methods need a job with tasks (the API)
  const offered = [...methods.values()].filter((m) => m.single_task);
  const methodType = h('select', {'data-testid': 'method-type'},
    options(offered.map((m) => ({value: m.type, label: m.label})), methods.has('largo') ? 'largo' : offered[0].type));
  fields.push({param: 'method.type', schema: contract.schema('MethodType'), input: methodType, required: true});
  const methodHint = h('span', {'data-testid': 'method-description'});
  // one fieldset per settings block of the Method schema that some offered method takes, its fields the block's
  // schema; a method shows the blocks its registration lists
  const blockSchemas = contract.properties('Method').filter(([name]) => offered.some((m) => m.settings.includes(name)));
  const blocks = blockSchemas.map(([name]) => name);
  const sections = blockSchemas.map(([name, schema]) => h('fieldset', {class: 'subgroup', 'data-testid': `${name}-options`},
    h('legend', null, BLOCK_LEGENDS[name] || humanize(name)), schemaGroup(contract, schema, `method.${name}`, fields, name)));
  const input = (param) => fields.find((f) => f.param === param)?.input;
  const showMethod = () => {
    const method = methods.get(methodType.value);
    methodHint.textContent = method.description;
    blocks.forEach((name, i) => { sections[i].hidden = !method.settings.includes(name); });
    // an init the method prescribes is shown and fixed; largo's may be chosen, starting from its default
    const init = input('method.lora.init');
    if (init && method.defaults.lora) {
      if (!method.lora_init_configurable || init.disabled) init.value = method.defaults.lora.init;
      init.disabled = !method.lora_init_configurable;
    }
    const rate = input('hyperparameters.learning_rate');
    if (rate) rate.placeholder = `${method.default_learning_rate} (${method.label}'s default)`;
  };
  methodType.addEventListener('change', showMethod);

  // --- hyperparameters, seed, suffix, metadata ------------------------------------------------------
  const hyperGroup = schemaGroup(contract, 'Hyperparameters', 'hyperparameters', fields, 'hyper');
  // max_seq_length is for text models: shown, and sent, only when one is chosen
  const textFields = fields.filter((f) => f.param === 'hyperparameters.max_seq_length');
  textFields.forEach((f) => { f.group = 'text'; });
  const isTextModel = () => (chosenModel() || {}).task_type === 'text_classification';
  const showTextFields = () => textFields.forEach((f) => { f.input.closest('.field').hidden = !isTextModel(); });
  const runGroup = h('div', {class: 'form-grid'},
    schemaField(requestProps.seed, 'seed', 'Seed', fields, 'run'),
    schemaField(requestProps.suffix, 'suffix', 'Suffix', fields, 'run'));
  const metadata = h('textarea', {rows: 3, 'data-testid': 'metadata', placeholder: 'team=vision\nticket=ML-42', spellcheck: 'false'});

  // --- submit -------------------------------------------------------------------------------------
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'submit-job'}, 'Create job');
  const result = h('div', {'data-testid': 'submit-result'});
  const form = h('form', {class: 'job-form', novalidate: true, 'data-testid': 'job-form'},
    h('section', {class: 'card form-section'}, h('h2', null, 'Base model'),
      h('div', {class: 'form-grid'}, field('Base model', baseModel, {param: 'base_model', hint: modelHint, wide: true}))),
    h('section', {class: 'card form-section'}, h('h2', null, 'Data'),
      h('div', {class: 'form-grid'}, field('Training dataset', training, {param: 'training_dataset', wide: true,
        hint: h('span', null, 'Manage datasets on the ', h('a', {href: '#/datasets'}, 'Datasets'), ' page, or ', toggleUpload)})),
      uploadSlot,
      h('div', {class: 'subhead-row'}, h('h3', {class: 'subhead'}, 'Evaluation splits'), suggest),
      splitRows, splitsError, h('div', null, addSplit)),
    h('section', {class: 'card form-section'}, h('h2', null, 'Method'),
      h('div', {class: 'form-grid'}, field('Method', methodType, {param: 'method.type', hint: methodHint, wide: true})),
      ...sections),
    h('section', {class: 'card form-section'}, h('h2', null, 'Hyperparameters'),
      h('p', {class: 'muted small'}, 'Prefilled with the API’s defaults; an empty field takes the default.'),
      hyperGroup),
    h('details', {class: 'card form-section'}, h('summary', null, 'Seed, suffix and metadata'),
      runGroup,
      field('Metadata', metadata, {param: 'metadata', wide: true, hint: 'One key=value per line (up to 16).'})),
    h('div', {class: 'form-actions sticky-actions'}, submit, result));

  fillTraining();
  renderSplits();
  showMethod();
  showTextFields();
  if (template) applyTemplate(template);

  // Fields are checked on submit, not on blur: an error appearing on blur would move the button the user
  // is clicking. Typing into a flagged field clears its error.
  form.addEventListener('input', (e) => {
    if (e.target.getAttribute('aria-invalid')) setFieldError(e.target, null);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    result.replaceChildren();
    splitsError.hidden = true;
    const body = buildRequest();
    if (!body) {
      result.append(h('div', {class: 'problem', role: 'alert', 'data-testid': 'client-validation'},
        h('strong', null, 'Check the highlighted fields.')));
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
      return;
    }
    submit.disabled = true;
    try {
      const job = await api('/v1/fine-tuning/jobs', {method: 'POST', body});
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      placeFieldErrors(form, err.errors || []);
      replace(result, problemBox(err, {testid: 'submit-problem'}));
    } finally {
      submit.disabled = false;
    }
  });

  function validateField(f) {
    const r = check(f.schema || {}, f.input.value, {required: f.required});
    setFieldError(f.input, r.error ? `${fieldLabel(f)} ${r.error}` : null);
    return r;
  }

  /** The request body, or null when a field fails its contract check (the errors are then shown). */
  function buildRequest() {
    const type = methodType.value;
    const settings = methods.get(type).settings;
    const active = fields.filter((f) => (!blocks.includes(f.group) || settings.includes(f.group))
      && (f.group !== 'text' || isTextModel()));
    const body = {};
    let ok = true;
    for (const f of active) {
      const r = validateField(f);
      if (r.error) ok = false;
      else if (r.value !== undefined) setPath(body, f.param, r.value);
    }
    if (splits.length === 0) {
      splitsError.textContent = 'Add at least one evaluation split.';
      splitsError.hidden = false;
      ok = false;
    }
    const meta = parseMetadata(metadata.value, contract.schema('Metadata'));
    if (meta.error) {
      setFieldError(metadata, meta.error);
      ok = false;
    } else if (meta.value) {
      body.metadata = meta.value;
    }
    if (!body.method) body.method = {type};
    return ok ? body : null;
  }

  function applyTemplate(job) {
    baseModel.value = job.base_model;
    describeModel();
    fillTraining();
    showTextFields();
    training.value = job.training_dataset;
    splits = job.evaluation_splits.map((s) => ({dataset: s.dataset, kind: s.kind, domain: s.domain || ''}));
    splitsTouched = true;
    renderSplits();
    methodType.value = job.method.type;
    showMethod();
    for (const f of fields) {
      const value = getPath(job, f.param);
      if (value === undefined || value === null || f.group === 'split' || ['base_model', 'training_dataset', 'method.type'].includes(f.param)) continue;
      f.input.value = Array.isArray(value) ? value.join(', ') : String(value);
    }
    metadata.value = Object.entries(job.metadata || {}).map(([k, v]) => `${k}=${v}`).join('\n');
  }

  return form;
}

/** Inputs for each property of an object schema, e.g. Hyperparameters under "hyperparameters". */
function schemaGroup(contract, schema, prefix, fields, group) {
  return h('div', {class: 'form-grid'}, contract.properties(schema).map(([name, schema]) =>
    schemaField(schema, `${prefix}.${name}`, humanize(name), fields, group)));
}

/** One input for one property: a select for an enum, a comma list for an array, text otherwise. */
function schemaField(schema, param, label, fields, group) {
  const type = typeOf(schema);
  const testid = `field-${param.replace(/\./g, '-')}`;
  let input;
  if (schema.enum) {
    const values = schema.enum.map((v) => ({value: v, label: v}));
    input = h('select', {'data-testid': testid},
      options(schema.default !== undefined ? values : [{value: '', label: 'method default'}, ...values], schema.default ?? ''));
  } else {
    input = h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-testid': testid,
      inputmode: type === 'integer' ? 'numeric' : type === 'number' ? 'decimal' : null,
      value: schema.default !== undefined && schema.default !== null ? String(schema.default) : '',
      placeholder: type === 'array' ? 'comma-separated' : schema.default === undefined ? 'default' : null});
  }
  const f = {param, schema, input, group, label: LABELS[label] || label};
  fields.push(f);
  const range = type === 'integer' || type === 'number' ? rangeText(schema) : '';
  const hint = h('span', null, schema.description ? [inlineCode(schema.description), ' '] : null,
    [range && `Allowed: ${range}.`, schema.default !== undefined ? `Default ${schema.default}.` : '',
      schema.pattern ? `Pattern ${schema.pattern}.` : ''].filter(Boolean).join(' '));
  return field(LABELS[label] || label, input, {param, hint, testid});
}

/** Nicer labels than the humanised property names for the terse ones. */
const LABELS = {R: 'Rank (r)', Kappa: 'Kappa (κ)', Mu: 'Mu (μ, gamma learning rate)', 'Gamma init': 'Initial gamma',
  'Grad clip': 'Gradient clip', Init: 'Initialisation', Norm: 'Projection norm'};

/** The contract's descriptions use Markdown `code` spans; show them as code. */
function inlineCode(text) {
  return text.split('`').map((part, i) => (i % 2 ? h('code', null, part) : part));
}

function fieldLabel(f) {
  if (f.label) return f.label;
  const last = f.param.split('.').pop();
  return humanize(last);
}

function datasetLabel(d) {
  const tags = [d.split, d.domain].filter(Boolean).join(', ');
  return `${d.name}${tags ? ` [${tags}]` : ''} · ${formatCount(d.example_count)} examples, ${d.class_names.length} classes`;
}

function setPath(target, path, value) {
  const parts = path.split('.');
  let node = target;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
    if (last) node[part] = value;
    else {
      if (node[part] === undefined) node[part] = nextIsIndex ? [] : {};
      node = node[part];
    }
  });
}

function getPath(source, path) {
  return path.split('.').reduce((node, part) => (node === null || node === undefined ? undefined : node[part]), source);
}

/** "key=value" lines -> an object within the Metadata schema's limits. */
function parseMetadata(text, schema) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return {value: null};
  const out = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq < 1) return {error: `"${line}" is not key=value`};
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const valueSchema = schema.additionalProperties || {};
    if (valueSchema.maxLength !== undefined && value.length > valueSchema.maxLength) {
      return {error: `the value of ${key} must be at most ${valueSchema.maxLength} characters`};
    }
    out[key] = value;
  }
  if (schema.maxProperties !== undefined && Object.keys(out).length > schema.maxProperties) {
    return {error: `at most ${schema.maxProperties} pairs`};
  }
  return {value: out};
}
