// Tab "staff": every account (GET /api/v1/staff, disabled ones too) filtered by name, role and
// status; a new member of staff (POST /api/v1/staff) and changes (PATCH /api/v1/staff/{id}, only
// what changed) in a form dialog; disable and enable; a password reset
// (POST /api/v1/staff/{id}/password-reset). A new account's or a reset's one-time password is
// shown once (dialogs.js). A problem naming a field is shown under that field.
import { api } from '../../../api/client.js';
import { session } from '../../../api/session.js';
import { showProblem } from '../../../app/problem.js';
import { t, getLang, applyI18n } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';
import { PLATFORMS } from '../../../shared/taxonomy.js';
import {
  ROLES,
  EMPLOYMENTS,
  SCOPE_TYPES,
  FORM_FIELDS,
  defaultScopeType,
  defaultSubdistrictId,
  picksSubdistrict,
  filterStaff,
  sortStaff,
  upsertStaff,
  emptyForm,
  formOf,
  validateStaff,
  createBody,
  patchBody,
  fieldOfProblem,
  scopeLabel,
  roleName,
  employmentName,
} from '../logic.js';

function field(name, labelKey, control, hintKey) {
  return `
        <div class="admin-field" data-field="${name}">
          <label for="admin-f-${name}" data-i18n="${labelKey}"></label>
          ${control}
          ${hintKey ? `<p class="gg-hint admin-hint" id="admin-f-${name}-hint" data-i18n="${hintKey}"></p>` : ''}
          <p class="admin-field-error" id="admin-f-${name}-error"></p>
        </div>`;
}

const described = (name, hint) => `aria-describedby="${hint ? `admin-f-${name}-hint ` : ''}admin-f-${name}-error"`;

const HTML = `
    <div class="admin-toolbar gg-form">
      <div class="admin-filter admin-filter-text">
        <label for="admin-filter-text" data-i18n="admin.filter.text"></label>
        <input id="admin-filter-text" type="search" autocomplete="off" spellcheck="false"
               data-i18n-attr="placeholder:admin.filter.textPlaceholder">
      </div>
      <div class="admin-filter">
        <label for="admin-filter-role" data-i18n="admin.filter.role"></label>
        <select id="admin-filter-role"></select>
      </div>
      <div class="admin-filter">
        <label for="admin-filter-active" data-i18n="admin.filter.active"></label>
        <select id="admin-filter-active"></select>
      </div>
      <div class="admin-toolbar-actions">
        <button type="button" class="admin-secondary" id="admin-staff-refresh" data-i18n="admin.refresh"></button>
        <button type="button" class="gg-button" id="admin-staff-new" data-i18n="admin.new"></button>
      </div>
    </div>
    <div id="admin-staff-problem" hidden></div>
    <p class="admin-count" id="admin-staff-count" aria-live="polite"></p>
    <div class="admin-table-wrap">
      <table class="admin-table" id="admin-staff-table">
        <thead><tr>
          <th scope="col" data-i18n="admin.col.name"></th>
          <th scope="col" data-i18n="admin.col.username"></th>
          <th scope="col" data-i18n="admin.col.role"></th>
          <th scope="col" data-i18n="admin.col.scope"></th>
          <th scope="col" data-i18n="admin.col.employment"></th>
          <th scope="col" data-i18n="admin.col.status"></th>
          <th scope="col" data-i18n="admin.col.actions"></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <p class="admin-empty" id="admin-staff-empty" data-i18n="admin.empty" hidden></p>
    <dialog class="admin-dialog admin-form-dialog" id="admin-staff-dialog" aria-labelledby="admin-staff-form-title">
      <form class="gg-form admin-form" id="admin-staff-form" novalidate>
        <h2 id="admin-staff-form-title"></h2>
        <div class="admin-form-grid">
        ${field(
          'username',
          'admin.form.username',
          `<input id="admin-f-username" name="username" autocomplete="off" autocapitalize="off" spellcheck="false" ${described('username', true)}>`,
          'admin.form.usernameHint',
        )}
        ${field('name', 'admin.form.name', `<input id="admin-f-name" name="name" autocomplete="off" ${described('name')}>`)}
        ${field('phone', 'admin.form.phone', `<input id="admin-f-phone" name="phone" type="tel" autocomplete="off" ${described('phone')}>`)}
        ${field('role', 'admin.form.role', `<select id="admin-f-role" name="role" ${described('role')}></select>`)}
        <fieldset class="admin-field admin-scope" data-field="scope" aria-describedby="admin-f-scope-error">
          <legend data-i18n="admin.form.scope"></legend>
          <div class="admin-scope-row">
            <div>
              <label for="admin-f-scope-type" data-i18n="admin.form.scopeType"></label>
              <select id="admin-f-scope-type" name="scopeType"></select>
            </div>
            <div id="admin-f-grid-wrap" hidden>
              <label for="admin-f-grid" data-i18n="admin.form.grid"></label>
              <select id="admin-f-grid" name="gridId"></select>
            </div>
            <div id="admin-f-community-wrap" hidden>
              <label for="admin-f-community" data-i18n="admin.form.community"></label>
              <select id="admin-f-community" name="communityId"></select>
            </div>
            <div id="admin-f-platform-wrap" hidden>
              <label for="admin-f-platform" data-i18n="admin.form.platform"></label>
              <select id="admin-f-platform" name="platform"></select>
            </div>
            <div id="admin-f-subdistrict-wrap" hidden>
              <label for="admin-f-subdistrict" data-i18n="admin.form.subdistrict"></label>
              <select id="admin-f-subdistrict" name="subdistrictId"></select>
            </div>
          </div>
          <p class="admin-field-error" id="admin-f-scope-error"></p>
        </fieldset>
        ${field('employment', 'admin.form.employment', `<select id="admin-f-employment" name="employment" ${described('employment')}></select>`)}
        </div>
        <p class="gg-hint admin-hint" id="admin-staff-password-note" data-i18n="admin.form.passwordNote"></p>
        <div id="admin-staff-form-problem" class="admin-form-problem" hidden></div>
        <div class="admin-dialog-buttons">
          <button type="button" class="admin-secondary" id="admin-staff-cancel" data-i18n="admin.form.cancel"></button>
          <button type="submit" class="gg-button" id="admin-staff-save"></button>
        </div>
      </form>
    </dialog>`;

/** The ids of the form's controls, by form field (the scope's first control stands for it). */
const CONTROL = {
  username: 'admin-f-username',
  name: 'admin-f-name',
  phone: 'admin-f-phone',
  role: 'admin-f-role',
  scope: 'admin-f-scope-type',
  employment: 'admin-f-employment',
};

function options(select, items, value) {
  select.replaceChildren(...items.map(([v, label]) => el('option', { value: v }, label)));
  select.value = value ?? '';
}

export function create(ctx) {
  const panel = el('section', { className: 'admin-section', dataset: { panel: 'staff' } });
  panel.innerHTML = HTML;
  const $ = (sel) => panel.querySelector(sel);
  const dialog = $('#admin-staff-dialog');
  const form = $('#admin-staff-form');
  // the controls by name (not form.name / form.role: a form element has properties of those names)
  const f = {
    username: $('#admin-f-username'),
    name: $('#admin-f-name'),
    phone: $('#admin-f-phone'),
    role: $('#admin-f-role'),
    scopeType: $('#admin-f-scope-type'),
    gridId: $('#admin-f-grid'),
    communityId: $('#admin-f-community'),
    platform: $('#admin-f-platform'),
    subdistrictId: $('#admin-f-subdistrict'),
    employment: $('#admin-f-employment'),
  };
  const filter = { text: '', role: '', active: '' };
  // the form dialog: create or edit, the account being edited, what is marked, whether sending
  const edit = { mode: null, account: null, errors: [], problem: null, busy: false, scopeTouched: false };
  let rowBusy = null; // the id of the account a row action is being sent for
  let loaded = false;

  const me = () => Number(session()?.claims?.sub ?? 0);

  // ---- the list ----

  function renderFilters() {
    options(
      $('#admin-filter-role'),
      [['', t('admin.filter.allRoles')], ...ROLES.map((r) => [r, roleName(r)])],
      filter.role,
    );
    options(
      $('#admin-filter-active'),
      [
        ['', t('admin.filter.all')],
        ['true', t('admin.status.active')],
        ['false', t('admin.status.disabled')],
      ],
      filter.active,
    );
  }

  function actionButton(action, labelKey, account, extraClass = '') {
    return el(
      'button',
      {
        type: 'button',
        className: `admin-action ${extraClass}`.trim(),
        disabled: rowBusy !== null,
        dataset: { action, staffId: String(account.id) },
        on: { click: () => rowAction(action, account) },
      },
      t(labelKey),
    );
  }

  function row(s, lookups) {
    const self = s.id === me();
    const active = s.active !== false;
    const actions = [actionButton('edit', 'admin.edit', s)];
    if (!self) {
      // an admin does not lock themselves out: no disabling or resetting one's own account here
      actions.push(
        active
          ? actionButton('disable', 'admin.disable', s, 'admin-action-danger')
          : actionButton('enable', 'admin.enable', s),
        actionButton('reset', 'admin.resetPassword', s),
      );
    }
    return el(
      'tr',
      { dataset: { staffId: String(s.id) }, className: active ? '' : 'admin-row-disabled' },
      el(
        'td',
        { className: 'admin-name' },
        s.name ?? '',
        self ? el('span', { className: 'admin-you' }, t('admin.you')) : null,
      ),
      el('td', {}, el('code', { className: 'admin-username' }, s.username ?? '')),
      el('td', {}, (s.roles ?? []).map((r) => roleName(r)).join(', ')),
      el('td', {}, scopeLabel(s.scope, lookups)),
      el('td', {}, employmentName(s.employment)),
      el(
        'td',
        {},
        el(
          'span',
          {
            className: `admin-badge ${active ? 'admin-badge-active' : 'admin-badge-disabled'}`,
            dataset: { active: String(active) },
          },
          t(active ? 'admin.status.active' : 'admin.status.disabled'),
        ),
      ),
      el('td', { className: 'admin-actions' }, ...actions),
    );
  }

  function renderList() {
    renderFilters();
    const count = $('#admin-staff-count');
    if (!loaded) {
      count.textContent = t('admin.loading');
      return;
    }
    const lookups = ctx.lookups();
    const shown = sortStaff(filterStaff(ctx.state.staff, filter), getLang());
    $('#admin-staff-table tbody').replaceChildren(...shown.map((s) => row(s, lookups)));
    count.textContent = t('admin.count', { shown: shown.length, total: ctx.state.staff.length });
    $('#admin-staff-empty').hidden = shown.length > 0;
  }

  async function load(fresh) {
    showProblem($('#admin-staff-problem'), null);
    try {
      await ctx.loadStaff(fresh);
      loaded = true;
    } catch (err) {
      showProblem($('#admin-staff-problem'), err);
    }
    renderList();
    panel.dataset.loaded = String(loaded);
  }

  $('#admin-filter-text').addEventListener('input', (e) => {
    filter.text = e.target.value;
    renderList();
  });
  $('#admin-filter-role').addEventListener('change', (e) => {
    filter.role = e.target.value;
    renderList();
  });
  $('#admin-filter-active').addEventListener('change', (e) => {
    filter.active = e.target.value;
    renderList();
  });
  $('#admin-staff-refresh').addEventListener('click', () => load(true));
  $('#admin-staff-new').addEventListener('click', () => openForm('create'));

  async function rowAction(action, account) {
    if (rowBusy !== null) return;
    if (action === 'edit') return openForm('edit', account);
    const words = { name: account.name, username: account.username };
    if (action === 'disable') {
      const ok = await ctx.dialogs.confirm({
        title: t('admin.confirm.disableTitle'),
        text: t('admin.confirm.disable', words),
        ok: t('admin.confirm.disableOk'),
      });
      if (!ok) return;
    }
    if (action === 'reset') {
      const ok = await ctx.dialogs.confirm({
        title: t('admin.confirm.resetTitle'),
        text: t('admin.confirm.reset', words),
        ok: t('admin.confirm.resetOk'),
      });
      if (!ok) return;
    }
    rowBusy = account.id;
    ctx.notice(null);
    showProblem($('#admin-staff-problem'), null);
    renderList();
    try {
      if (action === 'reset') {
        const answer = await api(`/api/v1/staff/${account.id}/password-reset`, { method: 'POST' });
        ctx.setStaff(upsertStaff(ctx.state.staff, answer));
        rowBusy = null;
        renderList();
        await ctx.dialogs.oneTimePassword(answer, { created: false });
      } else {
        const active = action === 'enable';
        const answer = await api(`/api/v1/staff/${account.id}`, {
          method: 'PATCH',
          body: { active },
          headers: { 'Content-Type': 'application/merge-patch+json' },
        });
        ctx.setStaff(upsertStaff(ctx.state.staff, answer));
        ctx.notice(active ? 'admin.notice.enabled' : 'admin.notice.disabled', { name: answer.name });
      }
    } catch (err) {
      showProblem($('#admin-staff-problem'), err);
    } finally {
      rowBusy = null;
      renderList();
    }
  }

  // ---- the form ----

  function readForm() {
    return {
      username: f.username.value,
      name: f.name.value,
      phone: f.phone.value,
      role: f.role.value,
      scopeType: f.scopeType.value,
      gridId: f.gridId.value,
      communityId: f.communityId.value,
      platform: f.platform.value,
      subdistrictId: f.subdistrictId.value,
      employment: f.employment.value,
    };
  }

  /** The grids of the plan in effect by community, each "name (code)"; an unknown current grid kept by id. */
  function gridOptions(current) {
    const lookups = ctx.lookups();
    const select = $('#admin-f-grid');
    const groups = new Map();
    for (const [id, g] of lookups.grids) {
      const community = lookups.communities.get(Number(g.communityId)) ?? `#${g.communityId}`;
      if (!groups.has(community)) groups.set(community, []);
      groups.get(community).push([id, g]);
    }
    const lang = getLang();
    const children = [el('option', { value: '' }, t('admin.form.choose'))];
    if (current && !lookups.grids.has(Number(current)))
      children.push(el('option', { value: String(current) }, t('admin.scope.gridId', { id: current })));
    for (const [community, grids] of [...groups].sort(([a], [b]) => String(a).localeCompare(String(b), lang))) {
      grids.sort(([, a], [, b]) => String(a.code).localeCompare(String(b.code)));
      children.push(
        el(
          'optgroup',
          { label: community },
          ...grids.map(([id, g]) => el('option', { value: String(id) }, `${g.name || g.code} (${g.code})`)),
        ),
      );
    }
    select.replaceChildren(...children);
    select.value = current ? String(current) : '';
  }

  function communityOptions(current) {
    const lookups = ctx.lookups();
    const items = [...lookups.communities].sort(([, a], [, b]) => String(a).localeCompare(String(b), getLang()));
    if (current && !lookups.communities.has(Number(current)))
      items.unshift([Number(current), t('admin.scope.communityId', { id: current })]);
    options(
      $('#admin-f-community'),
      [['', t('admin.form.choose')], ...items.map(([id, name]) => [String(id), name])],
      current ? String(current) : '',
    );
  }

  /** The subdistricts the caller sees (GET /api/v1/subdistricts), by code; an unknown current one kept by id. */
  function subdistrictOptions(current) {
    const known = ctx.lookups().subdistricts;
    const items = [...known.values()].map((s) => [String(s.id), `${s.name} (${s.code})`]);
    if (current && !known.has(Number(current))) items.unshift([String(current), `#${current}`]);
    options(f.subdistrictId, [['', t('admin.form.choose')], ...items], current ? String(current) : '');
  }

  /** Fills the selects (their labels in the current language) and sets the form's values. */
  function fillForm(values) {
    f.username.value = values.username;
    f.name.value = values.name;
    f.phone.value = values.phone;
    options(f.role, [['', t('admin.form.choose')], ...ROLES.map((r) => [r, roleName(r)])], values.role);
    options(
      f.scopeType,
      SCOPE_TYPES.map((s) => [s, t(`admin.scopeType.${s}`)]),
      values.scopeType,
    );
    gridOptions(values.gridId);
    communityOptions(values.communityId);
    subdistrictOptions(values.subdistrictId);
    options(
      f.platform,
      [['', t('admin.form.choose')], ...PLATFORMS.map((p) => [p, t(`app.platform.${p}`)])],
      values.platform,
    );
    options(
      f.employment,
      EMPLOYMENTS.map((e) => [e, employmentName(e)]),
      values.employment,
    );
    showScopeControl();
  }

  function showScopeControl() {
    const type = f.scopeType.value;
    $('#admin-f-grid-wrap').hidden = type !== 'GRID';
    $('#admin-f-community-wrap').hidden = type !== 'COMMUNITY';
    $('#admin-f-platform-wrap').hidden = type !== 'PLATFORM';
    $('#admin-f-subdistrict-wrap').hidden = !picksSubdistrict(type);
  }

  function renderFormState() {
    const creating = edit.mode === 'create';
    $('#admin-staff-form-title').textContent = creating
      ? t('admin.form.createTitle')
      : t('admin.form.editTitle', { name: edit.account?.name ?? '' });
    f.username.readOnly = !creating;
    f.username.setAttribute('aria-readonly', String(!creating));
    $('#admin-f-username-hint').hidden = !creating;
    $('#admin-staff-password-note').hidden = !creating;
    const save = $('#admin-staff-save');
    save.disabled = edit.busy;
    save.textContent = t(edit.busy ? 'admin.form.saving' : creating ? 'admin.form.create' : 'admin.form.save');
    form.setAttribute('aria-busy', String(edit.busy));
    for (const name of FORM_FIELDS) {
      const error = edit.errors.find((e) => e.field === name);
      const control = $(`#${CONTROL[name]}`);
      if (error) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      $(`[data-field="${name}"]`).classList.toggle('admin-invalid', Boolean(error));
      $(`#admin-f-${name}-error`).textContent = error ? (error.text ?? t(error.key, error.params)) : '';
    }
    renderFormProblem();
  }

  // Above the buttons: the checks' summary, the server's title when its problem names a field (the
  // detail is under the field), or the whole problem when it names none.
  function renderFormProblem() {
    const slot = $('#admin-staff-form-problem');
    const p = edit.problem;
    if (!p) return showProblem(slot, null);
    if (p.error) return showProblem(slot, p.error);
    slot.replaceChildren(
      el(
        'div',
        { className: 'gg-problem', role: 'alert' },
        el('strong', { className: 'gg-problem-title' }, p.titleKey ? t(p.titleKey) : p.title),
      ),
    );
    slot.hidden = false;
  }

  function focusFirstError() {
    const first = FORM_FIELDS.find((f) => edit.errors.some((e) => e.field === f));
    if (first) $(`#${CONTROL[first]}`).focus();
  }

  async function openForm(mode, account) {
    ctx.notice(null);
    showProblem($('#admin-staff-problem'), null);
    let values = emptyForm();
    if (mode === 'edit') {
      try {
        // the list has no phone: the account itself has
        account = await api(`/api/v1/staff/${account.id}`);
      } catch (err) {
        showProblem($('#admin-staff-problem'), err);
        return;
      }
      values = formOf(account);
    }
    Object.assign(edit, {
      mode,
      account: account ?? null,
      errors: [],
      problem: null,
      busy: false,
      scopeTouched: mode === 'edit',
    });
    await ctx.loadPlaces();
    if (mode === 'create') values.subdistrictId = defaultSubdistrictId(ctx.state.subdistricts);
    fillForm(values);
    applyI18n(dialog);
    renderFormState();
    dialog.showModal();
    (mode === 'create' ? f.username : f.name).focus();
  }

  f.role.addEventListener('change', () => {
    // a new account's scope follows its role until the admin picks one
    if (edit.mode === 'create' && !edit.scopeTouched && f.role.value) {
      f.scopeType.value = defaultScopeType(f.role.value);
      showScopeControl();
    }
  });
  f.scopeType.addEventListener('change', () => {
    edit.scopeTouched = true;
    showScopeControl();
  });
  // a corrected field loses its mark at once; the others keep theirs until the next try
  for (const name of FORM_FIELDS)
    for (const type of ['input', 'change'])
      $(`[data-field="${name}"]`).addEventListener(type, () => {
        if (!edit.errors.some((e) => e.field === name)) return;
        edit.errors = edit.errors.filter((e) => e.field !== name);
        if (!edit.errors.length && edit.problem && !edit.problem.error) edit.problem = null;
        renderFormState();
      });
  $('#admin-staff-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('cancel', (e) => {
    if (edit.busy) e.preventDefault(); // Esc while sending: the answer decides
  });
  dialog.addEventListener('close', () => {
    edit.mode = null;
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (edit.busy) return;
    const values = readForm();
    const creating = edit.mode === 'create';
    edit.errors = validateStaff(values, { creating, subdistricts: ctx.lookups().subdistricts.size });
    edit.problem = edit.errors.length ? { titleKey: 'admin.invalid.title' } : null;
    if (edit.errors.length) {
      renderFormState();
      focusFirstError();
      return;
    }
    let body;
    if (!creating) {
      body = patchBody(edit.account, values);
      if (Object.keys(body).length === 0) {
        dialog.close();
        ctx.notice('admin.form.nothingChanged');
        return;
      }
    }
    edit.busy = true;
    renderFormState();
    try {
      const answer = creating
        ? await api('/api/v1/staff', { method: 'POST', body: createBody(values) })
        : await api(`/api/v1/staff/${edit.account.id}`, {
            method: 'PATCH',
            body,
            headers: { 'Content-Type': 'application/merge-patch+json' },
          });
      ctx.setStaff(upsertStaff(ctx.state.staff, answer));
      edit.busy = false;
      dialog.close();
      ctx.notice(creating ? 'admin.notice.created' : 'admin.notice.saved', { name: answer.name });
      if (creating) await ctx.dialogs.oneTimePassword(answer, { created: true });
    } catch (err) {
      edit.busy = false;
      const problem = err?.problem;
      const at = fieldOfProblem(problem);
      if (at && problem.detail) {
        edit.errors = [{ field: at, text: problem.detail }];
        edit.problem = { title: problem.title };
      } else {
        edit.errors = [];
        edit.problem = { error: err };
      }
      renderFormState();
      focusFirstError();
    }
  });

  ctx.onStaffChange(() => {
    if (loaded) renderList();
  });

  return {
    panel,
    show() {
      if (!loaded) load(false);
      else renderList();
    },
    render() {
      renderList();
      if (dialog.open) {
        // the selects' words and the marks in the new language; the typed values stay
        const values = readForm();
        fillForm(values);
        renderFormState();
      }
    },
    dispose() {
      if (dialog.open) dialog.close();
    },
  };
}
