// The engine's method registry as GET /v1/methods serves it: for each method.type, whether the form's
// single-task jobs take it, which settings blocks of Method apply (lora, largo, gorp), their defaults and the
// default learning rate. The job form shows a method's fields from here, so a new method needs no change here.

import {apiOnce} from './api.js';
import {h} from './dom.js';

/** The methods, fetched once per page load, as a Map type -> FineTuningMethod in the contract's order. */
export function loadMethods() {
  return apiOnce('/v1/methods', (list) => new Map(list.data.map((m) => [m.type, m])));
}

/** A method's name for people, from the registry; its type until the registry has answered. */
export function methodName(type) {
  const name = h('span', {'data-method': type}, type);
  loadMethods().then((methods) => {
    if (methods.has(type)) name.textContent = methods.get(type).label;
  }).catch(() => {});
  return name;
}
