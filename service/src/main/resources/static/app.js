// The dashboard: a hash-routed single page on the public API. Each page module exports
// mount(container, params) and returns the function that tears it down (stops its polling).

import {apiKey, setApiKey} from './js/apikey.js';
import {h, replace} from './js/dom.js';
import * as jobsPage from './js/pages/jobs.js';
import * as jobDetailPage from './js/pages/job-detail.js';
import * as submitPage from './js/pages/submit.js';
import * as datasetsPage from './js/pages/datasets.js';
import * as modelsPage from './js/pages/models.js';

const ROUTES = [
  {pattern: /^\/jobs\/?$/, nav: 'jobs', page: jobsPage},
  {pattern: /^\/jobs\/([^/?]+)$/, nav: 'jobs', page: jobDetailPage},
  {pattern: /^\/new\/?$/, nav: 'new', page: submitPage},
  {pattern: /^\/datasets\/?$/, nav: 'datasets', page: datasetsPage},
  {pattern: /^\/models\/?$/, nav: 'models', page: modelsPage},
];

const view = document.getElementById('view');
let unmount = null;

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/jobs';
  const [path, queryString] = hash.split('?');
  const match = ROUTES.map((r) => ({r, m: r.pattern.exec(path)})).find((x) => x.m);
  if (unmount) {
    try { unmount(); } catch (e) { console.error(e); }
    unmount = null;
  }
  hideGlobalAlert();
  for (const link of document.querySelectorAll('.mainnav a')) {
    if (match && link.dataset.route === match.r.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!match) {
    replace(view, h('section', {class: 'page'}, h('h1', null, 'Not found'),
      h('p', null, 'No page at ', h('code', null, path), '. ', h('a', {href: '#/jobs'}, 'Go to the jobs.'))));
    return;
  }
  view.replaceChildren();
  const params = {args: match.m.slice(1), query: new URLSearchParams(queryString || '')};
  unmount = match.r.page.mount(view, params) || null;
  window.scrollTo(0, 0);
}

// --- API key -------------------------------------------------------------------------------------

const keyToggle = document.getElementById('api-key-toggle');
const keyPanel = document.getElementById('api-key-panel');
const keyInput = document.getElementById('api-key-input');

function showKeyState() {
  keyToggle.textContent = apiKey() ? 'API key ✓' : 'API key';
  keyToggle.classList.toggle('has-key', Boolean(apiKey()));
}

function openKeyPanel(open) {
  keyPanel.hidden = !open;
  keyToggle.setAttribute('aria-expanded', String(open));
  if (open) {
    keyInput.value = apiKey();
    keyInput.focus();
  }
}

keyToggle.addEventListener('click', () => openKeyPanel(keyPanel.hidden));
document.getElementById('api-key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setApiKey(keyInput.value);
  showKeyState();
  openKeyPanel(false);
  route(); // reload the page's data with the new key
});
document.getElementById('api-key-clear').addEventListener('click', () => {
  setApiKey('');
  keyInput.value = '';
  showKeyState();
  openKeyPanel(false);
  route();
});

window.addEventListener('largo:unauthorized', (e) => {
  showGlobalAlert(`${e.detail.title || 'Unauthorized'}: ${e.detail.detail || 'this service needs an API key.'} `,
    h('button', {type: 'button', class: 'btn btn-small', onclick: () => openKeyPanel(true)}, 'Enter API key'));
});

// --- global alert ----------------------------------------------------------------------------------

const globalAlert = document.getElementById('global-alert');

function showGlobalAlert(...content) {
  replace(globalAlert, ...content);
  globalAlert.hidden = false;
}

function hideGlobalAlert() {
  globalAlert.hidden = true;
  globalAlert.replaceChildren();
}

window.addEventListener('hashchange', route);
showKeyState();
route();
