// Tab "history": every plan — the one in effect first, then adopted ones and drafts — with status
// and effective period; each opens.
import { t, formatDateTime } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { sortPlans, statusKey } from '../logic.js';

export const html = `
      <section data-panel="history" class="planner-section">
        <table class="planner-table" id="planner-history">
          <thead><tr>
            <th data-i18n="planner.history.name"></th><th data-i18n="planner.history.status"></th>
            <th data-i18n="planner.history.from"></th><th data-i18n="planner.history.to"></th><th></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </section>`;

export function createHistoryTab({ $, state, ui, plans }) {
  function render() {
    const body = $('#planner-history tbody');
    body.replaceChildren(
      ...sortPlans(state.plans).map((p) =>
        el(
          'tr',
          { dataset: { planId: String(p.id) }, className: p.id === state.plan?.id ? 'planner-current-row' : '' },
          el('td', {}, `${p.name} (#${p.id})`),
          el('td', { className: `planner-status-${p.status}` }, t(statusKey(p))),
          el('td', {}, p.effectiveFrom ? formatDateTime(p.effectiveFrom) : '—'),
          el('td', {}, p.effectiveTo ? formatDateTime(p.effectiveTo) : '—'),
          el(
            'td',
            {},
            el(
              'button',
              {
                type: 'button',
                className: 'planner-link',
                on: { click: () => ui.guarded(() => plans.openPlan(p.id)) },
              },
              t('planner.open'),
            ),
          ),
        ),
      ),
    );
  }

  return { render };
}
