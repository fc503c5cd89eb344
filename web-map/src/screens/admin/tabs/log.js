// Tab "log": the append-only admin log (GET /api/v1/audit?kind=staff), newest first, as a table:
// when, by whom, which account, and what changed (before → after, as logged). Loaded afresh each
// time the tab opens (a change made on the staff tab is there); earlier pages on request.
import { api } from '../../../api/client.js';
import { showProblem } from '../../../app/problem.js';
import { t, formatDateTime } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { describeChange, valueText, staffLabel, targetStaffId, mergeLog } from '../logic.js';

const PAGE = 50;

const HTML = `
    <div class="admin-toolbar">
      <div class="admin-toolbar-actions">
        <button type="button" class="admin-secondary" id="admin-log-refresh" data-i18n="admin.refresh"></button>
      </div>
    </div>
    <div id="admin-log-problem" hidden></div>
    <div class="admin-table-wrap">
      <table class="admin-table admin-log" id="admin-log-table">
        <thead><tr>
          <th scope="col" data-i18n="admin.log.col.at"></th>
          <th scope="col" data-i18n="admin.log.col.actor"></th>
          <th scope="col" data-i18n="admin.log.col.target"></th>
          <th scope="col" data-i18n="admin.log.col.change"></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="admin-empty" id="admin-log-empty" data-i18n="admin.log.empty" hidden></p>
    <div class="admin-more">
      <button type="button" class="admin-secondary" id="admin-log-more" data-i18n="admin.log.more" hidden></button>
      <p class="admin-hint" id="admin-log-end" data-i18n="admin.log.end" hidden></p>
    </div>`;

export function create(ctx) {
  const panel = el('section', { className: 'admin-section', dataset: { panel: 'log' } });
  panel.innerHTML = HTML;
  const $ = (sel) => panel.querySelector(sel);
  const log = { entries: [], next: null, loaded: false, busy: false };

  function changeCell(entry, lookups) {
    const d = describeChange(entry.change);
    const fieldName = (f) => {
      const s = t(`admin.log.field.${f}`);
      return s.startsWith('⟦') ? f : s;
    };
    if (d.kind === 'passwordReset')
      return el('td', { className: 'admin-change' }, el('strong', {}, t('admin.log.passwordReset')));
    const lines = d.fields.map((c) =>
      d.kind === 'created'
        ? el(
            'li',
            { dataset: { field: c.field } },
            `${fieldName(c.field)}${t('admin.log.colon')}${valueText(c.field, c.value, lookups)}`,
          )
        : el(
            'li',
            { dataset: { field: c.field } },
            `${fieldName(c.field)}${t('admin.log.colon')}`,
            el('span', { className: 'admin-before' }, valueText(c.field, c.before, lookups)),
            ' → ',
            el('span', { className: 'admin-after' }, valueText(c.field, c.after, lookups)),
          ),
    );
    return el(
      'td',
      { className: 'admin-change' },
      el('strong', {}, t(d.kind === 'created' ? 'admin.log.created' : 'admin.log.changed')),
      el('ul', {}, ...lines),
    );
  }

  function render() {
    const lookups = ctx.lookups();
    $('#admin-log-table tbody').replaceChildren(
      ...log.entries.map((e) => {
        const target = targetStaffId(e.target);
        return el(
          'tr',
          { dataset: { entryId: String(e.id), target: e.target, kind: describeChange(e.change).kind } },
          el('td', { className: 'admin-when' }, el('time', { dateTime: e.at }, formatDateTime(e.at))),
          el('td', {}, staffLabel(e.actorStaffId, lookups)),
          el('td', {}, target === null ? e.target : staffLabel(target, lookups)),
          changeCell(e, lookups),
        );
      }),
    );
    $('#admin-log-empty').hidden = !log.loaded || log.entries.length > 0;
    $('#admin-log-more').hidden = !log.next;
    $('#admin-log-more').disabled = log.busy;
    $('#admin-log-end').hidden = !log.loaded || Boolean(log.next) || log.entries.length === 0;
    panel.dataset.loaded = String(log.loaded);
  }

  async function load(more) {
    if (log.busy) return;
    log.busy = true;
    showProblem($('#admin-log-problem'), null);
    render();
    try {
      const cursor = more && log.next ? `&cursor=${encodeURIComponent(log.next)}` : '';
      const page = await api(`/api/v1/audit?kind=staff&limit=${PAGE}${cursor}`);
      log.entries = mergeLog(more ? log.entries : [], page.entries);
      log.next = page.nextCursor ?? null;
      log.loaded = true;
    } catch (err) {
      showProblem($('#admin-log-problem'), err);
    } finally {
      log.busy = false;
    }
    render();
  }

  $('#admin-log-refresh').addEventListener('click', () => load(false));
  $('#admin-log-more').addEventListener('click', () => load(true));
  // names for the ids: the staff list (an account made since shows its name after a refresh)
  ctx.onStaffChange(() => log.loaded && render());

  return {
    panel,
    show() {
      ctx.loadStaff().catch(() => {}); // names; ids stay ids without them
      load(false);
    },
    render,
  };
}
