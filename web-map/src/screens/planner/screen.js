// Grid planning (网格规划): a plan's grids coloured by workload deviation, a draft edited on the map
// (units by click or lasso, claim by polygon, split by line, merge, new grid from the selection,
// delete an empty grid, rename, worker; undo/redo, every edit with its expected version),
// rebalancing as a job with progress and cancel, the proposal compared with its base (moved units
// highlighted, metrics side by side), validation problems with zoom, adoption at an effective
// time, plan history, import with its report, export links. Server side: docs/planning.md.
//
// This file composes the screen. The parts share one context `ctx`: root, $, state, mapEl, and
//   view   ./map.js       the map, the plan's layers, legend, tooltip, zoomTo
//   ui     ./ui.js        notice, problem and conflict boxes, guarded(), tk()
//   plans  ./plans.js     loading and opening plans, comparison, sending changes, polling jobs
//   picker ./picker.js    the plan list and facts above the tabs, new draft
//   tabs   ./tabs/*.js    one module per tab: its HTML, its wiring, render()
// and renderAll / selectGrid / setTab from here. Parts call one another through ctx at the time
// of the call, so the order of creation below only matters for what each part wires at once.
// Pure helpers: ./logic.js (unit-tested).
import './messages.js';
import './planner.css';
import { api } from '../../api/client.js';
import { applyI18n, onLangChange } from '../../i18n/i18n.js';
import { TABS, tabOf, startPlan, communityNames } from './logic.js';
import { createPlanMap } from './map.js';
import { createUi } from './ui.js';
import { createPlans } from './plans.js';
import { createPicker } from './picker.js';
import * as gridTab from './tabs/grid.js';
import * as editTab from './tabs/edit.js';
import * as rebalanceTab from './tabs/rebalance.js';
import * as importTab from './tabs/import.js';
import * as historyTab from './tabs/history.js';

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
${[gridTab, editTab, rebalanceTab, importTab, historyTab].map((tab) => tab.html).join('\n')}
    </aside>
  </div>`;

function newState() {
  return {
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
}

export async function mount(root, { params } = {}) {
  root.innerHTML = TEMPLATE;
  applyI18n(root);
  const $ = (sel) => root.querySelector(sel);
  const state = newState();
  const mapEl = $('#planner-map');
  const ctx = { root, $, state, mapEl };

  ctx.view = await createPlanMap(ctx);
  ctx.ui = createUi(ctx);
  ctx.plans = createPlans(ctx);
  ctx.picker = createPicker(ctx);
  const tabs = {
    grid: gridTab.createGridTab(ctx),
    edit: editTab.createEditTab(ctx),
    rebalance: rebalanceTab.createRebalanceTab(ctx),
    import: importTab.createImportTab(ctx),
    history: historyTab.createHistoryTab(ctx),
  };
  ctx.tabs = tabs;

  ctx.renderAll = () => {
    ctx.picker.render();
    ctx.view.renderLegend();
    for (const tab of Object.values(tabs)) tab.render();
    ctx.view.gridLayer.changed();
    ctx.view.layers.baseUnits?.changed();
  };

  ctx.selectGrid = (id) => {
    state.selectedGrid = id;
    ctx.view.gridLayer.changed();
    tabs.grid.renderStats();
    tabs.edit.render();
  };

  ctx.setTab = (tab) => {
    state.tab = tab;
    for (const b of root.querySelectorAll('[data-tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    for (const s of root.querySelectorAll('[data-panel]')) s.hidden = s.dataset.panel !== tab;
  };

  for (const b of root.querySelectorAll('[data-tab]')) b.addEventListener('click', () => ctx.setTab(b.dataset.tab));
  const stopLang = onLangChange(() => {
    applyI18n(root);
    tabs.edit.renderToolHint();
    ctx.renderAll();
  });

  ctx.setTab(tabOf(params?.get?.('tab')));
  tabs.edit.setTool('grid');

  await ctx.ui.guarded(async () => {
    const [communities, workers] = await Promise.all([
      api('/api/v1/communities').then((fc) => fc.features),
      api('/api/v1/staff?role=GRID_WORKER&limit=5000')
        .then((b) => b.staff)
        .catch(() => []),
    ]);
    state.communities = communityNames(communities);
    state.workers = workers;
    await ctx.plans.loadPlans();
    const start = startPlan(state.plans, Number(params?.get?.('plan')));
    if (start) await ctx.plans.openPlan(start.id);
  });
  mapEl.dataset.plannerReady = 'true';

  return () => {
    state.disposed = true;
    stopLang();
    for (const tab of Object.values(tabs)) tab.dispose?.();
    ctx.view.map.setTarget(null);
  };
}
