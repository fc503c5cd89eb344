// Tab "reference": the kinds of reference data (GET /api/v1/reference), the version in force of
// one and its history; categories added, changed and removed one at a time (POST, PATCH, DELETE
// /api/v1/categories), calendar years set and removed (PUT, DELETE
// /api/v1/reference/calendar/years/{year}); every kind exported as CSV (a download) and imported
// as a whole new version from a CSV file, in force from a time (PUT /api/v1/reference/{kind}/csv).
// A problem the server answers (a bad cell: the file's line and column, or the field) is shown
// where it belongs. Pure helpers: ../referenceLogic.js. Server side: docs/reference-data.md.
import { api, authHeaders, problemOf, ProblemError } from '../../../api/client.js';
import { showProblem } from '../../../app/problem.js';
import { t, formatDateTime, applyI18n } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { PLATFORMS } from '../../../shared/taxonomy.js';
import { staffLabel } from '../logic.js';
import { zoned } from '../rosterLogic.js';
import {
  CATEGORY_FIELDS,
  AUTHORITIES,
  URGENCIES,
  cellText,
  sortedRows,
  emptyCategory,
  categoryForm,
  validateCategory,
  categoryCreateBody,
  categoryPatchBody,
  categoryProblemField,
  parseDates,
  badDates,
  yearBody,
  yearProblemField,
  importQuery,
  exportFileName,
} from '../referenceLogic.js';
import { ZONE, field, options, renderFormState } from './forms.js';

const HTML = `
    <div class="admin-toolbar gg-form">
      <div class="admin-filter">
        <label for="admin-ref-kind" data-i18n="admin.ref.kind"></label>
        <select id="admin-ref-kind"></select>
      </div>
      <div class="admin-toolbar-actions">
        <button type="button" class="admin-secondary" id="admin-ref-refresh" data-i18n="admin.refresh"></button>
        <button type="button" class="admin-secondary" id="admin-ref-export" data-i18n="admin.ref.export"></button>
      </div>
    </div>
    <div id="admin-ref-problem" hidden></div>
    <p class="admin-count" id="admin-ref-summary" aria-live="polite"></p>

    <section id="admin-ref-categories" hidden>
      <div class="admin-toolbar-actions">
        <button type="button" class="gg-button" id="admin-cat-new" data-i18n="admin.ref.newCategory"></button>
      </div>
    </section>
    <section id="admin-ref-calendar" hidden>
      <div class="admin-table-wrap">
        <table class="admin-table" id="admin-year-table">
          <thead><tr>
            <th scope="col" data-i18n="admin.ref.year"></th>
            <th scope="col" data-i18n="admin.ref.holidays"></th>
            <th scope="col" data-i18n="admin.ref.workdays"></th>
            <th scope="col" data-i18n="admin.col.actions"></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </div>
      <div class="admin-toolbar-actions">
        <button type="button" class="gg-button" id="admin-year-new" data-i18n="admin.ref.newYear"></button>
      </div>
    </section>

    <h2 class="admin-subtitle" data-i18n="admin.ref.inForce"></h2>
    <div class="admin-table-wrap">
      <table class="admin-table" id="admin-ref-rows"><thead><tr></tr></thead><tbody></tbody></table>
    </div>

    <h2 class="admin-subtitle" data-i18n="admin.ref.importTitle"></h2>
    <p class="gg-hint admin-hint" data-i18n="admin.ref.importHint"></p>
    <form class="gg-form admin-form admin-inline-form" id="admin-import-form" novalidate>
      <div class="admin-form-grid">
      ${field('import', 'file', 'admin.ref.file', '<input id="admin-import-file" name="file" type="file" accept=".csv,text/csv">')}
      ${field('import', 'effectiveFrom', 'admin.ref.effectiveFrom', '<input id="admin-import-effectiveFrom" name="effectiveFrom" type="datetime-local">')}
      ${field('import', 'note', 'admin.ref.note', '<input id="admin-import-note" name="note" autocomplete="off">')}
      </div>
      <div id="admin-import-problem" class="admin-form-problem" hidden></div>
      <div class="admin-dialog-buttons">
        <button type="submit" class="gg-button" id="admin-import-save" data-i18n="admin.ref.import"></button>
      </div>
    </form>

    <h2 class="admin-subtitle" data-i18n="admin.ref.history"></h2>
    <div class="admin-table-wrap">
      <table class="admin-table" id="admin-ref-history">
        <thead><tr>
          <th scope="col" data-i18n="admin.ref.version"></th>
          <th scope="col" data-i18n="admin.ref.effectiveFrom"></th>
          <th scope="col" data-i18n="admin.ref.createdAt"></th>
          <th scope="col" data-i18n="admin.ref.createdBy"></th>
          <th scope="col" data-i18n="admin.ref.rowCount"></th>
          <th scope="col" data-i18n="admin.ref.note"></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>

    <dialog class="admin-dialog admin-form-dialog" id="admin-cat-dialog" aria-labelledby="admin-cat-title">
      <form class="gg-form admin-form" id="admin-cat-form" novalidate>
        <h2 id="admin-cat-title"></h2>
        <div class="admin-form-grid">
        ${field('cat', 'code', 'admin.ref.col.code', '<input id="admin-cat-code" name="code" autocomplete="off" spellcheck="false">')}
        ${field('cat', 'platform', 'admin.ref.col.platform', '<select id="admin-cat-platform" name="platform"></select>')}
        ${field('cat', 'nameZh', 'admin.ref.col.nameZh', '<input id="admin-cat-nameZh" name="nameZh" autocomplete="off">')}
        ${field('cat', 'nameEn', 'admin.ref.col.nameEn', '<input id="admin-cat-nameEn" name="nameEn" autocomplete="off">')}
        ${field('cat', 'deadlineHours', 'admin.ref.col.deadlineHours', '<input id="admin-cat-deadlineHours" name="deadlineHours" inputmode="numeric">')}
        ${field('cat', 'weight', 'admin.ref.col.weight', '<input id="admin-cat-weight" name="weight" inputmode="decimal">')}
        ${field('cat', 'authority', 'admin.ref.col.authority', '<select id="admin-cat-authority" name="authority"></select>')}
        ${field('cat', 'urgency', 'admin.ref.col.urgency', '<select id="admin-cat-urgency" name="urgency"></select>')}
        ${field('cat', 'public', 'admin.ref.col.public', '<input id="admin-cat-public" name="public" type="checkbox">')}
        ${field('cat', 'effectiveFrom', 'admin.ref.effectiveFrom', '<input id="admin-cat-effectiveFrom" name="effectiveFrom" type="datetime-local">')}
        ${field('cat', 'note', 'admin.ref.note', '<input id="admin-cat-note" name="note" autocomplete="off">')}
        </div>
        <p class="gg-hint admin-hint" data-i18n="admin.ref.effectiveHint"></p>
        <div id="admin-cat-form-problem" class="admin-form-problem" hidden></div>
        <div class="admin-dialog-buttons">
          <button type="button" class="admin-secondary" id="admin-cat-cancel" data-i18n="admin.form.cancel"></button>
          <button type="submit" class="gg-button" id="admin-cat-save" data-i18n="admin.form.save"></button>
        </div>
      </form>
    </dialog>

    <dialog class="admin-dialog admin-form-dialog" id="admin-year-dialog" aria-labelledby="admin-year-title">
      <form class="gg-form admin-form" id="admin-year-form" novalidate>
        <h2 id="admin-year-title"></h2>
        <div class="admin-form-grid">
        ${field('year', 'year', 'admin.ref.year', '<input id="admin-year-year" name="year" inputmode="numeric">')}
        ${field('year', 'holidays', 'admin.ref.holidays', '<textarea id="admin-year-holidays" name="holidays" rows="6"></textarea>')}
        ${field('year', 'workdays', 'admin.ref.workdays', '<textarea id="admin-year-workdays" name="workdays" rows="3"></textarea>')}
        ${field('year', 'effectiveFrom', 'admin.ref.effectiveFrom', '<input id="admin-year-effectiveFrom" name="effectiveFrom" type="datetime-local">')}
        </div>
        <p class="gg-hint admin-hint" data-i18n="admin.ref.datesHint"></p>
        <div id="admin-year-form-problem" class="admin-form-problem" hidden></div>
        <div class="admin-dialog-buttons">
          <button type="button" class="admin-secondary" id="admin-year-cancel" data-i18n="admin.form.cancel"></button>
          <button type="submit" class="gg-button" id="admin-year-save" data-i18n="admin.form.save"></button>
        </div>
      </form>
    </dialog>`;

/** A column's name in words ('admin.ref.col.<name>'), else as the server names it. */
function columnName(name) {
  const s = t(`admin.ref.col.${name}`);
  return s.startsWith('⟦') ? name : s;
}

/** A category's platform, authority, urgency or public flag in words; other cells as they are. */
function categoryCell(column, value) {
  const key = {
    platform: `app.platform.${value}`,
    authority: `admin.ref.authority.${value}`,
    urgency: `admin.ref.urgency.${value}`,
    public: `admin.ref.public.${value}`,
  }[column];
  const s = key ? t(key) : '⟦';
  return s.startsWith('⟦') ? cellText(value) : s;
}

/** A kind in words ('admin.ref.kinds.<kind>'), else its name. */
function kindName(kind) {
  const s = t(`admin.ref.kinds.${kind}`);
  return s.startsWith('⟦') ? kind : s;
}

export function create(ctx) {
  const panel = el('section', { className: 'admin-section', dataset: { panel: 'reference' } });
  panel.innerHTML = HTML;
  const $ = (sel) => panel.querySelector(sel);
  const state = { kinds: [], kind: 'categories', version: null, history: [], years: null, zone: ZONE, loaded: false };
  const zoneOf = (local) => zoned(local, state.zone);
  const forms = {
    cat: { fields: [...CATEGORY_FIELDS, 'effectiveFrom', 'note'], errors: [], problem: null, busy: false, row: null },
    year: {
      fields: ['year', 'holidays', 'workdays', 'effectiveFrom'],
      errors: [],
      problem: null,
      busy: false,
      year: null,
    },
    import: { fields: ['file', 'effectiveFrom', 'note'], errors: [], problem: null, busy: false },
  };

  // ---- loading

  let loads = 0; // only the latest load's answer is shown (the kind changed meanwhile, a write)
  async function load() {
    const mine = ++loads;
    showProblem($('#admin-ref-problem'), null);
    try {
      const kinds = await api('/api/v1/reference');
      if (mine !== loads) return;
      state.kinds = kinds.kinds;
      if (!state.kinds.some((k) => k.kind === state.kind)) state.kind = state.kinds[0]?.kind;
      const [version, history, years] = await Promise.all([
        api(`/api/v1/reference/${state.kind}`),
        api(`/api/v1/reference/${state.kind}/history`),
        api('/api/v1/reference/calendar/years').catch(() => null),
      ]);
      if (mine !== loads) return;
      state.version = version;
      state.history = history.versions;
      state.years = years;
      if (years?.zone) state.zone = years.zone;
      state.loaded = true;
    } catch (err) {
      if (mine !== loads) return;
      showProblem($('#admin-ref-problem'), err);
    }
    render();
  }

  // ---- the view

  function renderKinds() {
    options(
      $('#admin-ref-kind'),
      state.kinds.map((k) => [k.kind, kindName(k.kind)]),
      state.kind,
    );
  }

  function actionButton(action, labelKey, on, data = {}, danger = false) {
    return el(
      'button',
      {
        type: 'button',
        className: `admin-action${danger ? ' admin-action-danger' : ''}`,
        dataset: { action, ...data },
        on: { click: on },
      },
      t(labelKey),
    );
  }

  function renderRows() {
    const kind = state.kinds.find((k) => k.kind === state.kind);
    const columns = kind?.columns ?? [];
    const categories = state.kind === 'categories';
    $('#admin-ref-rows thead tr').replaceChildren(
      ...columns.map((c) => el('th', { scope: 'col' }, columnName(c.name))),
      categories ? el('th', { scope: 'col' }, t('admin.col.actions')) : null,
    );
    const rows = sortedRows(state.kind, state.version?.rows);
    $('#admin-ref-rows tbody').replaceChildren(
      ...rows.map((r) =>
        el(
          'tr',
          { dataset: categories ? { code: r.code } : {} },
          ...columns.map((c) => el('td', {}, categories ? categoryCell(c.name, r[c.name]) : cellText(r[c.name]))),
          categories
            ? el(
                'td',
                { className: 'admin-actions' },
                actionButton('edit-category', 'admin.edit', () => openCategory(r), { code: r.code }),
                actionButton('delete-category', 'admin.ref.remove', () => removeCategory(r), { code: r.code }, true),
              )
            : null,
        ),
      ),
    );
  }

  function renderYears() {
    const years = state.years?.years ?? [];
    $('#admin-year-table tbody').replaceChildren(
      ...years.map((y) =>
        el(
          'tr',
          { dataset: { year: String(y.year) } },
          el('th', { scope: 'row' }, String(y.year)),
          el('td', { className: 'admin-dates' }, y.holidays.join(', ') || '—'),
          el('td', { className: 'admin-dates' }, y.workdays.join(', ') || '—'),
          el(
            'td',
            { className: 'admin-actions' },
            actionButton('edit-year', 'admin.edit', () => openYear(y), { year: String(y.year) }),
            actionButton('delete-year', 'admin.ref.remove', () => removeYear(y), { year: String(y.year) }, true),
          ),
        ),
      ),
    );
  }

  function renderHistory() {
    const lookups = ctx.lookups();
    $('#admin-ref-history tbody').replaceChildren(
      ...[...state.history]
        .reverse()
        .map((v) =>
          el(
            'tr',
            { dataset: { version: String(v.version), inForce: String(v.inForce) } },
            el(
              'td',
              {},
              String(v.version),
              v.inForce
                ? el('span', { className: 'admin-badge admin-badge-active' }, t('admin.ref.inForceBadge'))
                : null,
            ),
            el('td', {}, el('time', { dateTime: v.effectiveFrom }, formatDateTime(v.effectiveFrom))),
            el('td', {}, el('time', { dateTime: v.createdAt }, formatDateTime(v.createdAt))),
            el('td', {}, v.createdBy === null ? t('admin.ref.seed') : staffLabel(v.createdBy, lookups)),
            el('td', {}, String(v.rowCount)),
            el('td', {}, v.note || '—'),
          ),
        ),
    );
  }

  function render() {
    applyI18n(panel);
    renderKinds();
    const v = state.version;
    $('#admin-ref-summary').textContent = !state.loaded
      ? t('admin.loading')
      : t('admin.ref.summary', {
          version: v?.version,
          from: formatDateTime(v?.effectiveFrom),
          count: state.history.length,
        });
    $('#admin-ref-categories').hidden = state.kind !== 'categories';
    $('#admin-ref-calendar').hidden = state.kind !== 'calendar';
    renderRows();
    if (state.kind === 'calendar') renderYears();
    renderHistory();
    for (const name of Object.keys(forms)) renderForm(name);
    panel.dataset.loaded = String(state.loaded);
    panel.dataset.kind = state.kind ?? '';
  }

  $('#admin-ref-kind').addEventListener('change', (e) => {
    state.kind = e.target.value;
    forms.import.errors = [];
    forms.import.problem = null;
    load();
  });
  $('#admin-ref-refresh').addEventListener('click', () => load());

  // ---- export and import

  $('#admin-ref-export').addEventListener('click', async () => {
    showProblem($('#admin-ref-problem'), null);
    try {
      const response = await api(`/api/v1/reference/${state.kind}/csv`, { raw: true, headers: { Accept: 'text/csv' } });
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = el('a', {
        href: url,
        download: exportFileName(response.headers.get('Content-Disposition'), state.kind),
      });
      panel.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      showProblem($('#admin-ref-problem'), err);
    }
  });

  $('#admin-import-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = forms.import;
    if (f.busy) return;
    const file = $('#admin-import-file').files?.[0];
    f.errors = file ? [] : [{ field: 'file', key: 'admin.ref.invalid.file' }];
    f.problem = f.errors.length ? { titleKey: 'admin.invalid.title' } : null;
    if (f.errors.length) return renderForm('import');
    f.busy = true;
    renderForm('import');
    try {
      const q = importQuery(
        { effectiveFrom: $('#admin-import-effectiveFrom').value, note: $('#admin-import-note').value },
        zoneOf,
      );
      let response;
      try {
        response = await fetch(`/api/v1/reference/${state.kind}/csv${q}`, {
          method: 'PUT',
          headers: authHeaders({ 'Content-Type': 'text/csv', Accept: 'application/json, application/problem+json' }),
          body: file,
        });
      } catch (err) {
        throw new ProblemError({ status: 0, type: 'network', title: 'network', detail: String(err.message || err) });
      }
      if (!response.ok) throw new ProblemError(await problemOf(response));
      const answer = await response.json();
      f.busy = false;
      $('#admin-import-file').value = '';
      ctx.notice('admin.ref.notice.imported', { version: answer.version, count: answer.rows?.length ?? 0 });
      await load();
    } catch (err) {
      f.busy = false;
      const p = err?.problem;
      // a bad cell of the file: its line and column are in the detail; a bad time at its field
      const at = p?.field === 'effectiveFrom' || p?.field === 'note' ? p.field : null;
      f.errors = at ? [{ field: at, text: p.detail }] : [];
      f.problem = { error: err };
      renderForm('import');
    }
  });

  // ---- forms: marks under fields, the problem above the buttons

  function renderForm(name) {
    renderFormState($, name, forms[name], `admin-${name}-${name === 'import' ? 'problem' : 'form-problem'}`);
  }

  function failed(name, err, fieldOf) {
    const f = forms[name];
    f.busy = false;
    const p = err?.problem;
    const at = fieldOf(p);
    if (at && p.detail) {
      f.errors = [{ field: at, text: p.detail }];
      f.problem = { title: p.title };
    } else {
      f.errors = [];
      f.problem = { error: err };
    }
    renderForm(name);
    if (at) $(`#admin-${name}-${at}`).focus();
  }

  // ---- categories

  function fillCategory(values) {
    $('#admin-cat-code').value = values.code;
    options(
      $('#admin-cat-platform'),
      [
        ['', t('admin.form.choose')],
        ...PLATFORMS.map((p) => [p, t(`app.platform.${p}`).startsWith('⟦') ? p : t(`app.platform.${p}`)]),
      ],
      values.platform,
    );
    $('#admin-cat-nameZh').value = values.nameZh;
    $('#admin-cat-nameEn').value = values.nameEn;
    $('#admin-cat-deadlineHours').value = values.deadlineHours;
    $('#admin-cat-weight').value = values.weight;
    options(
      $('#admin-cat-authority'),
      AUTHORITIES.map((a) => [a, t(`admin.ref.authority.${a}`)]),
      values.authority,
    );
    options(
      $('#admin-cat-urgency'),
      URGENCIES.map((u) => [u, t(`admin.ref.urgency.${u}`)]),
      values.urgency,
    );
    $('#admin-cat-public').checked = Boolean(values.public);
    $('#admin-cat-effectiveFrom').value = values.effectiveFrom ?? '';
    $('#admin-cat-note').value = values.note ?? '';
  }

  function readCategory() {
    const out = {};
    for (const k of forms.cat.fields) out[k] = $(`#admin-cat-${k}`).value;
    out.public = $('#admin-cat-public').checked;
    return out;
  }

  function openCategory(row) {
    ctx.notice(null);
    Object.assign(forms.cat, { errors: [], problem: null, busy: false, row: row ?? null });
    fillCategory(row ? categoryForm(row) : emptyCategory());
    $('#admin-cat-title').textContent = row
      ? t('admin.ref.editCategory', { code: row.code })
      : t('admin.ref.newCategory');
    renderForm('cat');
    $('#admin-cat-dialog').showModal();
    (row ? $('#admin-cat-nameZh') : $('#admin-cat-code')).focus();
  }

  $('#admin-cat-new').addEventListener('click', () => openCategory(null));
  $('#admin-cat-cancel').addEventListener('click', () => $('#admin-cat-dialog').close());
  $('#admin-cat-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = forms.cat;
    if (f.busy) return;
    const values = readCategory();
    f.errors = validateCategory(values, { creating: !f.row });
    f.problem = f.errors.length ? { titleKey: 'admin.invalid.title' } : null;
    if (f.errors.length) {
      renderForm('cat');
      $(`#admin-cat-${f.errors[0].field}`).focus();
      return;
    }
    const body = f.row ? categoryPatchBody(f.row, values, zoneOf) : categoryCreateBody(values, zoneOf);
    if (f.row && Object.keys(body).length === 0) {
      $('#admin-cat-dialog').close();
      ctx.notice('admin.form.nothingChanged');
      return;
    }
    f.busy = true;
    renderForm('cat');
    try {
      const answer = f.row
        ? await api(`/api/v1/categories/${encodeURIComponent(f.row.code)}`, { method: 'PATCH', body })
        : await api('/api/v1/categories', { method: 'POST', body });
      f.busy = false;
      $('#admin-cat-dialog').close();
      ctx.notice(f.row ? 'admin.ref.notice.categorySaved' : 'admin.ref.notice.categoryAdded', {
        code: answer.category?.code ?? body.code ?? f.row?.code,
        version: answer.version,
      });
      await load();
    } catch (err) {
      failed('cat', err, categoryProblemField);
    }
  });

  async function removeCategory(row) {
    const ok = await ctx.dialogs.confirm({
      title: t('admin.ref.confirmRemoveTitle'),
      text: t('admin.ref.confirmRemove', { code: row.code, name: row.nameZh ?? '' }),
      ok: t('admin.ref.remove'),
    });
    if (!ok) return;
    showProblem($('#admin-ref-problem'), null);
    try {
      const answer = await api(`/api/v1/categories/${encodeURIComponent(row.code)}`, { method: 'DELETE' });
      ctx.notice('admin.ref.notice.categoryRemoved', { code: row.code, version: answer.version });
      await load();
    } catch (err) {
      showProblem($('#admin-ref-problem'), err);
    }
  }

  // ---- calendar years

  function openYear(y) {
    ctx.notice(null);
    const last = state.years?.years?.at(-1)?.year;
    Object.assign(forms.year, { errors: [], problem: null, busy: false, year: y?.year ?? null });
    $('#admin-year-year').value = String(y?.year ?? (last ? last + 1 : new Date().getFullYear()));
    $('#admin-year-year').readOnly = Boolean(y);
    $('#admin-year-holidays').value = (y?.holidays ?? []).join('\n');
    $('#admin-year-workdays').value = (y?.workdays ?? []).join('\n');
    $('#admin-year-effectiveFrom').value = '';
    $('#admin-year-title').textContent = y ? t('admin.ref.editYear', { year: y.year }) : t('admin.ref.newYear');
    renderForm('year');
    $('#admin-year-dialog').showModal();
  }

  $('#admin-year-new').addEventListener('click', () => openYear(null));
  $('#admin-year-cancel').addEventListener('click', () => $('#admin-year-dialog').close());
  $('#admin-year-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = forms.year;
    if (f.busy) return;
    const year = $('#admin-year-year').value.trim();
    const values = {
      holidays: $('#admin-year-holidays').value,
      workdays: $('#admin-year-workdays').value,
      effectiveFrom: $('#admin-year-effectiveFrom').value,
    };
    f.errors = [];
    if (!/^(19|20|21)\d{2}$/.test(year)) f.errors.push({ field: 'year', key: 'admin.ref.invalid.year' });
    else
      for (const k of ['holidays', 'workdays']) {
        const bad = badDates(parseDates(values[k]), year);
        if (bad.length)
          f.errors.push({ field: k, text: t('admin.ref.invalid.dates', { dates: bad.join(', '), year }) });
      }
    f.problem = f.errors.length ? { titleKey: 'admin.invalid.title' } : null;
    if (f.errors.length) return renderForm('year');
    f.busy = true;
    renderForm('year');
    try {
      const answer = await api(`/api/v1/reference/calendar/years/${year}`, {
        method: 'PUT',
        body: yearBody(values, zoneOf),
      });
      f.busy = false;
      $('#admin-year-dialog').close();
      ctx.notice('admin.ref.notice.yearSaved', { year, version: answer.version });
      await load();
    } catch (err) {
      failed('year', err, yearProblemField);
    }
  });

  async function removeYear(y) {
    const ok = await ctx.dialogs.confirm({
      title: t('admin.ref.confirmRemoveYearTitle'),
      text: t('admin.ref.confirmRemoveYear', { year: y.year }),
      ok: t('admin.ref.remove'),
    });
    if (!ok) return;
    showProblem($('#admin-ref-problem'), null);
    try {
      const answer = await api(`/api/v1/reference/calendar/years/${y.year}`, { method: 'DELETE' });
      ctx.notice('admin.ref.notice.yearRemoved', { year: y.year, version: answer.version });
      await load();
    } catch (err) {
      showProblem($('#admin-ref-problem'), err);
    }
  }

  // a corrected field loses its mark at once
  for (const name of ['cat', 'year'])
    for (const fieldName of forms[name].fields)
      for (const type of ['input', 'change'])
        $(`#admin-${name}-${fieldName}`).addEventListener(type, () => {
          const f = forms[name];
          if (!f.errors.some((x) => x.field === fieldName)) return;
          f.errors = f.errors.filter((x) => x.field !== fieldName);
          if (!f.errors.length && f.problem && !f.problem.error) f.problem = null;
          renderForm(name);
        });
  for (const d of ['#admin-cat-dialog', '#admin-year-dialog'])
    $(d).addEventListener('cancel', (e) => {
      if (forms[d.includes('cat') ? 'cat' : 'year'].busy) e.preventDefault();
    });

  ctx.onStaffChange(() => state.loaded && renderHistory());

  return {
    panel,
    show() {
      ctx.loadStaff().catch(() => {}); // who wrote each version; ids stay ids without them
      render();
      load();
    },
    render() {
      render();
      if ($('#admin-cat-dialog').open) {
        const values = readCategory();
        fillCategory(values);
      }
    },
    dispose() {
      for (const d of ['#admin-cat-dialog', '#admin-year-dialog']) if ($(d).open) $(d).close();
    },
  };
}
