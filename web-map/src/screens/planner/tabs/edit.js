// Tab "edit" of a draft: the tools (pick grid, pick units by click or Ctrl-drag box, lasso, claim
// by polygon, split by line) and what a click on the map does with them, the selection, moving
// units, a new grid from the selection, rename, worker and backup worker, merge, deleting empty grids, undo/redo
// (buttons and Ctrl+Z / Ctrl+Y, Ctrl+Shift+Z) and the edit list.
import Draw from 'ol/interaction/Draw.js';
import DragBox from 'ol/interaction/DragBox.js';
import { platformModifierKeyOnly } from 'ol/events/condition.js';
import { t, formatDateTime } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import {
  TOOLS,
  DRAW_TOOLS,
  ASSIGNMENTS,
  assignmentChoices,
  assignmentEdit,
  gridLabel,
  mergeTargets,
  emptyGrids,
  gridsOfUnits,
  communityOfUnits,
  shortcutOf,
} from '../logic.js';
import { geojson, READ } from '../map.js';

export const html = `
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
          <label for="planner-backup" data-i18n="planner.backupWorker"></label>
          <div class="planner-row"><select id="planner-backup"></select><button type="button" id="planner-set-backup" data-i18n="planner.apply"></button></div>
          <p class="gg-hint" data-i18n="planner.backupHint"></p>
          <label for="planner-merge-into" data-i18n="planner.mergeInto"></label>
          <div class="planner-row"><select id="planner-merge-into"></select><button type="button" id="planner-merge" data-i18n="planner.merge"></button></div>
          <h2 data-i18n="planner.emptyGrids"></h2>
          <ul id="planner-empty-grids" class="planner-list"></ul>
          <h2 data-i18n="planner.editHistory"></h2>
          <ol id="planner-edit-history" class="planner-list"></ol>
        </div>
      </section>`;

export function createEditTab(ctx) {
  const { root, $, state, mapEl, view, ui, plans } = ctx;
  const { map, layers, sketchSource } = view;
  const { tk } = ui;

  // ---- tools and the map
  const draw = { lasso: null, claim: null, split: null };
  const dragBox = new DragBox({ condition: platformModifierKeyOnly });
  dragBox.on('boxend', () => selectUnitsIn(dragBox.getGeometry()));

  function setTool(tool) {
    state.tool = tool;
    for (const b of root.querySelectorAll('[data-tool]'))
      b.setAttribute('aria-pressed', String(b.dataset.tool === tool));
    for (const d of Object.values(draw)) if (d) map.removeInteraction(d);
    map.removeInteraction(dragBox);
    const editable = plans.isDraft();
    if (editable && tool === 'units') map.addInteraction(dragBox);
    if (editable && DRAW_TOOLS.includes(tool)) {
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
    if (DRAW_TOOLS.includes(state.tool) && plans.isDraft()) return;
    if (state.tool === 'units' && plans.isDraft() && layers.baseUnits) {
      const hit = map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === layers.baseUnits });
      if (hit) {
        const id = hit.getId();
        if (state.selectedUnits.has(id)) state.selectedUnits.delete(id);
        else state.selectedUnits.add(id);
        renderSelection();
        return;
      }
    }
    const g = view.gridAt(e.pixel);
    ctx.selectGrid(g ? g.get('id') : null);
  });

  // ---- edits
  /** A new grid of the selected units, in their village/community (the server gives it its code). */
  function createGrid() {
    const units = [...state.selectedUnits];
    const community = communityOfUnits(state.units, units, (gridId) => state.gridById.get(gridId)?.get('communityId'));
    if (community == null) return ui.notice(t('planner.oneCommunityFirst'));
    return plans.sendEdit({ op: 'create', communityId: community, unitIds: units });
  }

  /** Deletes an empty grid (the server refuses one that still has units). */
  function deleteGrid(gridId) {
    return plans.sendPlanChange(
      'edits',
      { op: 'delete', gridId },
      {
        onApplied: (r) => {
          ui.notice(r.result);
          if (state.selectedGrid === gridId) state.selectedGrid = null;
        },
      },
    );
  }

  /** which: 'undo' or 'redo'. */
  function undoRedo(which) {
    return plans.sendPlanChange(which, {});
  }

  const toGeoJson = (geom) => geojson.writeGeometryObject(geom, { ...READ, decimals: 7 });

  function claim(geom) {
    if (!state.selectedGrid) return ui.notice(t('planner.chooseGridFirst'));
    return plans.sendEdit({ op: 'claim-polygon', gridId: state.selectedGrid, polygon: toGeoJson(geom) });
  }

  function split(geom) {
    if (!state.selectedGrid) return ui.notice(t('planner.chooseGridFirst'));
    return plans.sendEdit({ op: 'split', gridId: state.selectedGrid, line: toGeoJson(geom) });
  }

  // ---- rendering
  const assignmentSelect = { worker: '#planner-worker', backup: '#planner-backup' };

  function render() {
    const draft = plans.isDraft();
    $('#planner-edit-readonly').hidden = draft;
    $('#planner-edit-tools').hidden = !draft;
    $('#planner-tab-edit').classList.toggle('planner-dim', !draft);
    if (!draft) return;
    $('#planner-undo').disabled = state.edits.length === 0 || state.busy;
    $('#planner-redo').disabled = state.redo.length === 0 || state.busy;
    $('#planner-version').textContent = t('planner.versionIs', { version: state.plan.version });
    const options = (grids) => grids.map((g) => new Option(gridLabel(g), String(g.id)));
    const target = $('#planner-target-grid');
    const keep = target.value;
    target.replaceChildren(new Option(t('planner.chooseGrid'), ''), ...options(state.grids));
    target.value = state.gridById.has(Number(keep)) ? keep : '';
    const cur = state.gridById.get(state.selectedGrid)?.getProperties();
    $('#planner-current-grid').textContent = cur ? gridLabel(cur) : t('planner.noGridSelected');
    $('#planner-rename-input').value = cur?.name ?? '';
    for (const id of [
      '#planner-rename-input',
      '#planner-rename',
      '#planner-worker',
      '#planner-set-worker',
      '#planner-backup',
      '#planner-set-backup',
      '#planner-merge-into',
      '#planner-merge',
    ]) {
      $(id).disabled = !cur || state.busy;
    }
    const into = $('#planner-merge-into');
    into.replaceChildren(
      new Option(t('planner.chooseGrid'), ''),
      ...(cur ? options(mergeTargets(state.grids, cur)) : []),
    );
    const people = cur && { workerId: plans.workerOf(cur.id), backupWorkerId: plans.backupOf(cur.id) };
    for (const role of ASSIGNMENTS) {
      const select = $(assignmentSelect[role]);
      select.replaceChildren(
        new Option(t('planner.noWorker'), ''),
        ...assignmentChoices(state.workers, people, role).map((c) => new Option(c.label, c.value)),
      );
      const id = people?.[role === 'worker' ? 'workerId' : 'backupWorkerId'];
      select.value = id ? String(id) : '';
    }
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
    const grids = gridsOfUnits(state.units, state.selectedUnits);
    $('#planner-selection').textContent = t('planner.selectionCount', { units: n, grids: grids.size });
    $('#planner-selection').dataset.count = String(n);
    $('#planner-move').disabled = n === 0 || state.busy;
    $('#planner-create').disabled = n === 0 || state.busy;
    $('#planner-clear-selection').disabled = n === 0;
    layers.baseUnits?.changed();
  }

  // ---- wiring
  for (const b of root.querySelectorAll('[data-tool]')) b.addEventListener('click', () => setTool(b.dataset.tool));
  $('#planner-undo').addEventListener('click', () => undoRedo('undo'));
  $('#planner-redo').addEventListener('click', () => undoRedo('redo'));
  $('#planner-clear-selection').addEventListener('click', () => {
    state.selectedUnits.clear();
    renderSelection();
  });
  $('#planner-create').addEventListener('click', createGrid);
  $('#planner-move').addEventListener('click', () => {
    const to = Number($('#planner-target-grid').value);
    if (!to) return ui.notice(t('planner.chooseTargetFirst'));
    return plans.sendEdit({ op: 'move-units', unitIds: [...state.selectedUnits], toGridId: to });
  });
  $('#planner-rename').addEventListener('click', () =>
    plans.sendEdit({ op: 'rename', gridId: state.selectedGrid, name: $('#planner-rename-input').value.trim() }),
  );
  for (const role of ASSIGNMENTS) {
    $(`#planner-set-${role}`).addEventListener('click', () =>
      plans.sendEdit(assignmentEdit(role, state.selectedGrid, $(assignmentSelect[role]).value)),
    );
  }
  $('#planner-merge').addEventListener('click', () => {
    const into = Number($('#planner-merge-into').value);
    if (!into) return ui.notice(t('planner.chooseTargetFirst'));
    return plans.sendEdit({ op: 'merge', gridId: state.selectedGrid, intoGridId: into });
  });
  const keys = (e) => {
    const which = shortcutOf(e);
    if (!which || e.target.matches('input, textarea, select')) return;
    e.preventDefault();
    undoRedo(which);
  };
  document.addEventListener('keydown', keys);

  return {
    setTool,
    render,
    /** After a language change: the tool hint is set by code, not by data-i18n. */
    renderToolHint() {
      $('#planner-tool-hint').textContent = t(`planner.toolHint.${state.tool}`);
    },
    dispose() {
      document.removeEventListener('keydown', keys);
    },
  };
}
