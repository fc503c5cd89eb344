// Tab "grid": layer toggles, the picked grid's statistics and the plan's deviation summary.
import { t } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { formatDeviation, formatNumber, formatSpread, deviationSummary, staffName } from '../logic.js';

export const html = `
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
      </section>`;

export function createGridTab({ $, state, view, plans }) {
  const { layers } = view;
  const fmt = formatNumber;

  function renderStats() {
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
    add('planner.stat.worker', staffName(state.workers, plans.workerOf(g.id)));
    add('planner.stat.backupWorker', staffName(state.workers, plans.backupOf(g.id)));
    box.append(el('h2', {}, t('planner.gridStats')), dl);
  }

  function renderSummary() {
    const box = $('#planner-summary');
    const summary = deviationSummary(state.grids);
    if (!summary) {
      box.replaceChildren();
      return;
    }
    box.replaceChildren(
      el(
        'p',
        { className: 'gg-hint' },
        t('planner.summary', { grids: summary.grids, max: formatSpread(summary.maxDeviation) }),
      ),
    );
  }

  $('#planner-show-communities').addEventListener('change', (e) => {
    layers.communities.setVisible(e.target.checked);
    layers.labels.setVisible(e.target.checked);
  });
  $('#planner-show-units').addEventListener('change', (e) => layers.baseUnits?.setVisible(e.target.checked));
  $('#planner-show-grids').addEventListener('change', (e) => view.gridLayer.setVisible(e.target.checked));
  $('#planner-show-base').addEventListener('change', (e) => view.baseLayer.setVisible(e.target.checked));
  if (!layers.baseUnits) $('#planner-show-units').disabled = true;

  return {
    renderStats,
    render() {
      renderStats();
      renderSummary();
    },
  };
}
