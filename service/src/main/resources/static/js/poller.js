// Polling with back-off. A page polls quickly while things change and slows down while they do not,
// backs off harder on errors, pauses while the tab is hidden, and stops when the page is left.

import {h} from './dom.js';

export class Poller {
  /**
   * @param task async () => ({changed: boolean, done?: boolean}); `done` stops polling for good
   * @param min  first and fastest delay (ms), used again whenever the task reports a change
   * @param max  slowest delay (ms) while nothing changes
   * @param maxOnError slowest delay (ms) after failures
   */
  constructor(task, {min = 1500, max = 20000, factor = 1.6, maxOnError = 60000} = {}) {
    this.task = task;
    this.min = min;
    this.max = max;
    this.factor = factor;
    this.maxOnError = maxOnError;
    this.delay = min;
    this.timer = null;
    this.running = false;
    this.stopped = true;
    this.listeners = new Set();
    this.state = {kind: 'idle'};
    this.onVisibility = () => {
      if (!document.hidden && !this.stopped && !this.running) this.now();
    };
  }

  start() {
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.now();
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Runs the task at once (e.g. after the user acted) and polls fast again. */
  now() {
    clearTimeout(this.timer);
    this.delay = this.min;
    if (this.running) {
      this.again = true;
      return;
    }
    this.tick();
  }

  /** Subscribes to {kind: 'ok'|'error'|'done', at, nextIn, error}; returns an unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  async tick() {
    if (this.stopped) return;
    this.running = true;
    this.again = false;
    let result;
    try {
      result = await this.task();
      if (result && result.changed) this.delay = this.min;
      else this.delay = Math.min(this.max, Math.max(this.min, this.delay * this.factor));
      this.publish(result && result.done ? {kind: 'done', at: new Date()} : {kind: 'ok', at: new Date(), nextIn: this.delay});
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.delay = Math.min(this.maxOnError, Math.max(this.min * 2, this.delay * 2));
      this.publish({kind: 'error', at: new Date(), nextIn: this.delay, error});
    } finally {
      this.running = false;
    }
    if (result && result.done) {
      this.stop(); // finished for good: a tab becoming visible again must not restart it
      return;
    }
    if (this.stopped) return;
    if (this.again) {
      this.tick();
      return;
    }
    // A hidden tab does not poll; the visibilitychange listener resumes it.
    if (!document.hidden) this.timer = setTimeout(() => this.tick(), this.delay);
  }

  publish(state) {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** A small "Live · updated 12:01:03" / "Retrying in 8 s" indicator bound to a poller. */
export function liveIndicator(poller) {
  const text = h('span', {class: 'live-text'}, 'Connecting…');
  // not a live region: it changes on every poll, and failures are announced by the pages' alerts
  const el = h('span', {class: 'live', 'data-testid': 'live-indicator'},
    h('span', {class: 'live-dot', 'aria-hidden': 'true'}), text);
  poller.subscribe((state) => {
    el.dataset.state = state.kind;
    const at = state.at ? state.at.toLocaleTimeString() : '';
    if (state.kind === 'ok') text.textContent = `Live · updated ${at}`;
    else if (state.kind === 'done') text.textContent = `Final · updated ${at}`;
    else if (state.kind === 'error') {
      text.textContent = `${state.error.message} · retrying in ${Math.round(state.nextIn / 1000)} s`;
    }
  });
  return el;
}
