// The API contract as the service serves it (/v3/api-docs is the api-spec openapi.yaml). The submit form
// reads its fields, defaults, descriptions and limits from here at run time, so the client-side checks
// are the API's own and cannot drift from them.

import {apiOnce} from './api.js';

/** The contract, fetched once per page load. */
export function loadContract() {
  return apiOnce('/v3/api-docs', (doc) => new Contract(doc));
}

export class Contract {
  constructor(doc) {
    this.doc = doc;
    this.schemas = (doc.components && doc.components.schemas) || {};
  }

  /** components.schemas[name] with $ref and allOf resolved. */
  schema(name) {
    const s = this.schemas[name];
    if (!s) throw new Error(`the API contract has no schema ${name}`);
    return this.resolve(s);
  }

  /** [name, resolved schema] of each property of an object schema, in contract order. */
  properties(schemaOrName) {
    const s = typeof schemaOrName === 'string' ? this.schema(schemaOrName) : this.resolve(schemaOrName);
    return Object.entries(s.properties || {}).map(([name, p]) => [name, this.resolve(p)]);
  }

  /** The enum values of a schema, e.g. enumOf('MethodType'). */
  enumOf(name) {
    return this.schema(name).enum || [];
  }

  /** Follows $ref and merges allOf, keeping the referring schema's own description, default and nullable. */
  resolve(s, depth = 0) {
    if (!s || depth > 16) return s || {};
    let out = s;
    if (s.$ref) {
      const name = s.$ref.replace('#/components/schemas/', '');
      const {$ref, ...own} = s;
      out = {...this.resolve(this.schemas[name], depth + 1), ...own};
    }
    if (out.allOf) {
      const {allOf, ...own} = out;
      out = Object.assign({}, ...allOf.map((part) => this.resolve(part, depth + 1)), own);
    }
    return out;
  }
}

/** Bounds of a numeric schema in one shape for OpenAPI 3.0 (boolean exclusive*) and 3.1 (numeric exclusive*). */
export function bounds(schema) {
  const b = {min: schema.minimum, max: schema.maximum, minExclusive: false, maxExclusive: false};
  if (typeof schema.exclusiveMinimum === 'number') {
    b.min = schema.exclusiveMinimum;
    b.minExclusive = true;
  } else if (schema.exclusiveMinimum === true) b.minExclusive = true;
  if (typeof schema.exclusiveMaximum === 'number') {
    b.max = schema.exclusiveMaximum;
    b.maxExclusive = true;
  } else if (schema.exclusiveMaximum === true) b.maxExclusive = true;
  return b;
}

/** 'integer', 'number', 'string', 'boolean', 'array' or 'object' (3.1 type arrays included). */
export function typeOf(schema) {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') || 'string';
  return schema.type || (schema.enum ? 'string' : 'object');
}

/** The allowed range in words, e.g. "1 to 256", "greater than 0", "from 0 up to (not including) 1". */
export function rangeText(schema) {
  const {min, max, minExclusive, maxExclusive} = bounds(schema);
  const hasMin = min !== undefined && min !== null;
  const hasMax = max !== undefined && max !== null;
  if (hasMin && hasMax) {
    if (!minExclusive && !maxExclusive) return `${min} to ${max}`;
    return `${minExclusive ? 'above' : 'from'} ${min}, ${maxExclusive ? 'below' : 'up to'} ${max}`;
  }
  if (hasMin) return minExclusive ? `greater than ${min}` : `at least ${min}`;
  if (hasMax) return maxExclusive ? `less than ${max}` : `at most ${max}`;
  return '';
}

/**
 * Parses and checks a form value against its schema.
 * Returns {value} (undefined for an empty optional field) or {error} with a message in the API's terms.
 */
export function check(schema, raw, {required = false} = {}) {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (text === '' || text === undefined || text === null) {
    return required ? {error: 'is required'} : {value: undefined};
  }
  const type = typeOf(schema);
  if (schema.enum && !schema.enum.includes(text)) return {error: `must be one of ${schema.enum.join(', ')}`};
  if (type === 'integer' || type === 'number') return checkNumber(schema, text, type);
  if (type === 'array') return checkArray(schema, text);
  if (type === 'string') return checkString(schema, text);
  return {value: text};
}

function checkNumber(schema, text, type) {
  if (type === 'integer' && !/^[+-]?\d+$/.test(text)) return {error: 'must be a whole number'};
  const value = Number(text);
  if (!Number.isFinite(value) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return {error: 'must be a number'};
  if (type === 'integer' && !Number.isSafeInteger(value)) return {error: 'is too large'};
  const {min, max, minExclusive, maxExclusive} = bounds(schema);
  const below = min !== undefined && min !== null && (minExclusive ? value <= min : value < min);
  const above = max !== undefined && max !== null && (maxExclusive ? value >= max : value > max);
  if (below || above) return {error: `must be ${rangeText(schema)}`};
  return {value};
}

function checkString(schema, text) {
  if (schema.minLength !== undefined && text.length < schema.minLength) {
    return {error: `must be at least ${schema.minLength} characters`};
  }
  if (schema.maxLength !== undefined && text.length > schema.maxLength) {
    return {error: `must be at most ${schema.maxLength} characters`};
  }
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(text)) {
    return {error: `must match ${schema.pattern}`};
  }
  return {value: text};
}

/** A comma-separated list for an array of strings. */
function checkArray(schema, text) {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (schema.minItems !== undefined && items.length < schema.minItems) return {error: `needs at least ${schema.minItems} item(s)`};
  if (schema.maxItems !== undefined && items.length > schema.maxItems) return {error: `takes at most ${schema.maxItems} items`};
  const itemSchema = schema.items || {};
  for (const item of items) {
    const r = checkString(itemSchema, item);
    if (r.error) return {error: `"${item}" ${r.error}`};
  }
  return {value: items};
}
