// Tab "rebalance": rebalancing as a job with progress and cancel, the proposal compared with its
// base (server counts, before/after metrics), validation with problems that zoom, and adoption at
// an effective time with the expected version.
import { api, isStaleVersion } from '../../../api/client.js';
import { t, formatDateTime } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import {
  formatProgress,
  formatNumber,
  formatMetric,
  formatMoved,
  metricRows,
  groupProblems,
  localInputToIso,
  rebalanceBody,
  bandOf,
} from '../logic.js';

export const html = `
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
      </section>`;

export function createRebalanceTab({ $, state, view, ui, plans }) {
  const { tk } = ui;

  async function rebalance() {
    if (!state.plan || state.job) return;
    const base = state.plan.id;
    const body = rebalanceBody($('#planner-mode').value, $('#planner-tolerance').value, $('#planner-capacity').value);
    const start = await api(`/api/v1/plans/${base}/rebalance`, { method: 'POST', body });
    state.job = start.jobId;
    $('#planner-job').hidden = false;
    $('#planner-job').dataset.status = 'RUNNING';
    $('#planner-cancel').disabled = false;
    $('#planner-rebalance').disabled = true;
    try {
      const job = await plans.pollJob(start.jobId, showJob);
      if (job.status === 'DONE') {
        state.compareWith = base;
        await plans.loadPlans();
        await plans.openPlan(job.result.planId, { keepCompare: true });
        await plans.refreshComparison();
        ui.notice(
          t('planner.rebalanced', { moved: job.result.unitsMoved, seconds: formatNumber(job.result.seconds, 1) }),
        );
      } else if (job.status === 'FAILED') {
        ui.problem({ problem: { title: t('planner.job.FAILED'), detail: job.error ?? '' } });
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
    state.validation = await api(`/api/v1/plans/${state.plan.id}/validate`, {
      method: 'POST',
      body: bandOf($('#planner-band').value),
    });
    view.problemSource.clear();
    renderValidation();
  }

  async function adopt() {
    const effectiveFrom = localInputToIso($('#planner-effective').value);
    if (!effectiveFrom) {
      ui.problem({ problem: { title: t('planner.effectiveMissing'), detail: '', field: '/effectiveFrom' } });
      return;
    }
    const body = { effectiveFrom, expectedVersion: state.plan.version, ...bandOf($('#planner-band').value) };
    try {
      const adopted = await api(`/api/v1/plans/${state.plan.id}/adopt`, { method: 'POST', body });
      $('#planner-adopted').replaceChildren(
        el(
          'p',
          { id: 'planner-adopted-text', className: 'planner-ok', dataset: { planId: String(adopted.id) } },
          t('planner.adopted', { name: adopted.name, from: formatDateTime(adopted.effectiveFrom) }),
        ),
      );
      await plans.loadPlans();
      await plans.openPlan(adopted.id, { keepCompare: true });
    } catch (err) {
      if (isStaleVersion(err)) return plans.handleEditError(err, state.plan.id);
      throw err;
    }
  }

  function renderCompare() {
    const box = $('#planner-compare');
    box.replaceChildren();
    const c = state.comparison;
    view.renderLegend();
    if (!c) return;
    box.append(el('h2', {}, t('planner.proposal', { base: c.a, plan: c.b })));
    const counts = el('dl', { className: 'gg-facts', id: 'planner-compare-counts' });
    const add = (key, value, id) => counts.append(el('dt', {}, t(key)), el('dd', id ? { id } : {}, value));
    add('planner.cmp.unitsMoved', formatMoved(c), 'planner-units-moved');
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
      body.append(
        el(
          'tr',
          { dataset: { metric: r.key } },
          el('td', {}, t(`planner.metric.${r.key}`)),
          el('td', {}, formatMetric(r.key, r.before)),
          el(
            'td',
            { className: r.better === true ? 'planner-better' : r.better === false ? 'planner-worse' : '' },
            formatMetric(r.key, r.after),
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
    $('#planner-adopt').disabled = !plans.isDraft() || state.busy;
    if (!v) return;
    box.append(
      el(
        'p',
        { id: 'planner-valid', className: v.valid ? 'planner-ok' : 'planner-bad', dataset: { valid: String(v.valid) } },
        v.valid ? t('planner.valid') : t('planner.invalid', { count: v.problemCount ?? v.problems.length }),
      ),
    );
    for (const group of groupProblems(v.problems)) {
      const warning = group.severity === 'warning';
      box.append(
        el(
          'h3',
          { className: warning ? 'planner-warning' : '', dataset: { severity: group.severity } },
          `${tk('planner.problem', group.type)} (${group.problems.length})`,
          warning ? ` · ${t('planner.warning')}` : null,
        ),
      );
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
              on: { click: () => view.zoomTo(p) },
            },
            p.message,
          ),
        );
        ul.append(item);
      }
      box.append(ul);
    }
  }

  $('#planner-rebalance').addEventListener('click', () => ui.guarded(rebalance));
  $('#planner-cancel').addEventListener('click', () => ui.guarded(cancelJob));
  $('#planner-validate').addEventListener('click', () => ui.guarded(validate));
  $('#planner-adopt').addEventListener('click', () => ui.guarded(adopt));

  return {
    renderCompare,
    render() {
      renderCompare();
      renderValidation();
    },
  };
}
