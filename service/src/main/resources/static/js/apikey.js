// The API key lives in sessionStorage: it survives reloads of this tab and is gone when the tab closes.
// The default local mode needs no key; a deployment with security enabled answers 401 without one.

const KEY = 'largo.apiKey';

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY) || '';
  } catch {
    return ''; // storage disabled (privacy mode): behave as without a key
  }
}

export function setApiKey(value) {
  const trimmed = (value || '').trim();
  if (trimmed) sessionStorage.setItem(KEY, trimmed);
  else sessionStorage.removeItem(KEY);
}
