// The plan picker above the tabs: the plan list, the open plan's facts, "new draft from this plan".
import { api } from '../../api/client.js';
import { t, formatDateTime } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import { sortPlans, statusKey, formatNumber } from './logic.js';

export function createPicker(ctx) {
  const { $, state, ui, plans } = ctx;

  function renderPlans() {
    const sel = $('#planner-plan-select');
    sel.replaceChildren(
      ...sortPlans(state.plans).map((p) => new Option(`${p.name} · ${t(statusKey(p))} (#${p.id})`, String(p.id))),
    );
    if (state.plan) sel.value = String(state.plan.id);
  }

  function renderFacts() {
    const p = state.plan;
    const dl = $('#planner-plan-facts');
    dl.replaceChildren();
    if (!p) return;
    const add = (key, value, id) => dl.append(el('dt', {}, t(key)), el('dd', id ? { id } : {}, value));
    add('planner.fact.status', t(statusKey(p)), 'planner-plan-status');
    add('planner.fact.version', String(p.version), 'planner-plan-version');
    if (p.effectiveFrom) add('planner.fact.from', formatDateTime(p.effectiveFrom));
    if (p.effectiveTo) add('planner.fact.to', formatDateTime(p.effectiveTo));
    add('planner.fact.grids', String(state.grids.length));
    if (state.mean != null) add('planner.fact.mean', `${formatNumber(state.mean)} ${t('planner.hoursPerYear')}`);
  }

  async function newDraft() {
    const from = state.plan?.id ?? 'active';
    const d = await api('/api/v1/plans', { method: 'POST', body: { from } });
    state.compareWith = typeof from === 'number' ? from : null;
    await plans.loadPlans();
    await plans.openPlan(d.id, { keepCompare: true });
    await plans.refreshComparison();
    ctx.setTab('edit');
  }

  $('#planner-plan-select').addEventListener('change', (e) => ui.guarded(() => plans.openPlan(Number(e.target.value))));
  $('#planner-new-draft').addEventListener('click', () => ui.guarded(newDraft));

  return {
    renderPlans,
    render() {
      renderPlans();
      renderFacts();
    },
  };
}
