// Jobs refer to models and datasets by id; pages show their names. Looked up through the API and
// remembered for the page load (names do not change; a deleted dataset keeps its id on screen).

import {api, apiAll} from './api.js';

let modelsLoad = null;
let modelsAt = 0;
const datasetLoads = new Map();

/** id -> model, refreshed when older than a minute (uploads add models). */
export async function modelsById() {
  if (!modelsLoad || Date.now() - modelsAt > 60_000) {
    modelsAt = Date.now();
    modelsLoad = apiAll('/v1/models').then((list) => new Map(list.map((m) => [m.id, m]))).catch((e) => {
      modelsLoad = null;
      throw e;
    });
  }
  return modelsLoad;
}

export function forgetModels() {
  modelsLoad = null;
}

/** The dataset with this id, or null when it is gone (404). */
export function datasetById(id) {
  if (!datasetLoads.has(id)) {
    datasetLoads.set(id, api(`/v1/datasets/${encodeURIComponent(id)}`).catch((e) => {
      if (e.status === 404) return null;
      datasetLoads.delete(id);
      throw e;
    }));
  }
  return datasetLoads.get(id);
}

/** Remembers datasets already fetched in a list, so detail pages need not ask again. */
export function rememberDatasets(datasets) {
  for (const d of datasets) datasetLoads.set(d.id, Promise.resolve(d));
}

export function forgetDataset(id) {
  datasetLoads.delete(id);
}
