// Jobs list: newest first, filter by status, cursor pagination ("Load more"), refreshed by polling.

import {api} from '../api.js';
import {h, options, replace} from '../dom.js';
import {formatDuration, formatPercent, secondsBetween, shortId, statusBadge, timeAgo} from '../format.js';
import {problemBox} from '../forms.js';
import {methodName} from '../methods.js';
import {modelsById} from '../names.js';
import {liveIndicator, Poller} from '../poller.js';

const STATUSES = ['validating', 'queued', 'running', 'succeeded', 'failed', 'cancelled'];
const PAGE = 20;

export function mount(container, {query}) {
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  document.title = 'Jobs · LARGO';
  let rows = [];       // jobs on screen, newest first
  let nextAfter = null; // cursor after the oldest job on screen
  let hasMore = false;
  let models = new Map();

  const filter = h('select', {id: 'status-filter', 'data-testid': 'status-filter',
    onchange: () => { location.hash = filter.value ? `#/jobs?status=${filter.value}` : '#/jobs'; }},
  options([{value: '', label: 'All statuses'}, ...STATUSES.map((s) => ({value: s, label: s}))], status));
  const body = h('tbody', {'data-testid': 'jobs-body'});
  const message = h('div');
  const more = h('button', {type: 'button', class: 'btn', 'data-testid': 'jobs-more', hidden: true, onclick: loadMore}, 'Load more');

  const poller = new Poller(refresh, {min: 2000, max: 20000});
  replace(container, h('section', {class: 'page'},
    h('div', {class: 'page-head'},
      h('div', null, h('h1', null, 'Fine-tuning jobs'), liveIndicator(poller)),
      h('a', {class: 'btn btn-primary', href: '#/new', 'data-testid': 'new-job'}, 'New job')),
    h('div', {class: 'toolbar'}, h('label', {for: 'status-filter'}, 'Status'), filter),
    message,
    h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': 'jobs-table'},
      h('thead', null, h('tr', null,
        h('th', null, 'Job'), h('th', null, 'Status'), h('th', null, 'Base model'), h('th', null, 'Method'),
        h('th', {class: 'col-progress'}, 'Progress'), h('th', null, 'Created'), h('th', null, 'Finished'))),
      body)),
    h('div', {class: 'more-row'}, more)));

  modelsById().then((m) => { models = m; render(); }).catch(() => {});
  poller.start();

  /**
   * Re-reads the newest page as large as what is on screen (up to the API's 100) and keeps older rows
   * below it, so polling refreshes what the user sees without losing what "Load more" added.
   */
  async function refresh() {
    const limit = Math.min(100, Math.max(PAGE, rows.length));
    const page = await api('/v1/fine-tuning/jobs', {query: {status, limit}});
    const before = JSON.stringify(rows);
    const fresh = page.data;
    if (!page.has_more || fresh.length === 0) {
      rows = fresh;
      hasMore = page.has_more;
      nextAfter = page.next_after;
    } else {
      const oldest = fresh[fresh.length - 1].created_at;
      const ids = new Set(fresh.map((j) => j.id));
      const older = rows.filter((j) => !ids.has(j.id) && j.created_at < oldest);
      rows = [...fresh, ...older];
      if (older.length === 0) {
        hasMore = page.has_more;
        nextAfter = page.next_after;
      }
    }
    message.replaceChildren();
    const changed = JSON.stringify(rows) !== before;
    render();
    return {changed};
  }

  async function loadMore() {
    more.disabled = true;
    try {
      const page = await api('/v1/fine-tuning/jobs', {query: {status, after: nextAfter, limit: PAGE}});
      const ids = new Set(rows.map((j) => j.id));
      rows = [...rows, ...page.data.filter((j) => !ids.has(j.id))];
      hasMore = page.has_more;
      nextAfter = page.next_after;
      render();
    } catch (e) {
      replace(message, problemBox(e));
    } finally {
      more.disabled = false;
    }
  }

  function render() {
    more.hidden = !hasMore;
    if (rows.length === 0) {
      replace(body, h('tr', null, h('td', {colspan: 7, class: 'empty'},
        status ? `No ${status} jobs.` : 'No jobs yet. ', status ? null : h('a', {href: '#/new'}, 'Create one.'))));
      return;
    }
    replace(body, rows.map((job) => jobRow(job, models)));
  }

  // show poll failures above the table, keep the last rows
  poller.subscribe((state) => {
    if (state.kind === 'error') replace(message, problemBox(state.error));
  });
  return () => poller.stop();
}

function jobRow(job, models) {
  const link = `#/jobs/${job.id}`;
  const model = models.get(job.base_model);
  const finished = job.finished_at
    ? [timeAgo(job.finished_at), h('div', {class: 'muted small'}, `took ${formatDuration(secondsBetween(job.started_at || job.created_at, job.finished_at))}`)]
    : h('span', {class: 'muted'}, '—');
  return h('tr', {'data-testid': 'job-row', 'data-job-id': job.id, 'data-status': job.status, class: 'clickable',
    onclick: (e) => { if (!e.target.closest('a')) location.hash = link; }},
  h('td', null, h('a', {href: link, class: 'mono', 'data-testid': 'job-link'}, shortId(job.id)),
    job.suffix ? h('div', {class: 'muted small'}, job.suffix) : null),
  h('td', null, statusBadge(job.status, job.cancel_requested && job.status === 'running' ? 'cancelling' : null)),
  h('td', null, model ? model.name : h('span', {class: 'mono'}, job.base_model)),
  h('td', null, methodName(job.method.type),
    job.tasks ? h('div', {class: 'muted small', 'data-testid': 'job-tasks'}, `${job.tasks.length} tasks, continual`) : null),
  h('td', {class: 'col-progress'}, jobProgress(job)),
  h('td', null, timeAgo(job.created_at)),
  h('td', null, finished));
}

/** A progress bar with percent, step count and the ETA while running. */
export function jobProgress(job, {large = false} = {}) {
  const fraction = Math.max(0, Math.min(1, job.progress || 0));
  const steps = job.total_steps ? `step ${job.current_step} / ${job.total_steps}` : null;
  let caption = formatPercent(fraction, 0);
  if (job.status === 'running' && job.eta_seconds !== null && job.eta_seconds !== undefined) {
    caption += ` · ETA ${formatDuration(job.eta_seconds)}`;
  }
  if (job.status === 'queued' || job.status === 'validating') caption = 'waiting';
  return h('div', {class: large ? 'progress progress-large' : 'progress', title: steps || ''},
    h('div', {class: `progress-track status-${job.status}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': Math.round(fraction * 100), 'aria-label': 'Progress', 'data-testid': 'job-progress'},
    h('div', {class: 'progress-fill', style: `width:${(fraction * 100).toFixed(1)}%`})),
    h('div', {class: 'progress-caption'}, caption, large && steps ? h('span', {class: 'muted'}, ` · ${steps}`) : null));
}
