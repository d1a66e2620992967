// The dashboard's only way to the service: the public REST API (api-spec's openapi.yaml).
// URLs are relative to the page, so the dashboard also works behind a reverse-proxy prefix.

import {apiKey} from './apikey.js';

/** An RFC 9457 problem (or a network failure, status 0) as the API described it. */
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
    this.status = problem.status;
  }

  /** The problem's `errors` entries ({param?, location?, message}). */
  get errors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

const JSON_TYPES = /^application\/([a-z.+-]*\+)?json/i;

/**
 * Calls the API and returns the parsed JSON body.
 * `query` entries that are undefined, null or '' are left out; a plain-object `body` is sent as JSON;
 * every POST carries a fresh Idempotency-Key so a retried click can never create a thing twice.
 */
export async function api(path, {method = 'GET', query, body, signal} = {}) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (method === 'POST') headers['Idempotency-Key'] = newIdempotencyKey();
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path, query), {method, headers, body: payload, signal, cache: 'no-store'});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({status: 0, title: 'Cannot reach the service', detail: e.message});
  }
  const json = await readJson(response);
  if (!response.ok) throw failure(response.status, response.statusText, json, response.url);
  return json;
}

const pageLoads = new Map();

/**
 * A GET whose answer does not change while the page is open (the contract, the method registry), fetched once
 * and kept as `wrap(json)`; a failed fetch is forgotten so that a later call tries again.
 */
export function apiOnce(path, wrap = (json) => json) {
  if (!pageLoads.has(path)) {
    pageLoads.set(path, api(path).then(wrap).catch((e) => {
      pageLoads.delete(path);
      throw e;
    }));
  }
  return pageLoads.get(path);
}

/**
 * Every item of a paginated list (following `next_after`), at most `max` of them.
 * Used for the small lists forms choose from (models, datasets).
 */
export async function apiAll(path, {query = {}, max = 1000, signal} = {}) {
  const items = [];
  let after;
  do {
    const page = await api(path, {query: {...query, after, limit: 100}, signal});
    items.push(...page.data);
    after = page.has_more ? page.next_after : undefined;
  } while (after !== undefined && after !== null && items.length < max);
  return items;
}

/**
 * POSTs a multipart form with XMLHttpRequest, the one browser API that reports upload progress.
 * onProgress receives (loadedBytes, totalBytes). Returns {promise, abort}.
 */
export function upload(path, formData, {onProgress} = {}) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', url(path));
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Idempotency-Key', newIdempotencyKey());
    const key = apiKey();
    if (key) xhr.setRequestHeader('Authorization', `Bearer ${key}`);
    xhr.upload.addEventListener('progress', (e) => onProgress && onProgress(e.loaded, e.lengthComputable ? e.total : null));
    xhr.addEventListener('load', () => {
      let json = null;
      if (JSON_TYPES.test(xhr.getResponseHeader('Content-Type') || '')) {
        try { json = JSON.parse(xhr.responseText); } catch { json = null; }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(failure(xhr.status, xhr.statusText, json, path));
    });
    xhr.addEventListener('error', () => reject(new ApiError({status: 0, title: 'Cannot reach the service',
      detail: 'The upload was interrupted (connection closed or refused).'})));
    xhr.addEventListener('abort', () => reject(new ApiError({status: 0, title: 'Upload cancelled'})));
    xhr.send(formData);
  });
  return {promise, abort: () => xhr.abort()};
}

/**
 * Downloads a file the API streams. Without an API key a plain navigation lets the browser stream it to
 * disk; with a key the Authorization header must be sent, which only fetch() can do, so the file is
 * fetched as a blob first.
 */
export async function download(path, query, fallbackName) {
  const href = url(path, query);
  const key = apiKey();
  if (!key) {
    clickLink(href, '');
    return;
  }
  const response = await fetch(href, {headers: {Authorization: `Bearer ${key}`}});
  if (!response.ok) throw failure(response.status, response.statusText, await readJson(response), href);
  const name = filenameOf(response.headers.get('Content-Disposition')) || fallbackName;
  const objectUrl = URL.createObjectURL(await response.blob());
  clickLink(objectUrl, name);
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}

/** The URL of an API path with its query string (relative to the page). */
export function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
  }
  const qs = params.toString();
  return path.replace(/^\//, '') + (qs ? `?${qs}` : '');
}

function clickLink(href, name) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

function filenameOf(disposition) {
  if (!disposition) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

async function readJson(response) {
  if (response.status === 204) return null;
  if (!JSON_TYPES.test(response.headers.get('Content-Type') || '')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function failure(status, statusText, json, where) {
  const problem = json && typeof json === 'object' && (json.title || json.detail)
    ? {status, ...json}
    : {status, title: statusText || `HTTP ${status}`, detail: `${where} answered ${status} without a problem document.`};
  if (status === 401) window.dispatchEvent(new CustomEvent('largo:unauthorized', {detail: problem}));
  return new ApiError(problem);
}

/** A random UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
