// The district command centre (区指挥中心, docs/district.md), for the district's roles (and admins,
// auditors): the queue of escalated cases of every subdistrict with its three actions (accept,
// assign to a district department, return with a reason) and the department's resolution; the
// board per subdistrict; the KPIs of the subdistricts compared; a map of the escalated cases.
// GET /api/v1/subdistricts (the boundaries) is not served yet: the map shows the cases' points.
// Pure helpers: ./logic.js (unit-tested).
import './messages.js';
import './district.css';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import { fromLonLat } from 'ol/proj.js';
import { Circle, Fill, Stroke, Style } from 'ol/style.js';
import { api, newIdempotencyKey } from '../../api/client.js';
import { showProblem } from '../../app/problem.js';
import { createBaseMap } from '../../map/basemap.js';
import { applyI18n, formatDateTime, getLang, onLangChange, t } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import {
  actionBody,
  actionsFor,
  ageText,
  boardRows,
  caseColour,
  kpiComparison,
  namesOf,
  percent,
  sortQueue,
} from './logic.js';

const HTML = `
  <div class="dcc">
    <h1 data-i18n="district.title"></h1>
    <p class="gg-hint" data-i18n="district.intro"></p>
    <div id="dcc-problem" hidden></div>
    <p class="gg-hint" id="dcc-status" role="status"></p>
    <section class="dcc-queue"><h2 data-i18n="district.queue"></h2><div id="dcc-queue"></div></section>
    <section class="dcc-action" id="dcc-action" hidden></section>
    <div class="dcc-panels">
      <section><h2 data-i18n="district.board"></h2><div id="dcc-board"></div></section>
      <section><h2 data-i18n="district.kpis"></h2><div id="dcc-kpis"></div></section>
    </div>
    <section class="dcc-map-box">
      <h2 data-i18n="district.map"></h2>
      <p class="gg-hint" data-i18n="district.mapNote"></p>
      <div id="dcc-map" class="dcc-map"></div>
    </section>
  </div>`;

export function mount(root) {
  root.innerHTML = HTML;
  const $ = (s) => root.querySelector(s);
  const state = { queue: [], board: null, kpis: null, departments: [], open: null, errors: [] };
  let points = null;

  const th = (key) => el('th', {}, t(key));
  const lang = () => getLang();

  function renderQueue() {
    const items = sortQueue(state.queue);
    if (!items.length) {
      $('#dcc-queue').replaceChildren(el('p', { class: 'gg-hint' }, t('district.queueEmpty')));
      return;
    }
    const rows = items.map((i) =>
      el(
        'tr',
        { 'data-id': String(i.incidentId), class: i.overdue ? 'dcc-overdue' : '' },
        el('td', {}, String(i.incidentId)),
        el('td', {}, i.subdistrict ? i.subdistrict.name : t('district.districtOwn')),
        el('td', {}, i.category),
        el('td', {}, i.reason ?? ''),
        el('td', {}, ageText(i.ageHours, lang())),
        el(
          'td',
          {},
          (i.deadline ? formatDateTime(i.deadline) : '—') + (i.overdue ? ` · ${t('district.overdue')}` : ''),
        ),
        el('td', {}, t(`district.stage.${i.stage}`) + (i.department ? ` · ${i.department}` : '')),
        el(
          'td',
          {},
          ...actionsFor(i).map((a) =>
            el(
              'button',
              { type: 'button', class: 'dcc-act', 'data-action': a, onclick: () => openAction(i, a) },
              t(`district.action.${a}`),
            ),
          ),
        ),
      ),
    );
    const cols = [
      'caseCol',
      'subdistrictCol',
      'categoryCol',
      'reasonCol',
      'ageCol',
      'deadlineCol',
      'stageCol',
      'actionsCol',
    ];
    $('#dcc-queue').replaceChildren(
      el(
        'table',
        { class: 'gg-table' },
        el('thead', {}, el('tr', {}, ...cols.map((c) => th(`district.${c}`)))),
        el('tbody', {}, ...rows),
      ),
    );
  }

  function openAction(item, action) {
    state.open = { item, action };
    state.errors = [];
    renderAction();
  }

  function renderAction() {
    const box = $('#dcc-action');
    if (!state.open) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const { item, action } = state.open;
    const fields = [];
    if (action === 'district-assign') {
      const options = [el('option', { value: '' }, t('district.pickDepartment'))].concat(
        state.departments.map((d) =>
          el('option', { value: d.code }, `${lang().startsWith('zh') ? d.nameZh : d.nameEn} (${d.code})`),
        ),
      );
      fields.push(
        el('label', { for: 'dcc-department' }, t('district.department')),
        el('select', { id: 'dcc-department' }, ...options),
      );
    }
    if (action === 'district-return')
      fields.push(
        el('label', { for: 'dcc-reason' }, t('district.reason')),
        el('textarea', { id: 'dcc-reason', rows: 3, maxlength: 2000 }),
      );
    fields.push(
      el('label', { for: 'dcc-note' }, t('district.note')),
      el('textarea', { id: 'dcc-note', rows: 2, maxlength: 2000 }),
    );
    box.hidden = false;
    box.replaceChildren(
      el(
        'form',
        { class: 'gg-form', id: 'dcc-form', novalidate: true, onsubmit: (e) => (e.preventDefault(), send()) },
        el('h3', {}, `${t(`district.action.${action}`)} · ${item.incidentId}`),
        ...fields,
        el('p', { class: 'dcc-errors', role: 'alert' }, state.errors.map((k) => t(k)).join(' ')),
        el('button', { type: 'submit', id: 'dcc-send' }, t('district.send')),
        el('button', { type: 'button', onclick: () => ((state.open = null), renderAction()) }, t('district.cancel')),
      ),
    );
  }

  async function send() {
    const { item, action } = state.open;
    const value = (id) => root.querySelector(id)?.value ?? '';
    const r = actionBody(action, item, {
      department: value('#dcc-department'),
      reason: value('#dcc-reason'),
      note: value('#dcc-note'),
    });
    if (r.errors) {
      state.errors = r.errors;
      $('.dcc-errors').textContent = r.errors.map((k) => t(k)).join(' ');
      return;
    }
    try {
      await api(`/api/v1/incidents/${item.incidentId}/actions`, {
        method: 'POST',
        body: r.body,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      });
      $('#dcc-status').textContent = t('district.done', {
        action: t(`district.action.${action}`),
        id: item.incidentId,
      });
      state.open = null;
      renderAction();
      await load();
    } catch (e) {
      showProblem($('#dcc-problem'), e);
    }
  }

  function renderBoard() {
    const { rows, total } = boardRows(state.board);
    const line = (r, name) =>
      el(
        'tr',
        {},
        el('td', {}, name),
        el('td', {}, String(r.open)),
        el('td', {}, String(r.overdue)),
        el('td', {}, String(r.escalated)),
        el('td', {}, String(r.closed)),
        el('td', {}, percent(r.onTimeRate)),
      );
    const cols = ['subdistrictCol', 'openCol', 'overdueCol', 'escalatedCol', 'closedCol', 'onTimeCol'];
    $('#dcc-board').replaceChildren(
      el(
        'table',
        { class: 'gg-table', id: 'dcc-board-table' },
        el('thead', {}, el('tr', {}, ...cols.map((c) => th(`district.${c}`)))),
        el(
          'tbody',
          {},
          ...rows.map((r) => line(r, r.districtOwn ? t('district.districtOwn') : r.name)),
          line(total, t('district.total')),
        ),
      ),
    );
  }

  function renderKpis() {
    const units = kpiComparison(state.kpis, namesOf(state.board));
    const cols = ['rankCol', 'subdistrictCol', 'scoreCol', 'reportsCol', 'onTimeCol', 'satisfactionCol'];
    $('#dcc-kpis').replaceChildren(
      el(
        'table',
        { class: 'gg-table', id: 'dcc-kpi-table' },
        el('thead', {}, el('tr', {}, ...cols.map((c) => th(`district.${c}`)))),
        el(
          'tbody',
          {},
          ...units.map((u) =>
            el(
              'tr',
              {},
              el('td', {}, String(u.rank)),
              el('td', {}, u.name),
              el('td', {}, u.score === null ? '—' : `${u.score} / ${u.max}`),
              el('td', {}, String(u.reports)),
              el('td', {}, percent(u.onTimeRate)),
              el('td', {}, u.satisfaction === null ? '—' : String(u.satisfaction)),
            ),
          ),
        ),
      ),
    );
  }

  function renderMap() {
    if (!points) return;
    points.clear();
    for (const i of state.queue) {
      if (!i.location) continue;
      const f = new Feature({ geometry: new Point(fromLonLat(i.location)) });
      f.setStyle(
        new Style({
          image: new Circle({
            radius: 7,
            fill: new Fill({ color: caseColour(i) }),
            stroke: new Stroke({ color: '#fff', width: 2 }),
          }),
        }),
      );
      points.addFeature(f);
    }
  }

  function render() {
    applyI18n(root);
    renderQueue();
    renderAction();
    renderBoard();
    renderKpis();
  }

  async function load() {
    const year = String(new Date().getFullYear());
    try {
      const [queue, board, kpis, departments] = await Promise.all([
        api('/api/v1/district/queue'),
        api('/api/v1/district/board'),
        api(`/api/v1/analytics/kpis?by=subdistrict&period=${year}`),
        api('/api/v1/departments'),
      ]);
      state.queue = queue.items ?? [];
      state.board = board;
      state.kpis = kpis;
      state.departments = departments.departments ?? [];
      $('#dcc-problem').hidden = true;
    } catch (e) {
      showProblem($('#dcc-problem'), e);
    }
    render();
    renderMap();
  }

  createBaseMap($('#dcc-map'), { baseUnits: false })
    .then(({ map }) => {
      points = new VectorSource();
      map.addLayer(new VectorLayer({ source: points, zIndex: 50 }));
      renderMap();
    })
    .catch(() => {});
  const off = onLangChange(render);
  load();
  return () => off?.();
}
