// Tab "log": the append-only admin log (GET /api/v1/audit?kind=…), newest first, as a table:
// when, by whom, on what, and what changed — of accounts (staff: before → after, as logged), of
// reference data (reference: the new version, rows added, removed and changed) or of rosters and
// leave (roster: shifts added or deleted, leave recorded or cancelled), one kind at a time. Loaded
// afresh each time the tab opens (a change made on another tab is there); earlier pages on request.
import { api } from '../../../api/client.js';
import { showProblem } from '../../../app/problem.js';
import { t, formatDateTime } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { describeChange, valueText, staffLabel, targetStaffId, mergeLog, LOG_KINDS, logKindOf } from '../logic.js';
import { describeRoster, localText, rosterWord } from '../rosterLogic.js';
import { describeReference, rowSummary, cellText } from '../referenceLogic.js';

const PAGE = 50;

const HTML = `
    <div class="admin-toolbar gg-form">
      <div class="admin-filter">
        <label for="admin-log-kind" data-i18n="admin.log.kind"></label>
        <select id="admin-log-kind"></select>
      </div>
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
  const log = { kind: logKindOf(null), entries: [], next: null, loaded: false, busy: false };

  function renderKinds() {
    const select = $('#admin-log-kind');
    select.replaceChildren(...LOG_KINDS.map((k) => el('option', { value: k }, t(`admin.log.kinds.${k}`))));
    select.value = log.kind;
  }

  const colon = () => t('admin.log.colon');
  const time = (iso) => el('time', { dateTime: iso }, localText(iso));

  /** A roster entry: what was done, to whose roster, and the times. */
  function rosterCell(entry, lookups) {
    const d = describeRoster(entry);
    const lines = [];
    for (const s of d.shifts)
      lines.push(el('li', { dataset: { shiftId: String(s.id) } }, time(s.start), ' – ', time(s.end)));
    if (d.leave) {
      const l = d.leave;
      lines.push(
        el(
          'li',
          { dataset: { leaveId: String(l.id) } },
          `${rosterWord('kind', l.kind)}${colon()}`,
          time(l.start),
          ' – ',
          time(l.end),
        ),
      );
      if (l.substituteId)
        lines.push(el('li', {}, `${t('admin.roster.substitute')}${colon()}${staffLabel(l.substituteId, lookups)}`));
    }
    if (d.note) lines.push(el('li', {}, `${t('admin.roster.note')}${colon()}${d.note}`));
    return el(
      'td',
      { className: 'admin-change' },
      el('strong', {}, t(`admin.log.roster.${d.action}`, { count: d.shifts.length })),
      el('ul', {}, ...lines),
    );
  }

  /** A reference entry: the new version, and the rows it added, removed and changed. */
  function referenceCell(entry) {
    const d = describeReference(entry);
    const lines = [];
    for (const r of d.added)
      lines.push(el('li', { className: 'admin-after', dataset: { change: 'added' } }, `+ ${rowSummary(r)}`));
    for (const r of d.removed)
      lines.push(el('li', { className: 'admin-before', dataset: { change: 'removed' } }, `− ${rowSummary(r)}`));
    for (const c of d.changed)
      for (const f of c.fields)
        lines.push(
          el(
            'li',
            { dataset: { change: 'changed', code: c.code } },
            `${c.code} ${f.field}${colon()}`,
            el('span', { className: 'admin-before' }, cellText(f.before)),
            ' → ',
            el('span', { className: 'admin-after' }, cellText(f.after)),
          ),
        );
    if (d.note) lines.push(el('li', {}, `${t('admin.ref.note')}${colon()}${d.note}`));
    return el(
      'td',
      { className: 'admin-change' },
      el(
        'strong',
        {},
        t(`admin.log.ref.${d.via === 'csv' ? 'imported' : 'version'}`, {
          version: d.version,
          from: formatDateTime(d.effectiveFrom),
        }),
      ),
      el('ul', {}, ...lines),
    );
  }

  function targetText(e, lookups) {
    const staff = targetStaffId(e.target);
    if (staff !== null) return staffLabel(staff, lookups);
    const ref = /^reference\/(.+)$/.exec(e.target ?? '');
    if (ref) {
      const s = t(`admin.ref.kinds.${ref[1]}`);
      return s.startsWith('⟦') ? ref[1] : s;
    }
    return e.target;
  }

  function kindOfRow(e) {
    if (e.kind === 'roster') return describeRoster(e).action;
    if (e.kind === 'reference') return describeReference(e).via === 'csv' ? 'imported' : 'version';
    return describeChange(e.change).kind;
  }

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
    renderKinds();
    const lookups = ctx.lookups();
    $('#admin-log-table tbody').replaceChildren(
      ...log.entries.map((e) => {
        const cell =
          e.kind === 'roster'
            ? rosterCell(e, lookups)
            : e.kind === 'reference'
              ? referenceCell(e)
              : changeCell(e, lookups);
        return el(
          'tr',
          { dataset: { entryId: String(e.id), target: e.target, kind: kindOfRow(e), logKind: e.kind } },
          el('td', { className: 'admin-when' }, el('time', { dateTime: e.at }, formatDateTime(e.at))),
          el('td', {}, staffLabel(e.actorStaffId, lookups)),
          el('td', {}, targetText(e, lookups)),
          cell,
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
      const kind = log.kind;
      const page = await api(`/api/v1/audit?kind=${kind}&limit=${PAGE}${cursor}`);
      if (kind !== log.kind) return; // the filter moved on meanwhile
      log.entries = mergeLog(more ? log.entries : [], page.entries);
      log.next = page.nextCursor ?? null;
      log.loaded = true;
    } catch (err) {
      showProblem($('#admin-log-problem'), err);
    } finally {
      log.busy = false;
    }
    render();
    panel.dataset.kind = log.kind;
  }

  $('#admin-log-refresh').addEventListener('click', () => load(false));
  $('#admin-log-kind').addEventListener('change', (e) => {
    log.kind = logKindOf(e.target.value);
    log.entries = [];
    log.next = null;
    log.loaded = false;
    log.busy = false;
    load(false);
  });
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
