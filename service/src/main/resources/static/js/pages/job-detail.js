// Job detail: status and progress, live loss / learning-rate charts, per-layer gamma, the ID/OOD
// evaluation table beside the base-model reference, checkpoints, the event log, cancel and downloads;
// for a continual job also its tasks, the accuracy-matrix heatmap and AA / BWT per task.
// Events and metrics are read incrementally with their `after` cursors; evaluations and checkpoints
// are re-read when an event says something happened.

import {api, download} from '../api.js';
import {h, replace} from '../dom.js';
import {chartCard, chartsAvailable, chartUnavailable, lineChart, setSeries, smooth} from '../charts.js';
import {continualSection} from '../continual.js';
import {evaluationSection} from '../evaluations.js';
import {formatBytes, formatClock, formatDateTime, formatDuration, formatNumber, humanize, secondsBetween,
  shortId, statusBadge, TERMINAL_STATUSES, timeAgo} from '../format.js';
import {confirmButton, problemBox} from '../forms.js';
import {GammaPanel, GammaSeries} from '../gamma.js';
import {methodName} from '../methods.js';
import {datasetById, modelsById} from '../names.js';
import {liveIndicator, Poller} from '../poller.js';
import {jobProgress} from './jobs.js';

const LOSS = new Set(['train/loss', 'loss']);
const LEARNING_RATE = new Set(['train/lr', 'train/learning_rate', 'lr', 'learning_rate']);
const EPOCH_LOSS = 'train/epoch_loss';
const METRIC_PAGES_PER_TICK = 40;

export function mount(container, {args: [jobId]}) {
  document.title = `Job ${shortId(jobId)} · LARGO`;
  const base = `/v1/fine-tuning/jobs/${encodeURIComponent(jobId)}`;
  const state = {
    job: null, events: [], eventsAfter: undefined, metricsAfter: undefined,
    loss: [], epochLoss: [], lr: [], gamma: new GammaSeries(), adapter: null, evaluationsLoadedFor: null,
  };
  const charts = [];

  // --- layout ----------------------------------------------------------------------------------
  const poller = new Poller(tick, {min: 1500, max: 15000});
  const title = h('h1', null, `Job ${shortId(jobId)}`);
  const badge = h('span');
  const actions = h('div', {class: 'actions'});
  const actionMessage = h('div');
  const overview = h('div', {class: 'card overview', 'data-testid': 'job-overview'});
  const errorBox = h('div');
  const lossCard = chartCard('Training loss', {testid: 'chart-loss'});
  const lrCard = chartCard('Learning rate', {testid: 'chart-lr'});
  const gammaSlot = h('div');
  const evaluations = evaluationSection();
  const continual = continualSection();
  const checkpointsBody = h('tbody', {'data-testid': 'checkpoints-body'});
  const eventsList = h('ol', {class: 'event-log', 'data-testid': 'event-log', 'aria-live': 'off'});
  const config = h('div');
  const pageMessage = h('div');

  replace(container, h('section', {class: 'page', 'data-testid': 'job-detail', 'data-job-id': jobId},
    h('a', {href: '#/jobs', class: 'back-link'}, '← Jobs'),
    h('div', {class: 'page-head'},
      h('div', null, h('div', {class: 'title-row'}, title, badge), liveIndicator(poller)),
      actions),
    actionMessage, pageMessage, errorBox, overview,
    continual.el,
    h('div', {class: 'chart-row'}, chartsAvailable() ? [lossCard.card, lrCard.card] : chartUnavailable()),
    gammaSlot,
    evaluations.el,
    h('div', {class: 'two-col'},
      h('section', {class: 'section'}, h('h2', null, 'Checkpoints'),
        h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': 'checkpoints-table'},
          h('thead', null, h('tr', null, h('th', null, 'Epoch'), h('th', null, 'Step'), h('th', null, 'Size'), h('th', null, 'Created'))),
          checkpointsBody))),
      h('section', {class: 'section'}, h('h2', null, 'Events'), h('div', {class: 'event-box'}, eventsList))),
    config));

  if (chartsAvailable()) {
    charts.push(state.lossChart = lineChart(lossCard.canvas, {yTitle: 'loss', legend: true}));
    charts.push(state.lrChart = lineChart(lrCard.canvas, {yTitle: 'learning rate'}));
  }
  renderCheckpoints([]);
  eventsList.append(h('li', {class: 'empty'}, 'No events yet.'));
  poller.subscribe((s) => {
    if (s.kind === 'error' && s.error.status === 404) {
      poller.stop();
      replace(pageMessage, problemBox(s.error));
    } else if (s.kind === 'error') {
      replace(pageMessage, problemBox(s.error));
    } else {
      pageMessage.replaceChildren();
    }
  });
  poller.start();

  // --- polling ---------------------------------------------------------------------------------
  async function tick() {
    const job = await api(base);
    const previous = state.job;
    const jobChanged = JSON.stringify(job) !== JSON.stringify(previous);
    state.job = job;
    if (jobChanged) renderJob(job, previous);
    const newEvents = await pullEvents();
    const newMetrics = await pullMetrics();
    const terminal = TERMINAL_STATUSES.has(job.status);
    // evaluations and checkpoints change only when the worker reports something (an event) or the status moves
    if (newEvents || state.evaluationsLoadedFor !== job.status || (previous && previous.current_epoch !== job.current_epoch)) {
      await Promise.all([loadEvaluations(), loadCheckpoints()]);
      state.evaluationsLoadedFor = job.status;
    }
    if (job.fine_tuned_adapter && (!state.adapter || state.adapter.id !== job.fine_tuned_adapter)) {
      state.adapter = await api(`/v1/adapters/${encodeURIComponent(job.fine_tuned_adapter)}`);
      renderActions(job);
    }
    return {changed: jobChanged || newEvents || newMetrics === 'more' || Boolean(newMetrics), done: terminal && newMetrics !== 'more'};
  }

  async function pullEvents() {
    let any = false;
    for (;;) {
      const page = await api(`${base}/events`, {query: {after: state.eventsAfter, limit: 1000}});
      if (page.data.length) {
        any = true;
        state.events.push(...page.data);
        appendEvents(page.data);
      }
      if (page.next_after !== null && page.next_after !== undefined) state.eventsAfter = page.next_after;
      else if (page.data.length) state.eventsAfter = page.data[page.data.length - 1].id;
      if (!page.has_more || page.data.length === 0) return any;
    }
  }

  /** Returns false (nothing new), true (new points) or 'more' (stopped early, more pages waiting). */
  async function pullMetrics() {
    let any = false;
    for (let pages = 0; pages < METRIC_PAGES_PER_TICK; pages += 1) {
      const page = await api(`${base}/metrics`, {query: {after: state.metricsAfter, limit: 1000}});
      for (const m of page.data) {
        if (LOSS.has(m.name)) state.loss.push({x: m.step, y: m.value});
        else if (LEARNING_RATE.has(m.name)) state.lr.push({x: m.step, y: m.value});
        else if (m.name === EPOCH_LOSS) state.epochLoss.push({x: m.step, y: m.value});
        else state.gamma.add(m);
      }
      if (page.data.length) any = true;
      if (page.next_after !== null && page.next_after !== undefined) state.metricsAfter = page.next_after;
      else if (page.data.length) state.metricsAfter = page.data[page.data.length - 1].id;
      if (!page.has_more || page.data.length === 0) {
        if (any) renderMetrics();
        return any;
      }
    }
    renderMetrics();
    return 'more';
  }

  async function loadEvaluations() {
    const list = await api(`${base}/evaluations`);
    await evaluations.update(list, state.job);
    continual.update(state.job, list);
  }

  async function loadCheckpoints() {
    const list = await api(`${base}/checkpoints`);
    renderCheckpoints(list.data);
  }

  // --- rendering -------------------------------------------------------------------------------
  function renderJob(job, previous) {
    title.textContent = `Job ${shortId(job.id)}${job.suffix ? ` · ${job.suffix}` : ''}`;
    replace(badge, statusBadge(job.status, job.cancel_requested && !TERMINAL_STATUSES.has(job.status) ? 'cancel requested' : null));
    container.querySelector('[data-testid="job-detail"]').dataset.status = job.status;
    renderActions(job);
    renderOverview(job);
    continual.update(job, null);
    replace(errorBox, job.error ? h('div', {class: 'problem', role: 'alert', 'data-testid': 'job-error'},
      h('div', {class: 'problem-title'}, h('strong', null, 'The job failed'), h('code', {class: 'problem-status'}, job.error.code)),
      h('p', {class: 'problem-detail'}, job.error.message),
      job.error.param ? h('p', null, h('code', null, job.error.param)) : null) : null);
    if (!previous || previous.method.type !== job.method.type) renderConfig(job);
  }

  function renderActions(job) {
    const adapter = state.adapter;
    const fileOf = (format) => adapter && adapter.files.find((f) => f.format === format);
    const downloadButton = (format, label) => {
      const file = fileOf(format);
      const ready = job.status === 'succeeded' && job.fine_tuned_adapter;
      return h('button', {type: 'button', class: 'btn', 'data-testid': `download-${format}`, disabled: !ready,
        title: ready ? (file && file.sha256 ? `sha256 ${file.sha256}` : '') : 'Available when the job has succeeded',
        onclick: () => download(`/v1/adapters/${job.fine_tuned_adapter}/download`, {format},
          file ? file.filename : `${job.fine_tuned_adapter}-${format}`).catch((e) => replace(actionMessage, problemBox(e)))},
      label, file ? h('span', {class: 'btn-note'}, formatBytes(file.size_bytes)) : null);
    };
    const cancellable = !TERMINAL_STATUSES.has(job.status);
    replace(actions,
      cancellable
        ? (job.cancel_requested
          ? h('button', {type: 'button', class: 'btn', disabled: true, 'data-testid': 'cancel-job'}, 'Cancelling…')
          : confirmButton('Cancel job', 'Confirm cancel', cancel, {testid: 'cancel-job'}))
        : null,
      downloadButton('peft', 'PEFT adapter'),
      downloadButton('merged', 'Merged model'),
      // the form submits single-task jobs
      job.tasks ? null : h('a', {class: 'btn btn-ghost', href: `#/new?from=${job.id}`, 'data-testid': 'run-again',
        title: 'A new job with this configuration, to change and submit'}, 'Run again…'));
  }

  async function cancel() {
    try {
      const job = await api(`${base}/cancel`, {method: 'POST'});
      actionMessage.replaceChildren();
      const previous = state.job;
      state.job = job;
      renderJob(job, previous);
      poller.now();
    } catch (e) {
      replace(actionMessage, problemBox(e, {testid: 'cancel-problem'}));
    }
  }

  function renderOverview(job) {
    const duration = job.started_at ? formatDuration(secondsBetween(job.started_at, job.finished_at)) : '—';
    const item = (label, value, testid) => h('div', {class: 'kv'}, h('dt', null, label), h('dd', {'data-testid': testid}, value));
    // ids until the names arrive
    const modelCell = h('span', {class: 'mono'}, job.base_model);
    modelsById().then((models) => {
      const model = models.get(job.base_model);
      if (!model) return;
      modelCell.className = '';
      replace(modelCell, model.name, h('span', {class: 'muted small'}, ` ${model.architecture}`));
    }).catch(() => {});
    const datasetCell = h('span', {class: 'mono'}, job.tasks ? `${job.tasks.length} tasks` : shortId(job.training_dataset));
    if (!job.tasks) {
      datasetById(job.training_dataset).then((d) => {
        if (!d) return;
        datasetCell.className = '';
        replace(datasetCell, d.name);
      }).catch(() => {});
    }
    const task = job.tasks && job.current_task !== null && job.current_task !== undefined ? job.tasks[job.current_task] : null;
    replace(overview,
      h('div', {class: 'overview-progress'}, jobProgress(job, {large: true})),
      h('dl', {class: 'kv-grid'},
        item('Method', methodName(job.method.type), 'job-method'),
        item('Base model', modelCell),
        item('Training data', datasetCell),
        job.tasks ? item('Task', task ? `${task.name} (${task.index + 1} of ${job.tasks.length})` : '—', 'job-current-task') : null,
        item('Epoch', job.total_steps ? `${job.current_epoch} of ${job.hyperparameters.epochs}` : String(job.current_epoch)),
        item('Created', h('span', {title: formatDateTime(job.created_at)}, timeAgo(job.created_at))),
        item('Started', job.started_at ? timeAgo(job.started_at) : '—'),
        item('Finished', job.finished_at ? timeAgo(job.finished_at) : '—'),
        item('Duration', duration),
        item('Attempts', String(job.attempts)),
        item('Seed', String(job.seed)),
        item('Job id', h('span', {class: 'mono small'}, job.id))));
  }

  function renderConfig(job) {
    const groups = [['Method', {type: job.method.type}], ['LoRA', job.method.lora], ['Projection', job.method.largo],
      ['GORP', job.method.gorp],
      ['Hyperparameters', job.hyperparameters]].filter(([, v]) => v);
    replace(config, h('details', {class: 'section config'},
      h('summary', null, 'Configuration (with every default filled in)'),
      h('div', {class: 'config-grid'}, groups.map(([name, values]) => h('div', null, h('h3', {class: 'subhead'}, name),
        h('dl', {class: 'kv-list'}, Object.entries(values).map(([k, v]) => h('div', {class: 'kv'},
          h('dt', null, humanize(k)), h('dd', {class: 'mono'}, Array.isArray(v) ? v.join(', ') : String(v))))))))));
  }

  function showGammaPanel() {
    state.gammaPanel = new GammaPanel();
    replace(gammaSlot, state.gammaPanel.el);
  }

  function renderMetrics() {
    if (state.lossChart) {
      lossCard.empty.hidden = state.loss.length > 0;
      setSeries(state.lossChart, [
        {key: 'raw', label: 'loss', data: state.loss, colour: 'rgba(36, 87, 197, 0.28)', width: 1, order: 1},
        {key: 'smooth', label: 'smoothed', data: smooth(state.loss), colour: '#2457c5', width: 2},
        ...(state.epochLoss.length ? [{key: 'epoch', label: 'epoch mean', data: state.epochLoss, colour: '#e07a10',
          width: 1.5, dashed: true}] : []),
      ]);
    }
    if (state.lrChart) {
      lrCard.empty.hidden = state.lr.length > 0;
      setSeries(state.lrChart, [{key: 'lr', label: 'learning rate', data: state.lr, colour: '#e07a10'}]);
    }
    if (state.gamma.size > 0 && !state.gammaPanel) showGammaPanel();
    if (state.gammaPanel) state.gammaPanel.update(state.gamma);
  }

  function renderCheckpoints(checkpoints) {
    if (!checkpoints.length) {
      replace(checkpointsBody, h('tr', null, h('td', {colspan: 4, class: 'empty'}, 'No checkpoints yet.')));
      return;
    }
    replace(checkpointsBody, checkpoints.map((c) => h('tr', {'data-testid': 'checkpoint-row'},
      h('td', null, String(c.epoch)), h('td', null, String(c.step)), h('td', null, formatBytes(c.size_bytes)),
      h('td', null, timeAgo(c.created_at)))));
  }

  function appendEvents(events) {
    const box = eventsList.parentElement;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    if (state.events.length === events.length) eventsList.replaceChildren();
    for (const e of events) {
      eventsList.append(h('li', {class: `event event-${e.level}`, 'data-testid': 'event', 'data-type': e.type},
        h('time', {datetime: e.created_at, title: formatDateTime(e.created_at)}, formatClock(e.created_at)),
        h('span', {class: `level level-${e.level}`}, e.level),
        h('span', {class: 'event-type'}, e.type),
        h('span', {class: 'event-message'}, e.message,
          e.data && Object.keys(e.data).length ? h('span', {class: 'event-data'}, ` ${compact(e.data)}`) : null)));
    }
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  return () => {
    poller.stop();
    for (const chart of charts) chart.destroy();
    if (state.gammaPanel) state.gammaPanel.destroy();
    continual.destroy();
  };
}

/** {"epoch": 2, "accuracy": 0.91} -> "epoch=2 accuracy=0.91", shortened. */
function compact(data) {
  const text = Object.entries(data).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v)
    : typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
