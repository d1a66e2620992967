// Small DOM helpers. Every value from the API goes in as text (never innerHTML), so no API
// string can inject markup.

/**
 * Creates an element: h('a', {href: '#/jobs', class: 'x', onclick: fn, 'data-testid': 't'}, 'text', child, [more]).
 * Attributes whose value is null, undefined or false are left out; functions named on* become listeners;
 * `value`, `checked`, `disabled`, `hidden` and `selected` are set as properties. `style` goes through the CSSOM:
 * the Content-Security-Policy (style-src 'self') refuses style attributes, not styles set from a script.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (PROPERTIES.has(key)) {
        el[key] = value;
      } else if (key === 'style') {
        el.style.cssText = String(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'indeterminate']);

/** Appends strings (as text), nodes and nested arrays; skips null, undefined and false. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of parent. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** An <option> list for a <select>, with the given value selected. */
export function options(items, selected) {
  return items.map(({value, label}) => h('option', {value, selected: String(value) === String(selected)}, label));
}

let idCounter = 0;

/** A document-unique id for label/for and aria-describedby pairs. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
