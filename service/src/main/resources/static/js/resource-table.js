// A list page's table of one resource (datasets, base models): newest first, cursor pagination with "Load more",
// rows an upload adds shown at the top at once, and problems from the API above the table.

import {api} from './api.js';
import {h, replace} from './dom.js';
import {problemBox} from './forms.js';

export class ResourceTable {
  /**
   * @param path the list's API path, e.g. '/v1/datasets'
   * @param testid prefix of the table's test ids ('datasets': datasets-table, datasets-body, datasets-more)
   * @param headers the header cells (h('th', ...) elements)
   * @param row one resource -> its h('tr', ...)
   * @param empty the text when there is none
   * @param onPage called with each page's resources as they arrive (to remember them elsewhere)
   */
  constructor({path, testid, headers, row, empty, onPage = () => {}, pageSize = 50}) {
    Object.assign(this, {path, row, empty, onPage, pageSize, columns: headers.length});
    this.rows = [];
    this.nextAfter = null;
    this.body = h('tbody', {'data-testid': `${testid}-body`});
    this.message = h('div');
    this.more = h('button', {type: 'button', class: 'btn', hidden: true, 'data-testid': `${testid}-more`,
      onclick: () => this.load(true)}, 'Load more');
    this.element = h('div', null, this.message,
      h('div', {class: 'table-wrap'}, h('table', {class: 'table', 'data-testid': `${testid}-table`},
        h('thead', null, h('tr', null, headers)), this.body)),
      h('div', {class: 'more-row'}, this.more));
    this.placeholder('Loading…');
  }

  /** The first page (or, with append, the next one). */
  async load(append = false) {
    this.more.disabled = true;
    try {
      const page = await api(this.path, {query: {after: append ? this.nextAfter : undefined, limit: this.pageSize}});
      this.onPage(page.data);
      this.rows = append ? [...this.rows, ...page.data] : page.data;
      this.nextAfter = page.next_after;
      this.more.hidden = !page.has_more;
      this.message.replaceChildren();
      this.render();
    } catch (e) {
      this.problem(e);
    } finally {
      this.more.disabled = false;
    }
  }

  /** A resource just created: shown first, once. */
  prepend(item) {
    this.rows = [item, ...this.rows.filter((r) => r.id !== item.id)];
    this.render();
  }

  /** A resource just deleted. */
  remove(id) {
    this.rows = this.rows.filter((r) => r.id !== id);
    this.message.replaceChildren();
    this.render();
  }

  problem(error, options) {
    replace(this.message, problemBox(error, options));
  }

  render() {
    if (this.rows.length === 0) this.placeholder(this.empty);
    else replace(this.body, this.rows.map(this.row));
  }

  placeholder(text) {
    replace(this.body, h('tr', null, h('td', {colspan: this.columns, class: 'empty'}, text)));
  }
}
