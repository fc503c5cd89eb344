// Tab "import": a plan, units or communities uploaded as a job with its report (problems that zoom,
// what would change), committed when clean; export links for the open plan.
import { api, authHeaders, problemOf, ProblemError } from '../../../api/client.js';
import { t } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { importPath, isAreaImport, committedPlanId, EXPORT_FORMATS, exportFileName } from '../logic.js';
// what POST /api/v1/imports accepts, from openapi.yaml at build time (vite.config.js)
import IMPORT_KINDS from '@server/openapi.yaml?pick=paths./api/v1/imports.post.parameters.kind.schema.enum';
import IMPORT_SRS from '@server/openapi.yaml?pick=paths./api/v1/imports.post.parameters.srs.schema.enum';

export const html = `
      <section data-panel="import" class="planner-section gg-form">
        <label for="planner-import-kind" data-i18n="planner.import.kind"></label>
        <select id="planner-import-kind">
          ${IMPORT_KINDS.map((k) => `<option value="${k}" data-i18n="planner.import.kind.${k}"></option>`).join('')}
        </select>
        <label for="planner-import-file" data-i18n="planner.import.file"></label>
        <input id="planner-import-file" type="file" accept=".geojson,.json,.gpkg,.zip">
        <label for="planner-import-srs" data-i18n="planner.import.srs"></label>
        <select id="planner-import-srs">
          <option value="" data-i18n="planner.import.srsFromFile"></option>
          ${IMPORT_SRS.map((s) => `<option value="${s}">${s}</option>`).join('')}
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
      </section>`;

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

export function createImportTab({ $, state, view, ui, plans }) {
  const { tk } = ui;

  async function upload() {
    const file = $('#planner-import-file').files?.[0];
    if (!file) {
      ui.problem({ problem: { title: t('planner.import.noFile'), detail: '' } });
      return;
    }
    const srs = $('#planner-import-srs').value;
    $('#planner-import-commit').hidden = true;
    $('#planner-import-report').replaceChildren();
    const kind = $('#planner-import-kind').value;
    const start = await uploadFile(importPath(kind, srs), file);
    state.importJob = start.jobId;
    $('#planner-import-job').hidden = false;
    const job = await plans.pollJob(start.jobId, (j) => {
      $('#planner-import-progress').value = j.progress ?? 0;
    });
    $('#planner-import-job').hidden = true;
    if (job.status !== 'DONE') {
      ui.problem({ problem: { title: t(`planner.job.${job.status}`), detail: job.error ?? '' } });
      return;
    }
    renderImportReport(job.result);
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
              on: { click: () => view.zoomTo(p) },
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
    const area = isAreaImport(state.importReport);
    // units and communities are the whole system's base data, not a draft: ask first
    if (area && !globalThis.confirm(t('planner.import.confirmArea'))) return;
    const answer = await api(`/api/v1/imports/${state.importJob}/commit`, { method: 'POST', body: {} });
    $('#planner-import-commit').hidden = true;
    await plans.loadPlans();
    const planId = committedPlanId(answer);
    if (planId) await plans.openPlan(planId);
    if (area) ui.notice(t('planner.import.applied'));
  }

  function renderExport() {
    const box = $('#planner-export');
    box.replaceChildren();
    if (!state.plan) return;
    for (const [format, label] of EXPORT_FORMATS) {
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
      const name = exportFileName(response.headers.get('Content-Disposition'), link.dataset.format);
      const url = URL.createObjectURL(await response.blob());
      const a = el('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      ui.problem(err);
    }
  }

  $('#planner-import').addEventListener('click', () => ui.guarded(upload));
  $('#planner-import-commit').addEventListener('click', () => ui.guarded(commitImport));

  return { render: renderExport };
}
