// Form pieces shared by the pages: labelled fields with hints and error slots, the problem+json box,
// and the mapping of a problem's `errors[].param` onto the field it names.

import {h, uid} from './dom.js';

/**
 * A labelled field. `control` is an input/select/textarea (it gets an id, aria-describedby and, when
 * `param` is given, data-param so API errors can find it).
 */
export function field(label, control, {hint, param, wide = false, testid} = {}) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', `${hintId} ${errorId}`);
  if (param) control.dataset.param = param;
  if (testid && !control.dataset.testid) control.dataset.testid = testid;
  return h('div', {class: wide ? 'field field-wide' : 'field'},
    h('label', {for: id}, label),
    control,
    h('div', {class: 'field-hint', id: hintId}, hint || ''),
    h('div', {class: 'field-error', id: errorId, 'data-testid': testid ? `${testid}-error` : 'field-error', hidden: true}));
}

/** Shows (or with null clears) an error under a field's control. */
export function setFieldError(control, message) {
  const slot = document.getElementById(`${control.id}-error`);
  if (!slot) return;
  slot.textContent = message || '';
  slot.hidden = !message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export function clearFieldErrors(root) {
  for (const control of root.querySelectorAll('[aria-invalid="true"]')) setFieldError(control, null);
}

/**
 * Puts each of a problem's errors that names a field of `root` (by data-param) next to that field.
 * Returns the errors that matched no field, for the problem box. "evaluation_splits.0.dataset" and
 * "evaluation_splits[0].dataset" name the same field.
 */
export function placeFieldErrors(root, errors) {
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const param = error.param ? normaliseParam(error.param) : null;
    const control = param ? findByParam(root, param) : null;
    if (control) {
      setFieldError(control, error.message);
      first = first || control;
    } else {
      unplaced.push(error);
    }
  }
  if (first) first.focus({preventScroll: false});
  return unplaced;
}

/** The field named by param, else the one whose param is its longest prefix ("metadata.team" -> metadata). */
function findByParam(root, param) {
  let best = null;
  let bestLength = -1;
  for (const control of root.querySelectorAll('[data-param]')) {
    const own = normaliseParam(control.dataset.param);
    if (own === param) return control;
    if (param.startsWith(`${own}.`) && own.length > bestLength) {
      best = control;
      bestLength = own.length;
    }
  }
  return best;
}

function normaliseParam(param) {
  return param.replace(/\[(\d+)\]/g, '.$1').replace(/^\$\.?/, '');
}

/**
 * The problem+json of a failed call, as the API said it: title and status, detail, and each error
 * with the parameter or file location it names.
 */
export function problemBox(error, {errors, testid = 'problem'} = {}) {
  const p = error.problem || {title: error.message || String(error)};
  const list = errors || (Array.isArray(p.errors) ? p.errors : []);
  return h('div', {class: 'problem', role: 'alert', 'data-testid': testid},
    h('div', {class: 'problem-title'},
      h('strong', null, p.title || 'Error'),
      p.status ? h('span', {class: 'problem-status'}, String(p.status)) : null),
    p.detail ? h('p', {class: 'problem-detail'}, p.detail) : null,
    list.length ? h('ul', {class: 'problem-errors'}, list.map((e) => h('li', null,
      e.param ? h('code', null, e.param) : null,
      e.location ? h('code', null, e.location) : null,
      ' ', e.message))) : null,
    p.type && p.type !== 'about:blank' ? h('div', {class: 'problem-type'}, p.type) : null);
}

/** A progress bar (a real <progress> for assistive technology) with a caption. */
export function progressBar({testid} = {}) {
  const bar = h('progress', {max: 1, value: 0, 'data-testid': testid});
  const caption = h('span', {class: 'upload-caption'});
  const el = h('div', {class: 'upload-progress', hidden: true}, bar, caption);
  return {
    el,
    show(loaded, total) {
      el.hidden = false;
      if (total) {
        bar.max = total;
        bar.value = loaded;
        caption.textContent = `${Math.floor((100 * loaded) / total)}%`;
      } else {
        bar.removeAttribute('value'); // indeterminate
        caption.textContent = '';
      }
    },
    caption(text) {
      caption.textContent = text;
    },
    hide() {
      el.hidden = true;
    },
  };
}

/**
 * A button that asks once more before doing something destructive: the first click turns it into
 * "Confirm …" for a few seconds, the second does it. No modal dialog to get lost behind.
 */
export function confirmButton(label, confirmLabel, action, {testid, className = 'btn btn-danger'} = {}) {
  let armed = false;
  let timer = null;
  const button = h('button', {type: 'button', class: className, 'data-testid': testid}, label);
  const disarm = () => {
    armed = false;
    button.textContent = label;
    button.classList.remove('armed');
  };
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      button.textContent = confirmLabel;
      button.classList.add('armed');
      timer = setTimeout(disarm, 4000);
      return;
    }
    clearTimeout(timer);
    disarm();
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
