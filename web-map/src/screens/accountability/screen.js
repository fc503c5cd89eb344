// Accountability (问责), for AUDITOR and ADMIN: the discipline committee's findings over the event
// log (GET /api/v1/accountability, docs/accountability.md) — filters in the hash
// (#/accountability?period=2026-Q4&by=person&kind=…), a summary per group (click one to narrow the
// lists), a table per kind with each case's people and steps and a link to its full history, and
// the CSV and printable HTML exports (fetched with the token, then saved or opened). Every query
// is logged by the server. Pure helpers: ./logic.js (unit-tested).
import './messages.js';
import './accountability.css';
import { api } from '../../api/client.js';
import { showProblem } from '../../app/problem.js';
import { hashOf } from '../../app/routes.js';
import { applyI18n, formatDateTime, getLang, onLangChange, t } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import {
  BYS,
  KINDS,
  exportPath,
  filtersOf,
  findingsOf,
  fileNameOf,
  hashParamsOf,
  measureText,
  peopleText,
  queryOf,
  stepText,
  validate,
} from './logic.js';

const HTML = `
  <div class="acc">
    <h1 data-i18n="accountability.title"></h1>
    <p class="gg-hint" data-i18n="accountability.intro"></p>
    <form class="gg-form acc-filters" id="acc-form" novalidate>
      <label for="acc-period" data-i18n="accountability.period"></label>
      <input id="acc-period" name="period" data-i18n-attr="placeholder:accountability.periodHint">
      <label for="acc-from" data-i18n="accountability.from"></label>
      <input id="acc-from" name="from" type="date">
      <label for="acc-to" data-i18n="accountability.to"></label>
      <input id="acc-to" name="to" type="date">
      <label for="acc-by" data-i18n="accountability.by"></label>
      <select id="acc-by" name="by"></select>
      <fieldset class="acc-kinds"><legend data-i18n="accountability.kinds"></legend><div id="acc-kinds"></div></fieldset>
      <label for="acc-minHops" data-i18n="accountability.minHops"></label>
      <input id="acc-minHops" name="minHops" type="number" min="1" max="100">
      <label for="acc-minExtensions" data-i18n="accountability.minExtensions"></label>
      <input id="acc-minExtensions" name="minExtensions" type="number" min="1" max="100">
      <label for="acc-minReworks" data-i18n="accountability.minReworks"></label>
      <input id="acc-minReworks" name="minReworks" type="number" min="1" max="100">
      <label for="acc-noOwnerHours" data-i18n="accountability.noOwnerHours"></label>
      <input id="acc-noOwnerHours" name="noOwnerHours" type="number" min="0" max="10000" step="any">
      <p class="acc-errors" id="acc-errors" role="alert"></p>
      <div class="acc-actions">
        <button type="submit" id="acc-search" data-i18n="accountability.search"></button>
        <button type="button" id="acc-csv" data-i18n="accountability.csv"></button>
        <button type="button" id="acc-html" data-i18n="accountability.html"></button>
      </div>
    </form>
    <div id="acc-problem" hidden></div>
    <p class="gg-hint" id="acc-status"></p>
    <div id="acc-result"></div>
  </div>`;

export function mount(root, { params, navigate }) {
  root.innerHTML = HTML;
  const $ = (s) => root.querySelector(s);
  const state = { filters: filtersOf(params), answer: null, errors: [], busy: false };

  function fillForm() {
    const f = state.filters;
    $('#acc-period').value = f.period;
    $('#acc-from').value = f.from;
    $('#acc-to').value = f.to;
    $('#acc-by').replaceChildren(...BYS.map((b) => el('option', { value: b }, t(`accountability.by.${b}`))));
    $('#acc-by').value = f.by;
    $('#acc-kinds').replaceChildren(
      ...KINDS.map((k) =>
        el(
          'label',
          { class: 'acc-kind' },
          el('input', { type: 'checkbox', name: 'kind', value: k, checked: f.kinds.includes(k) }),
          ' ',
          t(`accountability.kind.${k}`),
        ),
      ),
    );
    for (const n of ['minHops', 'minExtensions', 'minReworks', 'noOwnerHours']) $(`#acc-${n}`).value = String(f[n]);
  }

  function readForm() {
    const num = (n) => ($(`#acc-${n}`).value === '' ? NaN : Number($(`#acc-${n}`).value));
    return {
      period: $('#acc-period').value.trim(),
      from: $('#acc-from').value,
      to: $('#acc-to').value,
      by: $('#acc-by').value,
      kinds: [...root.querySelectorAll('input[name=kind]:checked')].map((i) => i.value),
      minHops: num('minHops'),
      minExtensions: num('minExtensions'),
      minReworks: num('minReworks'),
      noOwnerHours: num('noOwnerHours'),
      group: '',
    };
  }

  function renderErrors() {
    $('#acc-errors').textContent = state.errors.map((e) => t(`accountability.${e.key}`, e.params ?? {})).join(' ');
    for (const input of root.querySelectorAll('.acc-filters [aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const e of state.errors) $(`#acc-${e.field}`)?.setAttribute('aria-invalid', 'true');
  }

  function groupsTable(answer) {
    const kinds = answer.kinds;
    const head = el(
      'tr',
      {},
      el('th', {}, t('accountability.unitCol')),
      ...kinds.map((k) => el('th', {}, t(`accountability.kind.${k}`))),
      el('th', {}, t('accountability.total')),
    );
    const rows = answer.groups.map((g) =>
      el(
        'tr',
        { class: g.key === state.filters.group ? 'acc-picked' : '', dataset: { key: g.key } },
        el(
          'td',
          {},
          el('a', { href: hashOf('accountability', { ...hashParamsOf(state.filters), group: g.key }) }, g.label),
        ),
        ...kinds.map((k) => el('td', { class: 'acc-n' }, String(g.counts[k] ?? 0))),
        el('td', { class: 'acc-n' }, String(g.total)),
      ),
    );
    const all = el(
      'a',
      { href: hashOf('accountability', hashParamsOf({ ...state.filters, group: '' })) },
      t('accountability.all'),
    );
    return el(
      'section',
      {},
      el('h2', {}, t('accountability.groups'), ' ', state.filters.group ? all : ''),
      el('table', { class: 'acc-table', id: 'acc-groups' }, el('thead', {}, head), el('tbody', {}, ...rows)),
    );
  }

  function kindTable(answer, kind) {
    const list = findingsOf(answer, kind, answer.by, state.filters.group);
    const title = el('h2', { id: `acc-${kind}` }, `${t(`accountability.kind.${kind}`)} (${list.length})`);
    if (!list.length) return el('section', {}, title, el('p', { class: 'gg-hint' }, t('accountability.none')));
    const time = (iso) => (iso ? formatDateTime(iso) : '');
    const rows = list.map((f) =>
      el(
        'tr',
        { dataset: { incident: String(f.incidentId), kind } },
        el(
          'td',
          {},
          el('a', { href: f.history, target: '_blank', rel: 'noopener' }, `#${f.incidentId}`),
          el('br'),
          f.status,
        ),
        el('td', { class: 'acc-n' }, measureText(f, t)),
        el(
          'td',
          {},
          [f.platform, f.agency?.name, f.grid ? `${f.grid.code} ${f.grid.name}` : null].filter(Boolean).join(' / '),
        ),
        el('td', {}, peopleText(f, t)),
        el('td', {}, el('ol', { class: 'acc-steps' }, ...f.steps.map((s) => el('li', {}, stepText(s, t, time))))),
      ),
    );
    const head = el(
      'tr',
      {},
      ...['caseCol', 'measureCol', 'placeCol', 'peopleCol', 'stepsCol'].map((k) =>
        el('th', {}, t(`accountability.${k}`)),
      ),
    );
    return el(
      'section',
      {},
      title,
      el('table', { class: 'acc-table', dataset: { kind } }, el('thead', {}, head), el('tbody', {}, ...rows)),
    );
  }

  function render() {
    applyI18n(root);
    renderErrors();
    const a = state.answer;
    $('#acc-search').disabled = state.busy;
    $('#acc-status').textContent = state.busy
      ? t('accountability.searching')
      : a
        ? [t('accountability.logged'), a.truncated ? t('accountability.truncated', { n: a.findings.length }) : '']
            .filter(Boolean)
            .join(' ')
        : '';
    if (!a) return;
    $('#acc-result').replaceChildren(groupsTable(a), ...a.kinds.map((k) => kindTable(a, k)));
  }

  async function load() {
    state.errors = validate(state.filters);
    if (state.errors.length) return render();
    state.busy = true;
    render();
    showProblem($('#acc-problem'), null);
    try {
      state.answer = await api(`/api/v1/accountability?${queryOf(state.filters)}`);
    } catch (err) {
      state.answer = null;
      showProblem($('#acc-problem'), err);
    } finally {
      state.busy = false;
      render();
    }
  }

  async function download(format) {
    const f = readForm();
    state.errors = validate(f);
    if (state.errors.length) return render();
    showProblem($('#acc-problem'), null);
    try {
      const accept = format === 'csv' ? 'text/csv' : 'text/html';
      const response = await api(exportPath(format, f, getLang()), { raw: true, headers: { Accept: accept } });
      const url = URL.createObjectURL(await response.blob());
      if (format === 'html') window.open(url, '_blank', 'noopener');
      else {
        const a = el('a', {
          href: url,
          download: fileNameOf(response.headers.get('Content-Disposition'), 'accountability.csv'),
        });
        root.append(a);
        a.click();
        a.remove();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (err) {
      showProblem($('#acc-problem'), err);
    }
  }

  $('#acc-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = readForm();
    state.errors = validate(f);
    if (state.errors.length) return render();
    const next = hashOf('accountability', hashParamsOf(f));
    if (location.hash === next) {
      state.filters = f; // the same question again: the router does not remount
      load();
    } else navigate('accountability', hashParamsOf(f));
  });
  $('#acc-csv').addEventListener('click', () => download('csv'));
  $('#acc-html').addEventListener('click', () => download('html'));
  const off = onLangChange(() => {
    fillForm();
    render();
  });

  fillForm();
  load();
  return () => off?.();
}
