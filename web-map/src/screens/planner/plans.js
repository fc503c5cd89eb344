// The open plan: loading the plan list, opening a plan (grids with workload, unit assignment, edit
// history), the comparison with the plan a proposal came from, sending a change of a draft with the
// version the screen shows (a 409 conflict reloads and says so), and polling a job.
import { api, isStaleVersion } from '../../api/client.js';
import { unitIndex, movedUnits } from './logic.js';
import { geojson, READ } from './map.js';

const POLL_MS = 400;

/** ctx: { state, mapEl, view, ui, picker, tabs, renderAll } — the latter three used at call time. */
export function createPlans(ctx) {
  const { state, mapEl, view, ui } = ctx;

  const isDraft = () => state.plan?.status === 'DRAFT';

  /** The worker of a grid of the open plan, or null. */
  const workerOf = (gridId) => state.gridById.get(gridId)?.get('workerId') ?? null;
  /** The backup worker of a grid of the open plan, or null. */
  const backupOf = (gridId) => state.gridById.get(gridId)?.get('backupWorkerId') ?? null;

  async function loadPlans() {
    state.plans = (await api('/api/v1/plans')).plans;
    ctx.picker.renderPlans();
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
      view.problemSource.clear();
    }
    state.mean = workload.meanWorkload;
    state.units = unitIndex(units);
    view.gridSource.clear();
    const features = geojson.readFeatures(workload, READ);
    view.gridSource.addFeatures(features);
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
        view.baseSource.clear();
        view.baseSource.unset('planId');
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
    ctx.tabs.edit.setTool(isDraft() ? state.tool : 'grid');
    ctx.renderAll();
  }

  async function refreshComparison() {
    if (!state.compareWith || !state.plan || state.compareWith === state.plan.id) return;
    const { baseSource } = view;
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
    view.layers.baseUnits?.changed();
    ctx.tabs.rebalance.renderCompare();
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
    ui.problem(null);
    const planId = state.plan.id;
    try {
      const r = await api(`/api/v1/plans/${planId}/${action}`, {
        method: 'POST',
        body: { expectedVersion: state.plan.version, ...body },
      });
      ui.hideConflict();
      onApplied?.(r);
      state.busy = false;
      await openPlan(planId, { keepCompare: true });
      await refreshComparison();
    } catch (err) {
      state.busy = false;
      await handleEditError(err, planId);
    } finally {
      state.busy = false;
      ctx.tabs.edit.render();
    }
  }

  /** One edit of the draft (op: the edit's body); the server's words on it become the notice. */
  function sendEdit(op) {
    return sendPlanChange('edits', op, {
      onApplied: (r) => {
        ui.notice(r.result);
        state.selectedUnits.clear();
      },
    });
  }

  async function handleEditError(err, planId) {
    if (isStaleVersion(err)) {
      ui.showConflict(err);
      await openPlan(planId, { keepCompare: true }).catch((e) => ui.problem(e));
      await loadPlans();
    } else {
      ui.problem(err);
    }
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

  return {
    isDraft,
    workerOf,
    backupOf,
    loadPlans,
    openPlan,
    refreshComparison,
    sendPlanChange,
    sendEdit,
    handleEditError,
    pollJob,
  };
}
