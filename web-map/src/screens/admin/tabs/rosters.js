// Tab "rosters": a week of shifts, one row per person (GET /api/v1/rosters), filtered by grid or
// community; shifts added for a person over a range of dates (POST /api/v1/rosters) and deleted
// one at a time (DELETE /api/v1/rosters/{id}); the leave of the week (GET /api/v1/leave), leave
// recorded (POST /api/v1/leave) and cancelled (DELETE /api/v1/leave/{id}); and who is on duty for
// a grid at a time, and why (GET /api/v1/rosters/on-duty). A problem naming a field (409
// shift-overlap at /from, leave-overlap at /start, 403 at /staffId, 422) is shown under it.
// Pure helpers: ../rosterLogic.js. Server side: roster/RosterRoutes (docs/rosters.md).
import { api } from '../../../api/client.js';
import { showProblem } from '../../../app/problem.js';
import { t, getLang, applyI18n } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { staffLabel, sortStaff } from '../logic.js';
import {
  LEAVE_KINDS,
  SHIFT_DAYS,
  SHIFT_FIELDS,
  LEAVE_FIELDS,
  weekStart,
  weekDays,
  addDays,
  todayIn,
  zoned,
  weekQuery,
  weekRows,
  inPlace,
  localText,
  clockText,
  validateShifts,
  shiftsBody,
  validateLeave,
  leaveBody,
  problemField,
  rosterWord,
} from '../rosterLogic.js';
import { ZONE, field, options, renderFormState } from './forms.js';

const HTML = `
    <div class="admin-toolbar gg-form">
      <div class="admin-filter">
        <label for="admin-roster-week" data-i18n="admin.roster.week"></label>
        <input id="admin-roster-week" type="date">
      </div>
      <div class="admin-filter">
        <label for="admin-roster-grid" data-i18n="admin.roster.grid"></label>
        <select id="admin-roster-grid"></select>
      </div>
      <div class="admin-filter">
        <label for="admin-roster-community" data-i18n="admin.roster.community"></label>
        <select id="admin-roster-community"></select>
      </div>
      <div class="admin-toolbar-actions">
        <button type="button" class="admin-secondary" id="admin-roster-prev" data-i18n="admin.roster.prev"></button>
        <button type="button" class="admin-secondary" id="admin-roster-next" data-i18n="admin.roster.next"></button>
        <button type="button" class="admin-secondary" id="admin-roster-refresh" data-i18n="admin.refresh"></button>
      </div>
    </div>
    <div id="admin-roster-problem" hidden></div>
    <p class="gg-hint admin-hint" data-i18n="admin.roster.rule"></p>
    <div class="admin-table-wrap">
      <table class="admin-table admin-week" id="admin-roster-table">
        <thead><tr></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="admin-empty" id="admin-roster-empty" data-i18n="admin.roster.empty" hidden></p>

    <h2 class="admin-subtitle" data-i18n="admin.roster.addTitle"></h2>
    <form class="gg-form admin-form admin-inline-form" id="admin-shift-form" novalidate>
      <div class="admin-form-grid">
      ${field('shift', 'staffId', 'admin.roster.person', '<select id="admin-shift-staffId" name="staffId"></select>')}
      ${field('shift', 'from', 'admin.roster.from', '<input id="admin-shift-from" name="from" type="date">')}
      ${field('shift', 'to', 'admin.roster.to', '<input id="admin-shift-to" name="to" type="date">')}
      ${field('shift', 'start', 'admin.roster.start', '<input id="admin-shift-start" name="start" type="time" value="08:30">')}
      ${field('shift', 'end', 'admin.roster.end', '<input id="admin-shift-end" name="end" type="time" value="17:30">')}
      ${field('shift', 'days', 'admin.roster.days', '<select id="admin-shift-days" name="days"></select>')}
      ${field('shift', 'note', 'admin.roster.note', '<input id="admin-shift-note" name="note" autocomplete="off">')}
      </div>
      <div id="admin-shift-form-problem" class="admin-form-problem" hidden></div>
      <div class="admin-dialog-buttons">
        <button type="submit" class="gg-button" id="admin-shift-save" data-i18n="admin.roster.addShifts"></button>
      </div>
    </form>

    <h2 class="admin-subtitle" data-i18n="admin.roster.leaveTitle"></h2>
    <div class="admin-table-wrap">
      <table class="admin-table" id="admin-leave-table">
        <thead><tr>
          <th scope="col" data-i18n="admin.roster.person"></th>
          <th scope="col" data-i18n="admin.roster.kind"></th>
          <th scope="col" data-i18n="admin.roster.leaveFrom"></th>
          <th scope="col" data-i18n="admin.roster.leaveTo"></th>
          <th scope="col" data-i18n="admin.roster.substitute"></th>
          <th scope="col" data-i18n="admin.col.actions"></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="admin-empty" id="admin-leave-empty" data-i18n="admin.roster.noLeave" hidden></p>
    <form class="gg-form admin-form admin-inline-form" id="admin-leave-form" novalidate>
      <div class="admin-form-grid">
      ${field('leave', 'staffId', 'admin.roster.person', '<select id="admin-leave-staffId" name="staffId"></select>')}
      ${field('leave', 'kind', 'admin.roster.kind', '<select id="admin-leave-kind" name="kind"></select>')}
      ${field('leave', 'start', 'admin.roster.leaveFrom', '<input id="admin-leave-start" name="start" type="datetime-local">')}
      ${field('leave', 'end', 'admin.roster.leaveTo', '<input id="admin-leave-end" name="end" type="datetime-local">')}
      ${field('leave', 'substituteId', 'admin.roster.substituteOptional', '<select id="admin-leave-substituteId" name="substituteId"></select>')}
      ${field('leave', 'note', 'admin.roster.note', '<input id="admin-leave-note" name="note" autocomplete="off">')}
      </div>
      <div id="admin-leave-form-problem" class="admin-form-problem" hidden></div>
      <div class="admin-dialog-buttons">
        <button type="submit" class="gg-button" id="admin-leave-save" data-i18n="admin.roster.recordLeave"></button>
      </div>
    </form>

    <h2 class="admin-subtitle" data-i18n="admin.roster.onDutyTitle"></h2>
    <form class="gg-form admin-form admin-inline-form" id="admin-duty-form" novalidate>
      <div class="admin-form-grid">
        <div class="admin-field">
          <label for="admin-duty-grid" data-i18n="admin.roster.grid"></label>
          <select id="admin-duty-grid"></select>
        </div>
        <div class="admin-field">
          <label for="admin-duty-at" data-i18n="admin.roster.at"></label>
          <input id="admin-duty-at" type="datetime-local">
        </div>
      </div>
      <div class="admin-dialog-buttons">
        <button type="submit" class="gg-button" id="admin-duty-ask" data-i18n="admin.roster.ask"></button>
      </div>
    </form>
    <div id="admin-duty-problem" hidden></div>
    <div class="admin-duty-answer" id="admin-duty-answer" role="status" hidden></div>`;

export function create(ctx) {
  const panel = el('section', { className: 'admin-section', dataset: { panel: 'rosters' } });
  panel.innerHTML = HTML;
  const $ = (sel) => panel.querySelector(sel);
  const view = { zone: ZONE, monday: weekStart(todayIn(ZONE)), gridId: '', communityId: '' };
  const data = { shifts: [], leave: [], loaded: false, busy: false, duty: null };
  const forms = {
    shift: { fields: SHIFT_FIELDS, errors: [], problem: null, busy: false },
    leave: { fields: LEAVE_FIELDS, errors: [], problem: null, busy: false },
  };

  // ---- the week

  function gridOptions(select, value, allKey) {
    const lookups = ctx.lookups();
    const grids = [...lookups.grids].sort(([, a], [, b]) => String(a.code).localeCompare(String(b.code)));
    options(
      select,
      [['', t(allKey)], ...grids.map(([id, g]) => [String(id), `${g.name || g.code} (${g.code})`])],
      value,
    );
  }

  function renderFilters() {
    $('#admin-roster-week').value = view.monday;
    gridOptions($('#admin-roster-grid'), view.gridId, 'admin.roster.allGrids');
    const lookups = ctx.lookups();
    const communities = [...lookups.communities].sort(([, a], [, b]) => String(a).localeCompare(String(b), getLang()));
    options(
      $('#admin-roster-community'),
      [['', t('admin.roster.allCommunities')], ...communities.map(([id, name]) => [String(id), name])],
      view.communityId,
    );
  }

  function personOptions(select, { optional = false } = {}) {
    const value = select.value;
    const people = sortStaff(
      ctx.state.staff.filter((s) => s.active !== false),
      getLang(),
    );
    options(
      select,
      [
        ['', t(optional ? 'admin.roster.none' : 'admin.form.choose')],
        ...people.map((s) => [String(s.id), `${s.name} (${s.username})`]),
      ],
      value,
    );
  }

  function shiftChip(s) {
    return el(
      'span',
      { className: 'admin-shift', dataset: { shiftId: String(s.id) } },
      `${clockText(s.start)}–${clockText(s.end)}`,
      el('button', {
        type: 'button',
        className: 'admin-chip-delete',
        title: t('admin.roster.deleteShift'),
        'aria-label': t('admin.roster.deleteShiftAt', { time: localText(s.start) }),
        dataset: { action: 'delete-shift', shiftId: String(s.id) },
        textContent: '×',
        on: { click: () => deleteShift(s) },
      }),
    );
  }

  function renderWeek() {
    renderFilters();
    const days = weekDays(view.monday);
    const lang = getLang();
    $('#admin-roster-table thead tr').replaceChildren(
      el('th', { scope: 'col' }, t('admin.roster.person')),
      ...days.map((d) =>
        el(
          'th',
          { scope: 'col', dataset: { date: d } },
          new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(
            new Date(`${d}T00:00:00Z`),
          ),
        ),
      ),
    );
    const rows = weekRows({
      shifts: data.shifts,
      leave: data.leave,
      staff: ctx.state.staff,
      days,
      filter: { gridId: view.gridId, communityId: view.communityId },
      grids: ctx.lookups().grids,
      lang,
    });
    const lookups = ctx.lookups();
    $('#admin-roster-table tbody').replaceChildren(
      ...rows.map((r) =>
        el(
          'tr',
          { dataset: { staffId: String(r.staffId) } },
          el('th', { scope: 'row' }, staffLabel(r.staffId, lookups)),
          ...days.map((d) => {
            const c = r.days[d];
            const leave = c.leave.map((l) =>
              el(
                'span',
                { className: 'admin-leave-mark', dataset: { leaveId: String(l.id) } },
                rosterWord('kind', l.kind),
              ),
            );
            const content =
              c.shifts.length || leave.length
                ? [...leave, ...c.shifts.map(shiftChip)]
                : [el('span', { className: 'admin-all-day' }, t('admin.roster.allDay'))];
            return el('td', { dataset: { date: d } }, ...content);
          }),
        ),
      ),
    );
    $('#admin-roster-empty').hidden = !data.loaded || rows.length > 0;
    renderLeave();
    panel.dataset.loaded = String(data.loaded);
  }

  function renderLeave() {
    const lookups = ctx.lookups();
    const filter = { gridId: view.gridId, communityId: view.communityId };
    const byId = new Map(ctx.state.staff.map((s) => [s.id, s]));
    const shown = data.leave.filter(
      (l) =>
        l.cancelledAt === null &&
        (!(filter.gridId || filter.communityId) ||
          (byId.has(l.staffId) && inPlace(byId.get(l.staffId), filter, lookups.grids))),
    );
    $('#admin-leave-table tbody').replaceChildren(
      ...shown.map((l) =>
        el(
          'tr',
          { dataset: { leaveId: String(l.id), staffId: String(l.staffId) } },
          el('td', {}, staffLabel(l.staffId, lookups)),
          el('td', {}, rosterWord('kind', l.kind)),
          el('td', {}, localText(l.start)),
          el('td', {}, localText(l.end)),
          el('td', {}, l.substituteId ? staffLabel(l.substituteId, lookups) : '—'),
          el(
            'td',
            { className: 'admin-actions' },
            el(
              'button',
              {
                type: 'button',
                className: 'admin-action admin-action-danger',
                dataset: { action: 'cancel-leave', leaveId: String(l.id) },
                on: { click: () => cancelLeave(l) },
              },
              t('admin.roster.cancelLeave'),
            ),
          ),
        ),
      ),
    );
    $('#admin-leave-empty').hidden = !data.loaded || shown.length > 0;
  }

  let loads = 0; // only the latest load's answer is shown (a week changed meanwhile, a write)
  async function load() {
    const mine = ++loads;
    data.busy = true;
    showProblem($('#admin-roster-problem'), null);
    try {
      const q = weekQuery(view.monday);
      const [shifts, leave] = await Promise.all([
        api(`/api/v1/rosters?${q}&limit=5000`),
        api(`/api/v1/leave?${q}&limit=5000`),
      ]);
      if (mine !== loads) return;
      data.shifts = shifts.shifts;
      data.leave = leave.leave;
      if (shifts.timeZone) view.zone = shifts.timeZone;
      data.loaded = true;
    } catch (err) {
      if (mine !== loads) return;
      showProblem($('#admin-roster-problem'), err);
    } finally {
      if (mine === loads) data.busy = false;
    }
    renderWeek();
  }

  function moveWeek(days) {
    view.monday = weekStart(addDays(view.monday, days));
    load();
  }

  $('#admin-roster-week').addEventListener('change', (e) => {
    if (!e.target.value) return;
    view.monday = weekStart(e.target.value);
    load();
  });
  $('#admin-roster-prev').addEventListener('click', () => moveWeek(-7));
  $('#admin-roster-next').addEventListener('click', () => moveWeek(7));
  $('#admin-roster-refresh').addEventListener('click', () => load());
  $('#admin-roster-grid').addEventListener('change', (e) => {
    view.gridId = e.target.value;
    if (view.gridId) view.communityId = '';
    renderWeek();
  });
  $('#admin-roster-community').addEventListener('change', (e) => {
    view.communityId = e.target.value;
    if (view.communityId) view.gridId = '';
    renderWeek();
  });

  async function deleteShift(s) {
    const ok = await ctx.dialogs.confirm({
      title: t('admin.roster.confirmDeleteTitle'),
      text: t('admin.roster.confirmDelete', { name: staffLabel(s.staffId, ctx.lookups()), time: localText(s.start) }),
      ok: t('admin.roster.deleteShift'),
    });
    if (!ok) return;
    try {
      await api(`/api/v1/rosters/${s.id}`, { method: 'DELETE' });
      ctx.notice('admin.roster.notice.shiftDeleted', { time: localText(s.start) });
      await load();
    } catch (err) {
      showProblem($('#admin-roster-problem'), err);
    }
  }

  async function cancelLeave(l) {
    const ok = await ctx.dialogs.confirm({
      title: t('admin.roster.confirmCancelTitle'),
      text: t('admin.roster.confirmCancel', {
        name: staffLabel(l.staffId, ctx.lookups()),
        from: localText(l.start),
        to: localText(l.end),
      }),
      ok: t('admin.roster.cancelLeave'),
    });
    if (!ok) return;
    try {
      await api(`/api/v1/leave/${l.id}`, { method: 'DELETE' });
      ctx.notice('admin.roster.notice.leaveCancelled', { name: staffLabel(l.staffId, ctx.lookups()) });
      await load();
    } catch (err) {
      showProblem($('#admin-roster-problem'), err);
    }
  }

  // ---- the forms: each field's mark, or the problem above the buttons

  function renderForm(name) {
    renderFormState($, name, forms[name], `admin-${name}-form-problem`);
  }

  function read(name) {
    const out = {};
    for (const fieldName of forms[name].fields) out[fieldName] = $(`#admin-${name}-${fieldName}`).value;
    return out;
  }

  async function submit(name, validate, send, done) {
    const f = forms[name];
    if (f.busy) return;
    const values = read(name);
    f.errors = validate(values);
    f.problem = f.errors.length ? { titleKey: 'admin.invalid.title' } : null;
    if (f.errors.length) {
      renderForm(name);
      $(`#admin-${name}-${f.errors[0].field}`).focus();
      return;
    }
    f.busy = true;
    renderForm(name);
    try {
      const answer = await send(values);
      f.busy = false;
      f.errors = [];
      f.problem = null;
      renderForm(name);
      await done(answer, values);
    } catch (err) {
      f.busy = false;
      const problem = err?.problem;
      const at = problemField(problem, f.fields);
      if (at && problem.detail) {
        f.errors = [{ field: at, text: problem.detail }];
        f.problem = { title: problem.title };
      } else {
        f.errors = [];
        f.problem = { error: err };
      }
      renderForm(name);
      if (at) $(`#admin-${name}-${at}`).focus();
    }
  }

  $('#admin-shift-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit(
      'shift',
      validateShifts,
      (v) => api('/api/v1/rosters', { method: 'POST', body: shiftsBody(v) }),
      async (answer, v) => {
        ctx.notice('admin.roster.notice.shiftsAdded', {
          count: answer.shifts.length,
          name: staffLabel(Number(v.staffId), ctx.lookups()),
        });
        await load();
      },
    );
  });
  $('#admin-leave-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit(
      'leave',
      validateLeave,
      (v) => api('/api/v1/leave', { method: 'POST', body: leaveBody(v) }),
      async (answer) => {
        ctx.notice('admin.roster.notice.leaveRecorded', { name: staffLabel(answer.staffId, ctx.lookups()) });
        await load();
      },
    );
  });
  for (const name of Object.keys(forms))
    for (const fieldName of forms[name].fields)
      for (const type of ['input', 'change'])
        $(`#admin-${name}-${fieldName}`).addEventListener(type, () => {
          const f = forms[name];
          if (!f.errors.some((x) => x.field === fieldName)) return;
          f.errors = f.errors.filter((x) => x.field !== fieldName);
          if (!f.errors.length && f.problem && !f.problem.error) f.problem = null;
          renderForm(name);
        });

  // ---- who is on duty

  function renderDuty() {
    const box = $('#admin-duty-answer');
    const d = data.duty;
    if (!d) {
      box.hidden = true;
      return;
    }
    const lookups = ctx.lookups();
    const who = d.staffId === null ? t('admin.roster.nobody') : staffLabel(d.staffId, lookups);
    const person = (key, id) =>
      el('li', {}, `${t(key)}${t('admin.log.colon')}${id === null ? '—' : staffLabel(id, lookups)}`);
    box.replaceChildren(
      el(
        'p',
        { className: 'admin-duty-who', dataset: { staffId: String(d.staffId ?? ''), reason: d.reason } },
        t('admin.roster.onDutyIs', { at: localText(d.at), who }),
        ' ',
        el('strong', { className: 'admin-duty-reason' }, rosterWord('reason', d.reason)),
      ),
      el(
        'ul',
        {},
        person('admin.roster.worker', d.workerId),
        person('admin.roster.backup', d.backupWorkerId),
        person('admin.roster.leader', d.gridLeaderId),
      ),
    );
    box.hidden = false;
  }

  $('#admin-duty-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    showProblem($('#admin-duty-problem'), null);
    const gridId = $('#admin-duty-grid').value;
    const at = $('#admin-duty-at').value;
    if (!gridId) {
      showProblem($('#admin-duty-problem'), { problem: { title: t('admin.roster.invalid.grid'), detail: '' } });
      return;
    }
    try {
      const q = new URLSearchParams({ gridId });
      if (at) q.set('at', zoned(at, view.zone));
      data.duty = await api(`/api/v1/rosters/on-duty?${q}`);
    } catch (err) {
      data.duty = null;
      showProblem($('#admin-duty-problem'), err);
    }
    renderDuty();
  });

  function renderForms() {
    personOptions($('#admin-shift-staffId'));
    personOptions($('#admin-leave-staffId'));
    personOptions($('#admin-leave-substituteId'), { optional: true });
    options(
      $('#admin-shift-days'),
      SHIFT_DAYS.map((d) => [d, rosterWord('days', d)]),
      $('#admin-shift-days').value || 'WORKING',
    );
    options(
      $('#admin-leave-kind'),
      LEAVE_KINDS.map((k) => [k, rosterWord('kind', k)]),
      $('#admin-leave-kind').value || 'ANNUAL',
    );
    gridOptions($('#admin-duty-grid'), $('#admin-duty-grid').value, 'admin.form.choose');
    for (const name of Object.keys(forms)) renderForm(name);
  }

  function render() {
    applyI18n(panel);
    renderForms();
    renderWeek();
    renderDuty();
  }

  ctx.onStaffChange(() => {
    renderForms();
    if (data.loaded) renderWeek();
  });

  let shown = false;
  return {
    panel,
    show() {
      if (!shown) {
        shown = true;
        $('#admin-shift-from').value = view.monday;
        $('#admin-shift-to').value = addDays(view.monday, 4);
      }
      ctx.loadStaff().catch((err) => showProblem($('#admin-roster-problem'), err));
      ctx.loadPlaces();
      render();
      load();
    },
    render,
  };
}
