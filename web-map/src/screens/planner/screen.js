// Grid planning (网格规划): a plan's grids coloured by workload deviation, a draft edited on the map
// (units by click or lasso, claim by polygon, split by line, merge, new grid from the selection,
// delete an empty grid, rename, worker; undo/redo, every
// edit with its expected version), rebalancing as a job with progress and cancel, the proposal
// compared with its base (moved units highlighted, metrics side by side), validation problems with
// zoom, adoption at an effective time, plan history, import with its report, export links.
// Server side: docs/planning.md. Pure helpers: ./logic.js.
import './messages.js';
import './planner.css';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Draw from 'ol/interaction/Draw.js';
import DragBox from 'ol/interaction/DragBox.js';
import { platformModifierKeyOnly } from 'ol/events/condition.js';
import { Fill, Stroke, Style, Text } from 'ol/style.js';
import { api, authHeaders, problemOf, ProblemError, isStaleVersion } from '../../api/client.js';
import { t, tOr, applyI18n, onLangChange, formatDateTime } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import { createBaseMap } from '../../map/basemap.js';
import { baseUnitStyle } from '../../map/styles.js';
import { showProblem } from '../../app/problem.js';
import {
  DEVIATION_CLASSES,
  deviationColor,
  withAlpha,
  formatDeviation,
  formatProgress,
  unitIndex,
  movedUnits,
  metricRows,
  localInputToIso,
  sortPlans,
  groupProblems,
  communityOfUnits,
  emptyGrids,
} from './logic.js';

const TABS = ['grid', 'edit', 'rebalance', 'import', 'history'];
const TOOLS = ['grid', 'units', 'lasso', 'claim', 'split'];
const POLL_MS = 400;
const geojson = new GeoJSON();
const READ = { featureProjection: 'EPSG:3857' };

const TEMPLATE = `
  <div class="planner">
    <div class="planner-mapwrap">
      <div class="gg-map planner-map" id="planner-map"></div>
      <div class="planner-legend" id="planner-legend" aria-label="legend"></div>
      <div class="planner-tooltip" id="planner-tooltip" hidden></div>
    </div>
    <aside class="planner-panel">
      <h1 class="gg-screen-title" data-i18n="planner.title"></h1>
      <div class="planner-plan gg-form">
        <label for="planner-plan-select" data-i18n="planner.plan"></label>
        <select id="planner-plan-select"></select>
        <dl class="gg-facts" id="planner-plan-facts"></dl>
        <button type="button" class="gg-button" id="planner-new-draft" data-i18n="planner.newDraft"></button>
      </div>
      <div id="planner-conflict" class="planner-conflict" role="alert" hidden></div>
      <div id="planner-problem" hidden></div>
      <div id="planner-notice" class="planner-notice" role="status" hidden></div>
      <nav class="planner-tabs" role="tablist">
        ${TABS.map((k) => `<button type="button" role="tab" data-tab="${k}" id="planner-tab-${k}" data-i18n="planner.tab.${k}"></button>`).join('')}
      </nav>

      <section data-panel="grid" class="planner-section">
        <fieldset class="planner-layers">
          <legend data-i18n="planner.layers"></legend>
          <label><input type="checkbox" id="planner-show-communities" checked> <span data-i18n="planner.layer.communities"></span></label>
          <label><input type="checkbox" id="planner-show-units" checked> <span data-i18n="planner.layer.units"></span></label>
          <label><input type="checkbox" id="planner-show-grids" checked> <span data-i18n="planner.layer.grids"></span></label>
          <label><input type="checkbox" id="planner-show-base" checked> <span data-i18n="planner.layer.base"></span></label>
        </fieldset>
        <p class="gg-hint" data-i18n="planner.grid.hint"></p>
        <div id="planner-grid-stats"></div>
        <div id="planner-summary"></div>
      </section>

      <section data-panel="edit" class="planner-section gg-form">
        <p class="gg-hint" id="planner-edit-readonly" data-i18n="planner.edit.readonly" hidden></p>
        <div id="planner-edit-tools">
          <div class="planner-toolbar" role="group">
            ${TOOLS.map((k) => `<button type="button" data-tool="${k}" id="planner-tool-${k}" data-i18n="planner.tool.${k}"></button>`).join('')}
          </div>
          <p class="gg-hint" id="planner-tool-hint"></p>
          <div class="planner-undo">
            <button type="button" id="planner-undo" data-i18n="planner.undo"></button>
            <button type="button" id="planner-redo" data-i18n="planner.redo"></button>
            <span class="gg-hint" id="planner-version"></span>
          </div>
          <h2 data-i18n="planner.selection"></h2>
          <p id="planner-selection"></p>
          <button type="button" id="planner-clear-selection" data-i18n="planner.clearSelection"></button>
          <label for="planner-target-grid" data-i18n="planner.targetGrid"></label>
          <select id="planner-target-grid"></select>
          <button type="button" class="gg-button" id="planner-move" data-i18n="planner.move"></button>
          <button type="button" class="gg-button planner-secondary" id="planner-create" data-i18n="planner.createFromSelection"></button>
          <h2 data-i18n="planner.currentGrid"></h2>
          <p id="planner-current-grid" class="planner-current"></p>
          <label for="planner-rename-input" data-i18n="planner.rename"></label>
          <div class="planner-row"><input id="planner-rename-input" maxlength="200"><button type="button" id="planner-rename" data-i18n="planner.apply"></button></div>
          <label for="planner-worker" data-i18n="planner.worker"></label>
          <div class="planner-row"><select id="planner-worker"></select><button type="button" id="planner-set-worker" data-i18n="planner.apply"></button></div>
          <label for="planner-merge-into" data-i18n="planner.mergeInto"></label>
          <div class="planner-row"><select id="planner-merge-into"></select><button type="button" id="planner-merge" data-i18n="planner.merge"></button></div>
          <h2 data-i18n="planner.emptyGrids"></h2>
          <ul id="planner-empty-grids" class="planner-list"></ul>
          <h2 data-i18n="planner.editHistory"></h2>
          <ol id="planner-edit-history" class="planner-list"></ol>
        </div>
      </section>

      <section data-panel="rebalance" class="planner-section gg-form">
        <label for="planner-mode" data-i18n="planner.mode"></label>
        <select id="planner-mode">
          ${['keepCount', 'keepEachCommunity', 'capacity'].map((m) => `<option value="${m}" data-i18n="planner.mode.${m}"></option>`).join('')}
        </select>
        <label for="planner-tolerance" data-i18n="planner.tolerance"></label>
        <input id="planner-tolerance" type="number" min="0.005" max="1" step="0.005" value="0.05">
        <label for="planner-capacity" data-i18n="planner.capacity"></label>
        <input id="planner-capacity" type="number" min="1" step="100" value="2000">
        <div class="planner-row">
          <button type="button" class="gg-button" id="planner-rebalance" data-i18n="planner.rebalance"></button>
          <button type="button" class="gg-button planner-secondary" id="planner-cancel" data-i18n="planner.cancel" disabled></button>
        </div>
        <div class="planner-progress" id="planner-job" hidden>
          <progress id="planner-progress" max="1" value="0"></progress>
          <span id="planner-progress-text"></span>
          <span id="planner-job-status"></span>
        </div>
        <div id="planner-compare"></div>
        <h2 data-i18n="planner.validation"></h2>
        <label for="planner-band" data-i18n="planner.band"></label>
        <input id="planner-band" type="number" min="0.01" max="10" step="0.05" value="0.5">
        <button type="button" class="gg-button" id="planner-validate" data-i18n="planner.validate"></button>
        <div id="planner-validation"></div>
        <h2 data-i18n="planner.adoption"></h2>
        <label for="planner-effective" data-i18n="planner.effectiveFrom"></label>
        <input id="planner-effective" type="datetime-local">
        <button type="button" class="gg-button" id="planner-adopt" data-i18n="planner.adopt"></button>
        <div id="planner-adopted" aria-live="polite"></div>
      </section>

      <section data-panel="import" class="planner-section gg-form">
        <label for="planner-import-kind" data-i18n="planner.import.kind"></label>
        <select id="planner-import-kind">
          ${['plan', 'units', 'communities'].map((k) => `<option value="${k}" data-i18n="planner.import.kind.${k}"></option>`).join('')}
        </select>
        <label for="planner-import-file" data-i18n="planner.import.file"></label>
        <input id="planner-import-file" type="file" accept=".geojson,.json,.gpkg,.zip">
        <label for="planner-import-srs" data-i18n="planner.import.srs"></label>
        <select id="planner-import-srs">
          <option value="" data-i18n="planner.import.srsFromFile"></option>
          ${['EPSG:4326', 'EPSG:4490', 'EPSG:4549', 'EPSG:3857'].map((s) => `<option value="${s}">${s}</option>`).join('')}
        </select>
        <button type="button" class="gg-button" id="planner-import" data-i18n="planner.import.upload"></button>
        <div class="planner-progress" id="planner-import-job" hidden>
          <progress id="planner-import-progress" max="1" value="0"></progress>
        </div>
        <div id="planner-import-report"></div>
        <button type="button" class="gg-button" id="planner-import-commit" data-i18n="planner.import.commit" hidden></button>
        <h2 data-i18n="planner.export"></h2>
        <p class="gg-hint" data-i18n="planner.export.hint"></p>
        <div id="planner-export" class="planner-export"></div>
      </section>

      <section data-panel="history" class="planner-section">
        <table class="planner-table" id="planner-history">
          <thead><tr>
            <th data-i18n="planner.history.name"></th><th data-i18n="planner.history.status"></th>
            <th data-i18n="planner.history.from"></th><th data-i18n="planner.history.to"></th><th></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </section>
    </aside>
  </div>`;

export async function mount(root, { params } = {}) {
  root.innerHTML = TEMPLATE;
  applyI18n(root);
  const $ = (sel) => root.querySelector(sel);
  // server-named kinds (ops, problem types) that this screen may not know yet show as they come
  const tk = (prefix, name) => tOr(`${prefix}.${name}`, name);

  const state = {
    plans: [],
    plan: null,
    grids: [],
    gridById: new Map(),
    units: new Map(),
    communities: new Map(),
    workers: [],
    selectedGrid: null,
    selectedUnits: new Set(),
    moved: new Set(),
    compareWith: null,
    comparison: null,
    validation: null,
    tool: 'grid',
    tab: 'grid',
    job: null,
    importJob: null,
    importReport: null,
    edits: [],
    redo: [],
    mean: null,
    busy: false,
    disposed: false,
  };

  // ------------------------------------------------------------------ map and layers
  const mapEl = $('#planner-map');
  const { map, layers } = await createBaseMap(mapEl);
  // the base map draws the plan in effect from tiles; here the open plan is drawn instead, so the
  // tile layer only loads (the "grids rendered" mark still fires) and draws nothing
  layers.grids.setStyle(() => null);

  const gridSource = new VectorSource();
  const gridLayer = new VectorLayer({ source: gridSource, style: gridStyle, properties: { name: 'plan-grids' } });
  const problemSource = new VectorSource();
  const problemLayer = new VectorLayer({
    source: problemSource,
    properties: { name: 'problems' },
    style: new Style({
      stroke: new Stroke({ color: '#d62728', width: 3, lineDash: [6, 4] }),
      fill: new Fill({ color: 'rgba(214,39,40,0.15)' }),
    }),
  });
  // the plan a proposal is compared with: its grid boundaries dashed over the proposal's colours
  const baseSource = new VectorSource();
  const baseLayer = new VectorLayer({
    source: baseSource,
    properties: { name: 'base-plan' },
    style: new Style({ stroke: new Stroke({ color: '#111', width: 2, lineDash: [8, 6] }) }),
  });
  const sketchSource = new VectorSource();
  const sketchLayer = new VectorLayer({ source: sketchSource, properties: { name: 'sketch' } });
  map.getLayers().insertAt(map.getLayers().getArray().indexOf(layers.grids) + 1, gridLayer);
  map.addLayer(baseLayer);
  map.addLayer(problemLayer);
  map.addLayer(sketchLayer);

  if (layers.baseUnits) {
    layers.baseUnits.setMinZoom(13);
    layers.baseUnits.setStyle(unitStyle);
  }

  const fills = new Map();
  function gridStyle(feature) {
    const id = feature.get('id');
    const selected = id === state.selectedGrid;
    const color = deviationColor(feature.get('kind') === 'SPECIAL' ? null : feature.get('deviation'));
    const key = `${color}|${selected}`;
    if (!fills.has(key)) {
      fills.set(
        key,
        new Style({
          fill: new Fill({ color: withAlpha(color, 0.6) }),
          stroke: new Stroke({ color: selected ? '#0b3d91' : '#444', width: selected ? 3 : 0.8 }),
          zIndex: selected ? 2 : 1,
        }),
      );
    }
    const style = fills.get(key);
    if (selected) {
      return [
        style,
        new Style({
          text: new Text({
            text: feature.get('name') ?? '',
            font: '600 13px sans-serif',
            fill: new Fill({ color: '#0b3d91' }),
            stroke: new Stroke({ color: '#fff', width: 3 }),
            overflow: true,
          }),
        }),
      ];
    }
    return style;
  }

  const selectedUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(31,119,180,0.55)' }),
    stroke: new Stroke({ color: '#1f77b4', width: 1.5 }),
  });
  // moved units: a strong outline and a light fill, so the grid's deviation colour still shows through
  const movedUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(255,127,14,0.3)' }),
    stroke: new Stroke({ color: '#e65c00', width: 2.2 }),
    zIndex: 2,
  });
  // a transparent fill so that a click inside a unit hits it, not only its outline
  const plainUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(255,255,255,0.01)' }),
    stroke: baseUnitStyle.getStroke(),
  });
  function unitStyle(feature) {
    const id = feature.getId();
    if (state.selectedUnits.has(id)) return selectedUnitStyle;
    if (state.moved.has(id)) return movedUnitStyle;
    return plainUnitStyle;
  }

  // ------------------------------------------------------------------ interactions
  const draw = { lasso: null, claim: null, split: null };
  const dragBox = new DragBox({ condition: platformModifierKeyOnly });
  dragBox.on('boxend', () => selectUnitsIn(dragBox.getGeometry()));

  function setTool(tool) {
    state.tool = tool;
    for (const b of root.querySelectorAll('[data-tool]'))
      b.setAttribute('aria-pressed', String(b.dataset.tool === tool));
    for (const d of Object.values(draw)) if (d) map.removeInteraction(d);
    map.removeInteraction(dragBox);
    const editable = isDraft();
    if (editable && tool === 'units') map.addInteraction(dragBox);
    if (editable && (tool === 'lasso' || tool === 'claim' || tool === 'split')) {
      const d = new Draw({
        source: sketchSource,
        type: tool === 'split' ? 'LineString' : 'Polygon',
        freehand: tool === 'lasso',
      });
      d.on('drawend', (e) => {
        const geom = e.feature.getGeometry();
        setTimeout(() => sketchSource.clear(), 0);
        if (tool === 'lasso') selectUnitsIn(geom);
        else if (tool === 'claim') claim(geom);
        else split(geom);
      });
      draw[tool] = d;
      map.addInteraction(d);
    }
    $('#planner-tool-hint').textContent = t(`planner.toolHint.${tool}`);
    mapEl.dataset.tool = tool;
  }

  function selectUnitsIn(geometry) {
    if (!layers.baseUnits) return;
    const seen = new Set();
    for (const f of layers.baseUnits.getFeaturesInExtent(geometry.getExtent())) {
      const id = f.getId();
      if (seen.has(id)) continue;
      const flat = f.getType() === 'Polygon' ? f.getFlatInteriorPoint() : f.getFlatInteriorPoints?.();
      if (flat && geometry.intersectsCoordinate([flat[0], flat[1]])) {
        seen.add(id);
        state.selectedUnits.add(id);
      }
    }
    renderSelection();
  }

  map.on('singleclick', (e) => {
    if (['lasso', 'claim', 'split'].includes(state.tool) && isDraft()) return;
    if (state.tool === 'units' && isDraft() && layers.baseUnits) {
      const hit = map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === layers.baseUnits });
      if (hit) {
        const id = hit.getId();
        if (state.selectedUnits.has(id)) state.selectedUnits.delete(id);
        else state.selectedUnits.add(id);
        renderSelection();
        return;
      }
    }
    const g = map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === gridLayer });
    selectGrid(g ? g.get('id') : null);
  });

  const tooltip = $('#planner-tooltip');
  map.on('pointermove', (e) => {
    if (e.dragging) return;
    const g = map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === gridLayer });
    if (!g) {
      tooltip.hidden = true;
      return;
    }
    tooltip.replaceChildren(
      el('strong', {}, g.get('name')),
      el('br'),
      `${t('planner.stat.workload')}: ${fmt(g.get('workload'))} · ${t('planner.stat.deviation')}: ${formatDeviation(g.get('deviation'))}`,
    );
    tooltip.style.left = `${e.pixel[0] + 14}px`;
    tooltip.style.top = `${e.pixel[1] + 14}px`;
    tooltip.hidden = false;
  });
  mapEl.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
  });

  // ------------------------------------------------------------------ loading
  const isDraft = () => state.plan?.status === 'DRAFT';

  async function loadPlans() {
    state.plans = (await api('/api/v1/plans')).plans;
    renderPlans();
  }

  /** Opens a plan: its facts, grids with workload, unit assignment, and (drafts) edit history. */
  async function openPlan(id, { keepCompare = false } = {}) {
    const [plan, workload, units] = await Promise.all([
      api(`/api/v1/plans/${id}`),
      api(`/api/v1/analytics/workload?plan=${id}`),
      api(`/api/v1/plans/${id}/units`),
    ]);
    if (state.disposed) return;
    const changedPlan = state.plan?.id !== plan.id;
    const changedVersion = state.plan?.version !== plan.version;
    state.plan = plan;
    if (changedPlan || changedVersion) {
      // a validation report is about one version: after an edit it is stale
      state.validation = null;
      problemSource.clear();
    }
    state.mean = workload.meanWorkload;
    state.units = unitIndex(units);
    gridSource.clear();
    const features = geojson.readFeatures(workload, READ);
    gridSource.addFeatures(features);
    state.grids = features.map((f) => f.getProperties()).sort((a, b) => a.code.localeCompare(b.code));
    state.gridById = new Map(features.map((f) => [f.get('id'), f]));
    if (!state.gridById.has(state.selectedGrid)) state.selectedGrid = null;
    if (changedPlan) {
      state.selectedUnits.clear();
      if (!keepCompare) {
        state.compareWith = null;
        state.comparison = null;
        state.moved = new Set();
        mapEl.dataset.movedUnits = '0';
        baseSource.clear();
        baseSource.unset('planId');
      }
    }
    if (isDraft()) {
      const h = await api(`/api/v1/plans/${id}/edits`);
      state.edits = h.edits;
      state.redo = h.redo ?? [];
    } else {
      state.edits = [];
      state.redo = [];
    }
    mapEl.dataset.planId = String(plan.id);
    mapEl.dataset.planVersion = String(plan.version);
    setTool(isDraft() ? state.tool : 'grid');
    renderAll();
  }

  async function refreshComparison() {
    if (!state.compareWith || !state.plan || state.compareWith === state.plan.id) return;
    const [cmp, base, baseGrids] = await Promise.all([
      api(`/api/v1/plans/${state.compareWith}/compare/${state.plan.id}`),
      api(`/api/v1/plans/${state.compareWith}/units`),
      baseSource.get('planId') === state.compareWith ? null : api(`/api/v1/grids?plan=${state.compareWith}`),
    ]);
    if (baseGrids) {
      baseSource.clear();
      baseSource.addFeatures(geojson.readFeatures(baseGrids, READ));
      baseSource.set('planId', state.compareWith);
    }
    state.comparison = cmp;
    state.moved = new Set(movedUnits(unitIndex(base), state.units).map((m) => m.unitId));
    mapEl.dataset.movedUnits = String(state.moved.size);
    layers.baseUnits?.changed();
    renderCompare();
  }

  // ------------------------------------------------------------------ rendering
  function fmt(n, digits = 0) {
    return typeof n === 'number'
      ? n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : '—';
  }

  function renderAll() {
    renderPlans();
    renderFacts();
    renderLegend();
    renderGridStats();
    renderSummary();
    renderEdit();
    renderCompare();
    renderValidation();
    renderExport();
    renderHistory();
    gridLayer.changed();
    layers.baseUnits?.changed();
  }

  function statusText(p) {
    return p.inEffect ? t('planner.status.inEffect') : t(`planner.status.${p.status}`);
  }

  function renderPlans() {
    const sel = $('#planner-plan-select');
    sel.replaceChildren(
      ...sortPlans(state.plans).map((p) => new Option(`${p.name} · ${statusText(p)} (#${p.id})`, String(p.id))),
    );
    if (state.plan) sel.value = String(state.plan.id);
  }

  function renderFacts() {
    const p = state.plan;
    const dl = $('#planner-plan-facts');
    dl.replaceChildren();
    if (!p) return;
    const add = (key, value, id) => dl.append(el('dt', {}, t(key)), el('dd', id ? { id } : {}, value));
    add('planner.fact.status', statusText(p), 'planner-plan-status');
    add('planner.fact.version', String(p.version), 'planner-plan-version');
    if (p.effectiveFrom) add('planner.fact.from', formatDateTime(p.effectiveFrom));
    if (p.effectiveTo) add('planner.fact.to', formatDateTime(p.effectiveTo));
    add('planner.fact.grids', String(state.grids.length));
    if (state.mean != null) add('planner.fact.mean', `${fmt(state.mean)} ${t('planner.hoursPerYear')}`);
  }

  function renderLegend() {
    const box = $('#planner-legend');
    box.replaceChildren(el('strong', {}, t('planner.legend')));
    for (const c of DEVIATION_CLASSES) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', { className: 'planner-swatch', style: `background:${withAlpha(c.color, 0.8)}` }),
          c.label,
        ),
      );
    }
    box.append(
      el(
        'div',
        { className: 'planner-legend-row' },
        el('span', { className: 'planner-swatch', style: 'background:#bdbdbd' }),
        t('planner.legend.special'),
      ),
    );
    if (baseSource.getFeatures().length) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', { className: 'planner-swatch', style: 'background:transparent;border:2px dashed #111' }),
          t('planner.legend.base', { plan: baseSource.get('planId') }),
        ),
      );
    }
    if (state.moved.size) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', {
            className: 'planner-swatch',
            style: 'background:rgba(255,127,14,0.3);border:2px solid #e65c00',
          }),
          t('planner.legend.moved'),
        ),
      );
    }
  }

  function gridLabel(g) {
    return `${g.name} (${g.code.slice(-3)})`;
  }

  function renderGridStats() {
    const box = $('#planner-grid-stats');
    box.replaceChildren();
    const f = state.gridById.get(state.selectedGrid);
    if (!f) return;
    const g = f.getProperties();
    const dl = el('dl', { className: 'gg-facts', id: 'planner-grid-facts', dataset: { gridId: String(g.id) } });
    const add = (key, value) => dl.append(el('dt', {}, t(key)), el('dd', {}, value));
    add('planner.stat.name', g.name);
    add('planner.stat.code', g.code);
    add('planner.stat.community', state.communities.get(g.communityId) ?? String(g.communityId));
    add('planner.stat.kind', t(`planner.kind.${g.kind}`));
    add('planner.stat.workload', `${fmt(g.workload)} ${t('planner.hoursPerYear')}`);
    add('planner.stat.deviation', formatDeviation(g.deviation));
    add('planner.stat.incidents', fmt(g.incidents));
    add('planner.stat.households', fmt(g.households));
    add('planner.stat.units', fmt(g.units));
    add('planner.stat.area', `${fmt(g.areaM2 / 1e6, 2)} km²`);
    add('planner.stat.compactness', fmt(g.polsbyPopper, 2));
    add('planner.stat.contiguous', g.contiguous ? t('planner.yes') : t('planner.no'));
    const worker = state.workers.find((w) => w.id === workerOf(g.id));
    add('planner.stat.worker', worker ? worker.name : '—');
    box.append(el('h2', {}, t('planner.gridStats')), dl);
  }

  function workerOf(gridId) {
    return state.gridById.get(gridId)?.get('workerId') ?? null;
  }

  function renderSummary() {
    const box = $('#planner-summary');
    const basic = state.grids.filter((g) => g.kind !== 'SPECIAL' && typeof g.deviation === 'number');
    if (!basic.length) {
      box.replaceChildren();
      return;
    }
    const maxDev = Math.max(...basic.map((g) => Math.abs(g.deviation)));
    box.replaceChildren(
      el(
        'p',
        { className: 'gg-hint' },
        t('planner.summary', { grids: basic.length, max: formatDeviation(maxDev).replace('+', '±') }),
      ),
    );
  }

  function renderEdit() {
    const draft = isDraft();
    $('#planner-edit-readonly').hidden = draft;
    $('#planner-edit-tools').hidden = !draft;
    $('#planner-tab-edit').classList.toggle('planner-dim', !draft);
    if (!draft) return;
    $('#planner-undo').disabled = state.edits.length === 0 || state.busy;
    $('#planner-redo').disabled = state.redo.length === 0 || state.busy;
    $('#planner-version').textContent = t('planner.versionIs', { version: state.plan.version });
    const options = (filter) => state.grids.filter(filter).map((g) => new Option(gridLabel(g), String(g.id)));
    const target = $('#planner-target-grid');
    const keep = target.value;
    target.replaceChildren(new Option(t('planner.chooseGrid'), ''), ...options(() => true));
    target.value = state.gridById.has(Number(keep)) ? keep : '';
    const cur = state.gridById.get(state.selectedGrid)?.getProperties();
    $('#planner-current-grid').textContent = cur ? gridLabel(cur) : t('planner.noGridSelected');
    $('#planner-rename-input').value = cur?.name ?? '';
    for (const id of [
      '#planner-rename-input',
      '#planner-rename',
      '#planner-worker',
      '#planner-set-worker',
      '#planner-merge-into',
      '#planner-merge',
    ]) {
      $(id).disabled = !cur || state.busy;
    }
    const into = $('#planner-merge-into');
    into.replaceChildren(
      new Option(t('planner.chooseGrid'), ''),
      ...(cur ? options((g) => g.id !== cur.id && g.communityId === cur.communityId) : []),
    );
    const worker = $('#planner-worker');
    worker.replaceChildren(
      new Option(t('planner.noWorker'), ''),
      ...state.workers.map((w) => new Option(`${w.name} (${w.username})`, String(w.id))),
    );
    worker.value = cur && workerOf(cur.id) ? String(workerOf(cur.id)) : '';
    renderSelection();
    $('#planner-empty-grids').replaceChildren(
      ...emptyGrids(state.grids).map((g) =>
        el(
          'li',
          { dataset: { gridId: String(g.id) } },
          `${gridLabel(g)} `,
          el(
            'button',
            { type: 'button', disabled: state.busy, on: { click: () => deleteGrid(g.id) } },
            t('planner.deleteGrid'),
          ),
        ),
      ),
    );
    const list = $('#planner-edit-history');
    list.replaceChildren(
      ...state.edits.map((e) => el('li', {}, `${tk('planner.op', e.request.op)} · ${formatDateTime(e.at)}`)),
      ...state.redo.map((e) =>
        el('li', { className: 'planner-undone' }, `${tk('planner.op', e.request.op)} · ${t('planner.undone')}`),
      ),
    );
  }

  function renderSelection() {
    const n = state.selectedUnits.size;
    const grids = new Set([...state.selectedUnits].map((u) => state.units.get(u)?.gridId).filter(Boolean));
    $('#planner-selection').textContent = t('planner.selectionCount', { units: n, grids: grids.size });
    $('#planner-selection').dataset.count = String(n);
    $('#planner-move').disabled = n === 0 || state.busy;
    $('#planner-create').disabled = n === 0 || state.busy;
    $('#planner-clear-selection').disabled = n === 0;
    layers.baseUnits?.changed();
  }

  function renderCompare() {
    const box = $('#planner-compare');
    box.replaceChildren();
    const c = state.comparison;
    renderLegend();
    if (!c) return;
    box.append(el('h2', {}, t('planner.proposal', { base: c.a, plan: c.b })));
    const counts = el('dl', { className: 'gg-facts', id: 'planner-compare-counts' });
    const add = (key, value, id) => counts.append(el('dt', {}, t(key)), el('dd', id ? { id } : {}, value));
    add('planner.cmp.unitsMoved', `${c.unitsMoved} (${(c.unitsMovedShare * 100).toFixed(1)}%)`, 'planner-units-moved');
    add('planner.cmp.gridsAdded', String(c.gridsAdded?.length ?? 0));
    add('planner.cmp.gridsRemoved', String(c.gridsRemoved?.length ?? 0));
    add('planner.cmp.gridsChanged', String(c.gridsChanged?.length ?? 0));
    add('planner.cmp.workersAffected', String(c.workersAffected?.length ?? 0));
    box.append(counts);
    const table = el('table', { className: 'planner-table', id: 'planner-metrics' });
    table.append(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, t('planner.cmp.metric')),
          el('th', {}, t('planner.cmp.before')),
          el('th', {}, t('planner.cmp.after')),
        ),
      ),
    );
    const body = el('tbody');
    for (const r of metricRows(c)) {
      const show = (v) =>
        r.key === 'maxDeviation'
          ? formatDeviation(v).replace('+', '±')
          : r.key === 'contiguousShare'
            ? `${fmt((v ?? 0) * 100, 0)}%`
            : r.key === 'meanPolsbyPopper'
              ? fmt(v, 3)
              : fmt(v);
      body.append(
        el(
          'tr',
          { dataset: { metric: r.key } },
          el('td', {}, t(`planner.metric.${r.key}`)),
          el('td', {}, show(r.before)),
          el(
            'td',
            { className: r.better === true ? 'planner-better' : r.better === false ? 'planner-worse' : '' },
            show(r.after),
          ),
        ),
      );
    }
    table.append(body);
    box.append(table, el('p', { className: 'gg-hint' }, t('planner.cmp.movedHint')));
  }

  function renderValidation() {
    const box = $('#planner-validation');
    box.replaceChildren();
    const v = state.validation;
    $('#planner-validate').disabled = !state.plan || state.busy;
    $('#planner-adopt').disabled = !isDraft() || state.busy;
    if (!v) return;
    box.append(
      el(
        'p',
        { id: 'planner-valid', className: v.valid ? 'planner-ok' : 'planner-bad', dataset: { valid: String(v.valid) } },
        v.valid ? t('planner.valid') : t('planner.invalid', { count: v.problemCount ?? v.problems.length }),
      ),
    );
    for (const group of groupProblems(v.problems)) {
      box.append(el('h3', {}, `${tk('planner.problem', group.type)} (${group.problems.length})`));
      const ul = el('ul', { className: 'planner-list planner-problems' });
      for (const p of group.problems) {
        const item = el(
          'li',
          {},
          el(
            'button',
            {
              type: 'button',
              className: 'planner-link',
              disabled: !p.location,
              dataset: { problemType: p.type },
              on: { click: () => zoomTo(p) },
            },
            p.message,
          ),
        );
        ul.append(item);
      }
      box.append(ul);
    }
  }

  function zoomTo(problem) {
    problemSource.clear();
    if (!problem.location) return;
    const f = geojson.readFeature({ type: 'Feature', geometry: problem.location, properties: {} }, READ);
    problemSource.addFeature(f);
    map.getView().fit(f.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 17, duration: 250 });
    if (problem.gridId) selectGrid(problem.gridId);
  }

  function renderExport() {
    const box = $('#planner-export');
    box.replaceChildren();
    if (!state.plan) return;
    for (const [format, label] of [
      ['geojson', 'GeoJSON'],
      ['gpkg', 'GeoPackage'],
      ['shp', 'Shapefile (zip)'],
    ]) {
      const link = el(
        'a',
        {
          href: `/api/v1/plans/${state.plan.id}/export?format=${format}`,
          download: '',
          className: 'planner-export-link',
          dataset: { format },
        },
        label,
      );
      link.addEventListener('click', (e) => downloadExport(e, link));
      box.append(link);
    }
  }

  /** Exports are for planners (docs/access.md): a plain link sends no token, so fetch with it and save the file. */
  async function downloadExport(e, link) {
    e.preventDefault();
    try {
      const response = await api(link.getAttribute('href'), { raw: true, headers: { Accept: '*/*' } });
      const name =
        /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
        `plan.${link.dataset.format}`;
      const url = URL.createObjectURL(await response.blob());
      const a = el('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      showProblem($('#planner-problem'), err);
    }
  }

  function renderHistory() {
    const body = $('#planner-history tbody');
    body.replaceChildren(
      ...sortPlans(state.plans).map((p) =>
        el(
          'tr',
          { dataset: { planId: String(p.id) }, className: p.id === state.plan?.id ? 'planner-current-row' : '' },
          el('td', {}, `${p.name} (#${p.id})`),
          el('td', { className: `planner-status-${p.status}` }, statusText(p)),
          el('td', {}, p.effectiveFrom ? formatDateTime(p.effectiveFrom) : '—'),
          el('td', {}, p.effectiveTo ? formatDateTime(p.effectiveTo) : '—'),
          el(
            'td',
            {},
            el(
              'button',
              { type: 'button', className: 'planner-link', on: { click: () => guarded(() => openPlan(p.id)) } },
              t('planner.open'),
            ),
          ),
        ),
      ),
    );
  }

  function selectGrid(id) {
    state.selectedGrid = id;
    gridLayer.changed();
    renderGridStats();
    renderEdit();
  }

  function setTab(tab) {
    state.tab = tab;
    for (const b of root.querySelectorAll('[data-tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    for (const s of root.querySelectorAll('[data-panel]')) s.hidden = s.dataset.panel !== tab;
  }

  // ------------------------------------------------------------------ actions
  function notice(text) {
    const n = $('#planner-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  /** Runs an action; a failure is shown with the server's problem, never lost. */
  async function guarded(fn) {
    showProblem($('#planner-problem'), null);
    try {
      await fn();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      showProblem($('#planner-problem'), err);
    }
  }

  /**
   * One change of the draft — an edit, undo or redo (action: the path after the plan) — sent with
   * the version the screen shows; then the plan and the comparison are reloaded. A 409 conflict
   * reloads the plan and says so. onApplied(answer) runs once the server has taken the change.
   * The last problem shown is cleared first: it was about an earlier change.
   */
  async function sendPlanChange(action, body, { onApplied } = {}) {
    if (!isDraft() || state.busy) return;
    state.busy = true;
    showProblem($('#planner-problem'), null);
    const planId = state.plan.id;
    try {
      const r = await api(`/api/v1/plans/${planId}/${action}`, {
        method: 'POST',
        body: { expectedVersion: state.plan.version, ...body },
      });
      hideConflict();
      onApplied?.(r);
      state.busy = false;
      await openPlan(planId, { keepCompare: true });
      await refreshComparison();
    } catch (err) {
      state.busy = false;
      await handleEditError(err, planId);
    } finally {
      state.busy = false;
      renderEdit();
    }
  }

  /** One edit of the draft (op: the edit's body); the server's words on it become the notice. */
  function sendEdit(op) {
    return sendPlanChange('edits', op, {
      onApplied: (r) => {
        notice(r.result);
        state.selectedUnits.clear();
      },
    });
  }

  async function handleEditError(err, planId) {
    if (isStaleVersion(err)) {
      showConflict(err);
      await openPlan(planId, { keepCompare: true }).catch((e) => showProblem($('#planner-problem'), e));
      await loadPlans();
    } else {
      showProblem($('#planner-problem'), err);
    }
  }

  function showConflict(err) {
    const box = $('#planner-conflict');
    box.replaceChildren(
      el('strong', {}, t('planner.conflict.title')),
      el('p', {}, t('planner.conflict.text')),
      el('p', { className: 'gg-hint' }, err.problem?.detail ?? ''),
      el('button', { type: 'button', on: { click: hideConflict } }, t('planner.conflict.ok')),
    );
    box.hidden = false;
    box.scrollIntoView?.({ block: 'nearest' });
  }

  function hideConflict() {
    $('#planner-conflict').hidden = true;
  }

  /** A new grid of the selected units, in their village/community (the server gives it its code). */
  function createGrid() {
    const units = [...state.selectedUnits];
    const community = communityOfUnits(state.units, units, (gridId) => state.gridById.get(gridId)?.get('communityId'));
    if (community == null) return notice(t('planner.oneCommunityFirst'));
    return sendEdit({ op: 'create', communityId: community, unitIds: units });
  }

  /** Deletes an empty grid (the server refuses one that still has units). */
  function deleteGrid(gridId) {
    return sendPlanChange(
      'edits',
      { op: 'delete', gridId },
      {
        onApplied: (r) => {
          notice(r.result);
          if (state.selectedGrid === gridId) state.selectedGrid = null;
        },
      },
    );
  }

  /** which: 'undo' or 'redo'. */
  function undoRedo(which) {
    return sendPlanChange(which, {});
  }

  const toGeoJson = (geom) => geojson.writeGeometryObject(geom, { ...READ, decimals: 7 });

  function claim(geom) {
    if (!state.selectedGrid) return notice(t('planner.chooseGridFirst'));
    return sendEdit({ op: 'claim-polygon', gridId: state.selectedGrid, polygon: toGeoJson(geom) });
  }

  function split(geom) {
    if (!state.selectedGrid) return notice(t('planner.chooseGridFirst'));
    return sendEdit({ op: 'split', gridId: state.selectedGrid, line: toGeoJson(geom) });
  }

  /** Polls a job until it ends; onProgress(job) on every answer. Resolves to the last answer. */
  async function pollJob(id, onProgress) {
    for (;;) {
      const job = await api(`/api/v1/jobs/${id}`);
      if (state.disposed) return job;
      onProgress(job);
      if (job.status !== 'RUNNING') return job;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async function rebalance() {
    if (!state.plan || state.job) return;
    const base = state.plan.id;
    const body = { mode: $('#planner-mode').value, tolerance: Number($('#planner-tolerance').value) || 0.05 };
    if (body.mode === 'capacity') body.capacityPerWorker = Number($('#planner-capacity').value) || 2000;
    const start = await api(`/api/v1/plans/${base}/rebalance`, { method: 'POST', body });
    state.job = start.jobId;
    $('#planner-job').hidden = false;
    $('#planner-job').dataset.status = 'RUNNING';
    $('#planner-cancel').disabled = false;
    $('#planner-rebalance').disabled = true;
    try {
      const job = await pollJob(start.jobId, showJob);
      if (job.status === 'DONE') {
        state.compareWith = base;
        await loadPlans();
        await openPlan(job.result.planId, { keepCompare: true });
        await refreshComparison();
        notice(t('planner.rebalanced', { moved: job.result.unitsMoved, seconds: fmt(job.result.seconds, 1) }));
      } else if (job.status === 'FAILED') {
        showProblem($('#planner-problem'), { problem: { title: t('planner.job.FAILED'), detail: job.error ?? '' } });
      }
    } finally {
      state.job = null;
      $('#planner-cancel').disabled = true;
      $('#planner-rebalance').disabled = false;
    }
  }

  function showJob(job) {
    $('#planner-progress').value = job.progress ?? 0;
    $('#planner-progress-text').textContent = formatProgress(job.progress);
    $('#planner-job-status').textContent = t(`planner.job.${job.status}`);
    $('#planner-job').dataset.status = job.status;
  }

  async function cancelJob() {
    if (!state.job) return;
    try {
      showJob(await api(`/api/v1/jobs/${state.job}`, { method: 'DELETE' }));
    } catch (err) {
      if (err.status !== 409) throw err; // job-finished: the poll shows how it ended
    }
  }

  async function validate() {
    const band = Number($('#planner-band').value);
    state.validation = await api(`/api/v1/plans/${state.plan.id}/validate`, {
      method: 'POST',
      body: band > 0 ? { band } : {},
    });
    problemSource.clear();
    renderValidation();
  }

  async function adopt() {
    const effectiveFrom = localInputToIso($('#planner-effective').value);
    if (!effectiveFrom) {
      showProblem($('#planner-problem'), {
        problem: { title: t('planner.effectiveMissing'), detail: '', field: '/effectiveFrom' },
      });
      return;
    }
    const band = Number($('#planner-band').value);
    const body = { effectiveFrom, expectedVersion: state.plan.version };
    if (band > 0) body.band = band;
    try {
      const adopted = await api(`/api/v1/plans/${state.plan.id}/adopt`, { method: 'POST', body });
      $('#planner-adopted').replaceChildren(
        el(
          'p',
          { id: 'planner-adopted-text', className: 'planner-ok', dataset: { planId: String(adopted.id) } },
          t('planner.adopted', { name: adopted.name, from: formatDateTime(adopted.effectiveFrom) }),
        ),
      );
      await loadPlans();
      await openPlan(adopted.id, { keepCompare: true });
    } catch (err) {
      if (isStaleVersion(err)) return handleEditError(err, state.plan.id);
      throw err;
    }
  }

  async function newDraft() {
    const from = state.plan?.id ?? 'active';
    const d = await api('/api/v1/plans', { method: 'POST', body: { from } });
    state.compareWith = typeof from === 'number' ? from : null;
    await loadPlans();
    await openPlan(d.id, { keepCompare: true });
    await refreshComparison();
    setTab('edit');
  }

  async function upload() {
    const file = $('#planner-import-file').files?.[0];
    if (!file) {
      showProblem($('#planner-problem'), { problem: { title: t('planner.import.noFile'), detail: '' } });
      return;
    }
    const srs = $('#planner-import-srs').value;
    $('#planner-import-commit').hidden = true;
    $('#planner-import-report').replaceChildren();
    const kind = $('#planner-import-kind').value;
    const start = await uploadFile(`/api/v1/imports?kind=${kind}${srs ? `&srs=${encodeURIComponent(srs)}` : ''}`, file);
    state.importJob = start.jobId;
    $('#planner-import-job').hidden = false;
    const job = await pollJob(start.jobId, (j) => {
      $('#planner-import-progress').value = j.progress ?? 0;
    });
    $('#planner-import-job').hidden = true;
    if (job.status !== 'DONE') {
      showProblem($('#planner-problem'), {
        problem: { title: t(`planner.job.${job.status}`), detail: job.error ?? '' },
      });
      return;
    }
    renderImportReport(job.result);
  }

  /** The file itself is the body (api() sends JSON only); errors become ProblemErrors like api()'s. */
  async function uploadFile(path, file) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: authHeaders({ 'Content-Type': 'application/octet-stream', Accept: 'application/json' }),
        body: file,
      });
    } catch (e) {
      throw new ProblemError({ status: 0, type: 'network', title: 'network', detail: String(e.message || e) });
    }
    if (!response.ok) throw new ProblemError(await problemOf(response));
    return response.json();
  }

  function renderImportReport(report) {
    state.importReport = report;
    const box = $('#planner-import-report');
    box.replaceChildren(
      el(
        'p',
        {
          id: 'planner-import-valid',
          className: report.valid ? 'planner-ok' : 'planner-bad',
          dataset: { valid: String(report.valid) },
        },
        report.valid
          ? t('planner.import.valid', { features: report.features })
          : t('planner.import.invalid', { features: report.features }),
      ),
    );
    const ul = el('ul', { className: 'planner-list planner-problems' });
    for (const p of report.problems ?? []) {
      ul.append(
        el(
          'li',
          { className: `planner-${p.severity}` },
          el(
            'button',
            {
              type: 'button',
              className: 'planner-link',
              disabled: !p.location,
              on: { click: () => zoomTo(p) },
            },
            `${t(`planner.severity.${p.severity}`)} · ${tk('planner.problem', p.type)}: ${p.message}`,
          ),
        ),
      );
    }
    box.append(ul);
    if (report.changes) {
      // units/communities imports say what they would change (unitsAdded, unitsRetired, …)
      const dl = el('dl', { className: 'gg-facts', id: 'planner-import-changes' });
      for (const [k, v] of Object.entries(report.changes))
        dl.append(el('dt', {}, tk('planner.change', k)), el('dd', {}, String(v)));
      box.append(dl);
    }
    $('#planner-import-commit').hidden = !report.valid;
  }

  async function commitImport() {
    const area = state.importReport?.kind && state.importReport.kind !== 'plan';
    // units and communities are the whole system's base data, not a draft: ask first
    if (area && !globalThis.confirm(t('planner.import.confirmArea'))) return;
    const answer = await api(`/api/v1/imports/${state.importJob}/commit`, { method: 'POST', body: {} });
    $('#planner-import-commit').hidden = true;
    await loadPlans();
    const planId = answer.draftPlanId ?? answer.id ?? answer.planId;
    if (planId) await openPlan(planId);
    if (area) notice(t('planner.import.applied'));
  }

  // ------------------------------------------------------------------ wiring
  for (const b of root.querySelectorAll('[data-tab]')) b.addEventListener('click', () => setTab(b.dataset.tab));
  for (const b of root.querySelectorAll('[data-tool]')) b.addEventListener('click', () => setTool(b.dataset.tool));
  $('#planner-plan-select').addEventListener('change', (e) => guarded(() => openPlan(Number(e.target.value))));
  $('#planner-new-draft').addEventListener('click', () => guarded(newDraft));
  $('#planner-show-communities').addEventListener('change', (e) => {
    layers.communities.setVisible(e.target.checked);
    layers.labels.setVisible(e.target.checked);
  });
  $('#planner-show-units').addEventListener('change', (e) => layers.baseUnits?.setVisible(e.target.checked));
  $('#planner-show-grids').addEventListener('change', (e) => gridLayer.setVisible(e.target.checked));
  $('#planner-show-base').addEventListener('change', (e) => baseLayer.setVisible(e.target.checked));
  if (!layers.baseUnits) $('#planner-show-units').disabled = true;
  $('#planner-undo').addEventListener('click', () => undoRedo('undo'));
  $('#planner-redo').addEventListener('click', () => undoRedo('redo'));
  $('#planner-clear-selection').addEventListener('click', () => {
    state.selectedUnits.clear();
    renderSelection();
  });
  $('#planner-create').addEventListener('click', createGrid);
  $('#planner-move').addEventListener('click', () => {
    const to = Number($('#planner-target-grid').value);
    if (!to) return notice(t('planner.chooseTargetFirst'));
    return sendEdit({ op: 'move-units', unitIds: [...state.selectedUnits], toGridId: to });
  });
  $('#planner-rename').addEventListener('click', () =>
    sendEdit({ op: 'rename', gridId: state.selectedGrid, name: $('#planner-rename-input').value.trim() }),
  );
  $('#planner-set-worker').addEventListener('click', () => {
    const v = $('#planner-worker').value;
    return sendEdit({ op: 'set-worker', gridId: state.selectedGrid, workerId: v ? Number(v) : null });
  });
  $('#planner-merge').addEventListener('click', () => {
    const into = Number($('#planner-merge-into').value);
    if (!into) return notice(t('planner.chooseTargetFirst'));
    return sendEdit({ op: 'merge', gridId: state.selectedGrid, intoGridId: into });
  });
  $('#planner-rebalance').addEventListener('click', () => guarded(rebalance));
  $('#planner-cancel').addEventListener('click', () => guarded(cancelJob));
  $('#planner-validate').addEventListener('click', () => guarded(validate));
  $('#planner-adopt').addEventListener('click', () => guarded(adopt));
  $('#planner-import').addEventListener('click', () => guarded(upload));
  $('#planner-import-commit').addEventListener('click', () => guarded(commitImport));
  const keys = (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.target.matches('input, textarea, select')) return;
    if (e.key === 'z' && !e.shiftKey) {
      e.preventDefault();
      undoRedo('undo');
    }
    if (e.key === 'y' || (e.key === 'Z' && e.shiftKey) || (e.key === 'z' && e.shiftKey)) {
      e.preventDefault();
      undoRedo('redo');
    }
  };
  document.addEventListener('keydown', keys);
  const stopLang = onLangChange(() => {
    applyI18n(root);
    $('#planner-tool-hint').textContent = t(`planner.toolHint.${state.tool}`);
    renderAll();
  });

  setTab(TABS.includes(params?.get?.('tab')) ? params.get('tab') : 'grid');
  setTool('grid');

  await guarded(async () => {
    const [communities, workers] = await Promise.all([
      api('/api/v1/communities').then((fc) => fc.features),
      api('/api/v1/staff?role=GRID_WORKER&limit=5000')
        .then((b) => b.staff)
        .catch(() => []),
    ]);
    state.communities = new Map(communities.map((f) => [f.properties?.id ?? f.id, f.properties?.name]));
    state.workers = workers;
    await loadPlans();
    const wanted = Number(params?.get?.('plan'));
    const start = state.plans.find((p) => p.id === wanted) ?? state.plans.find((p) => p.inEffect) ?? state.plans[0];
    if (start) await openPlan(start.id);
  });
  mapEl.dataset.plannerReady = 'true';

  return () => {
    state.disposed = true;
    stopLang();
    document.removeEventListener('keydown', keys);
    map.setTarget(null);
  };
}
