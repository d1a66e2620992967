// How numbers, sizes, times and ids are shown, in one place so every page shows them alike.

import {h} from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
const shortDateTime = new Intl.DateTimeFormat(undefined, {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});
const clock = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const relative = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'});

/** A <time> showing "3 min ago" (or a short date when older than a day), the exact time on hover. */
export function timeAgo(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const date = new Date(iso);
  return h('time', {datetime: iso, title: dateTime.format(date)}, ago(date));
}

function ago(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 20 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  return shortDateTime.format(date);
}

export function formatDateTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatClock(iso) {
  return iso ? clock.format(new Date(iso)) : '';
}

/** 3725 -> "1h 02m", 75 -> "1m 15s", 9 -> "9s". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Seconds between two timestamps (the second defaults to now). */
export function secondsBetween(fromIso, toIso) {
  if (!fromIso) return null;
  const to = toIso ? new Date(toIso) : new Date();
  return (to.getTime() - new Date(fromIso).getTime()) / 1000;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** 0.8734 -> "87.3%". */
export function formatPercent(fraction, digits = 1) {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A number with about 4 significant digits, scientific when very small or large. */
export function formatNumber(value) {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return Number(value.toPrecision(4)).toLocaleString(undefined, {maximumFractionDigits: 6});
}

/** 12345678 -> "12.3M". */
export function formatCount(value) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(undefined, {notation: 'compact', maximumFractionDigits: 1}).format(value);
}

/** The first block of a UUID, enough to tell jobs apart on screen. */
export function shortId(id) {
  if (!id) return '—';
  return /^[0-9a-f]{8}-/i.test(id) ? id.slice(0, 8) : id;
}

/** "batch_size" -> "Batch size". */
export function humanize(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A status badge; data-status lets the browser test and the style sheet read it. */
export function statusBadge(status, extra) {
  return h('span', {class: `badge badge-${status}`, 'data-status': status, 'data-testid': 'status-badge'},
    status, extra ? h('span', {class: 'badge-extra'}, ` · ${extra}`) : null);
}

export const TERMINAL_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);
