// The district command centre (区指挥中心, docs/district.md), for the district's roles (and admins,
// auditors): the queue of escalated cases of every subdistrict with its three actions (accept,
// assign to a district department, return with a reason) and the department's resolution; the
// board per subdistrict; the KPIs of the subdistricts compared; a map of the subdistricts (GET
// /api/v1/subdistricts, shaded by open cases, labelled) and of the escalated cases. A click on a
// subdistrict (on the map or the board) shows its cases only; again, or outside, shows all.
// Pure helpers: ./logic.js and shared/subdistricts.js (unit-tested).
import './messages.js';
import './district.css';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import { fromLonLat } from 'ol/proj.js';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style.js';
import { api, newIdempotencyKey } from '../../api/client.js';
import { showProblem } from '../../app/problem.js';
import { createBaseMap } from '../../map/basemap.js';
import { applyI18n, formatDateTime, getLang, onLangChange, t } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import { subdistrictList } from '../../shared/subdistricts.js';
import {
  actionBody,
  actionsFor,
  ageText,
  areaLook,
  boardRows,
  caseColour,
  kpiComparison,
  namesOf,
  nextSelection,
  openBySubdistrict,
  percent,
  queueOf,
  sortQueue,
} from './logic.js';

const HTML = `
  <div class="dcc">
    <h1 data-i18n="district.title"></h1>
    <p class="gg-hint" data-i18n="district.intro"></p>
    <div id="dcc-problem" hidden></div>
    <p class="gg-hint" id="dcc-status" role="status"></p>
    <section class="dcc-queue">
      <h2 data-i18n="district.queue"></h2>
      <p class="dcc-filter" id="dcc-filter" hidden></p>
      <div id="dcc-queue"></div>
    </section>
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
  const state = {
    queue: [],
    board: null,
    kpis: null,
    departments: [],
    open: null,
    errors: [],
    areas: null, // GET /api/v1/subdistricts as it came (GeoJSON)
    selected: null, // the subdistrict id whose cases alone are shown
  };
  let points = null;
  let areas = null;
  let areasFitted = false;
  const geojson = new GeoJSON();

  const th = (key) => el('th', {}, t(key));
  const lang = () => getLang();

  /** Shows one subdistrict's cases only (null: every case) and marks it on the map and board. */
  function select(id) {
    state.selected = id;
    renderFilter();
    renderQueue();
    renderBoard();
    renderMap();
    areas?.changed();
  }

  function renderFilter() {
    const p = $('#dcc-filter');
    const area = subdistrictList(state.areas).find((a) => a.id === state.selected);
    const name = area?.name ?? state.board?.subdistricts?.find((r) => r.id === state.selected)?.name;
    p.hidden = state.selected === null;
    if (p.hidden) return p.replaceChildren();
    p.replaceChildren(
      t('district.filteredTo', { name: name ?? `#${state.selected}` }),
      ' ',
      el('button', { type: 'button', id: 'dcc-show-all', onclick: () => select(null) }, t('district.showAll')),
    );
  }

  function renderQueue() {
    const items = sortQueue(queueOf(state.queue, state.selected));
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
        r.id
          ? {
              class: `dcc-pick${r.id === state.selected ? ' dcc-selected' : ''}`,
              'data-subdistrict': String(r.id),
              onclick: () => select(nextSelection(state.selected, r.id)),
            }
          : {},
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

  function areaStyle(feature) {
    const look = areaLook(
      { id: Number(feature.get('id')), name: feature.get('name') ?? '' },
      openBySubdistrict(state.board),
      state.selected,
    );
    return new Style({
      fill: new Fill({ color: look.fill }),
      stroke: new Stroke({ color: look.stroke, width: look.width }),
      zIndex: look.selected ? 1 : 0,
      text: new Text({
        text: look.label,
        font: `${look.selected ? 'bold ' : ''}14px "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif`,
        fill: new Fill({ color: '#222' }),
        stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
        overflow: true,
      }),
    });
  }

  function renderAreas(map) {
    if (!areas || !state.areas) return;
    areas.clear();
    areas.addFeatures(geojson.readFeatures(state.areas, { featureProjection: 'EPSG:3857' }));
    // for the browser test: how many subdistricts the map holds
    $('#dcc-map').dataset.subdistricts = String(areas.getFeatures().length);
    if (!areasFitted && map && areas.getFeatures().length) {
      areasFitted = true;
      map.getView().fit(areas.getExtent(), { padding: [20, 20, 20, 20] });
    }
  }

  function renderMap() {
    if (!points) return;
    points.clear();
    for (const i of queueOf(state.queue, state.selected)) {
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
    renderFilter();
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
    areas?.changed(); // the shading follows the board's open cases
  }

  /** The boundaries; the queue, board and points do without them when they fail. */
  async function loadAreas() {
    try {
      state.areas = await api('/api/v1/subdistricts');
    } catch (e) {
      state.areas = null;
      showProblem($('#dcc-problem'), e);
    }
    renderFilter();
    renderAreas(baseMap);
  }

  let baseMap = null;
  createBaseMap($('#dcc-map'), { baseUnits: false })
    .then(({ map }) => {
      baseMap = map;
      areas = new VectorSource();
      const areaLayer = new VectorLayer({ source: areas, style: areaStyle, zIndex: 40 });
      map.addLayer(areaLayer);
      points = new VectorSource();
      map.addLayer(new VectorLayer({ source: points, zIndex: 50 }));
      map.on('singleclick', (e) => {
        const hit = map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === areaLayer });
        select(nextSelection(state.selected, hit ? Number(hit.get('id')) : null));
      });
      renderAreas(map);
      renderMap();
    })
    .catch(() => {});
  loadAreas();
  const off = onLangChange(render);
  load();
  return () => off?.();
}
