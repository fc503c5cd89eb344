// The admin screen's decisions, free of the DOM so Vitest checks them: which tab, which staff a
// filter shows, the staff form's checks (the server's rules, said before the round trip), the
// request bodies (a create, a merge patch of what changed), where a problem's field is shown,
// and how an admin log entry reads. Server side: StaffRoutes, docs/access.md.

// the API's own lists, read from openapi.yaml at build time (vite.config.js; StaffApiTest checks
// that the roles are Role's)
import ROLES from '@server/openapi.yaml?pick=components.schemas.StaffFields.properties.roles.items.enum';
import EMPLOYMENTS from '@server/openapi.yaml?pick=components.schemas.StaffFields.properties.employment.enum';
import AUDIT_KINDS from '@server/openapi.yaml?pick=paths./api/v1/audit.get.parameters.kind.schema.enum';
import SCOPE_TYPES from '@server/openapi.yaml?pick=components.schemas.StaffFields.properties.scope.properties.type.enum';
import { PLATFORMS } from '../../shared/taxonomy.js';
import { t, getLang } from '../../i18n/i18n.js';

export { ROLES, EMPLOYMENTS, SCOPE_TYPES };

/** The limits StaffRoutes checks (text(..., max)). */
export const MAX_USERNAME = 64;
export const MAX_NAME = 200;
export const MAX_PHONE = 40;

/** staff.username's CHECK and StaffDirectory.validUsername; openapi.yaml's pattern (Vitest compares). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The tabs in their order; a helper adding a topic adds its id here and a module in tabs/. */
export const TABS = ['staff', 'log', 'rosters', 'reference'];

/** ?tab= → a known tab, else the first. */
export function tabOf(param, tabs = TABS) {
  return tabs.includes(param) ? param : tabs[0];
}

/**
 * The scope a role usually has, as the demo and the routing use them: a grid worker answers for a
 * grid, a leader or cadre for a village/community, platform staff for their platform, the
 * command centre and the rest for the whole subdistrict. The form proposes it; the admin decides.
 */
export function defaultScopeType(role) {
  switch (role) {
    case 'GRID_WORKER':
      return 'GRID';
    case 'GRID_LEADER':
    case 'VILLAGE_CADRE':
      return 'COMMUNITY';
    case 'PLATFORM_HANDLER':
    case 'PLATFORM_COMMANDER':
      return 'PLATFORM';
    case 'DISTRICT_OPERATOR':
    case 'DISTRICT_COMMANDER':
      return 'DISTRICT';
    default:
      return 'SUBDISTRICT';
  }
}

// ---- the list ----

/** The filter's 'active' choice: '' all, 'true' active only, 'false' disabled only. */
export function filterStaff(staff, { text = '', role = '', active = '' } = {}) {
  const needle = text.trim().toLowerCase();
  return staff.filter(
    (s) =>
      (!role || (s.roles ?? []).includes(role)) &&
      (active === '' || String(s.active !== false) === active) &&
      (!needle ||
        String(s.name ?? '')
          .toLowerCase()
          .includes(needle) ||
        String(s.username ?? '')
          .toLowerCase()
          .includes(needle)),
  );
}

/** By name in the UI language, then username. */
export function sortStaff(staff, lang) {
  return [...staff].sort(
    (a, b) =>
      String(a.name ?? '').localeCompare(String(b.name ?? ''), lang) ||
      String(a.username ?? '').localeCompare(String(b.username ?? '')),
  );
}

/** The staff list after a create or change: the account's row replaced (or added), list fields only. */
export function upsertStaff(staff, account) {
  const row = {
    id: account.id,
    name: account.name,
    username: account.username,
    roles: account.roles,
    scope: account.scope,
    employment: account.employment,
    active: account.active,
  };
  const i = staff.findIndex((s) => s.id === account.id);
  if (i < 0) return [...staff, row];
  const next = [...staff];
  next[i] = { ...staff[i], ...row };
  return next;
}

// ---- the form ----

/** An empty form for a new member of staff. */
export function emptyForm() {
  return {
    username: '',
    name: '',
    phone: '',
    role: '',
    scopeType: 'SUBDISTRICT',
    gridId: '',
    communityId: '',
    platform: '',
    subdistrictId: '',
    employment: 'FULL_TIME',
  };
}

/**
 * The scope types whose subdistrict the form asks for (a picker of GET /api/v1/subdistricts): the
 * server refuses them without one when the district has several (docs/access.md). A grid's or a
 * community's subdistrict is its own; DISTRICT has none.
 */
export const SUBDISTRICT_PICKED = Object.freeze(['SUBDISTRICT', 'PLATFORM']);

/** Whether the form shows the subdistrict picker for this scope type. */
export function picksSubdistrict(scopeType) {
  return SUBDISTRICT_PICKED.includes(scopeType);
}

/**
 * A new account's subdistrict: the only one the caller sees (a subdistrict's admin sees its own),
 * else none, for the admin to pick.
 */
export function defaultSubdistrictId(subdistricts) {
  return subdistricts?.length === 1 ? String(subdistricts[0].id) : '';
}

/** The form for an account as GET /api/v1/staff/{id} answers it. */
export function formOf(account) {
  const s = account.scope ?? { type: 'SUBDISTRICT' };
  return {
    username: account.username ?? '',
    name: account.name ?? '',
    phone: account.phone ?? '',
    role: account.roles?.[0] ?? '',
    scopeType: s.type,
    gridId: s.gridId ? String(s.gridId) : '',
    communityId: s.communityId ? String(s.communityId) : '',
    platform: s.platform ?? '',
    subdistrictId: s.subdistrictId ? String(s.subdistrictId) : '',
    employment: account.employment ?? 'FULL_TIME',
  };
}

function positiveId(text) {
  const s = String(text ?? '').trim();
  return /^[1-9]\d{0,17}$/.test(s) ? Number(s) : null;
}

/**
 * The scope object of the API from the form: {type} plus the one field the type needs, and the
 * subdistrict picked for a whole-subdistrict or platform scope (none picked: the server takes the
 * admin's own subdistrict).
 */
export function buildScope(form) {
  const inSubdistrict = (scope) => {
    const id = positiveId(form.subdistrictId);
    return id ? { ...scope, subdistrictId: id } : scope;
  };
  switch (form.scopeType) {
    case 'GRID':
      return { type: 'GRID', gridId: positiveId(form.gridId) };
    case 'COMMUNITY':
      return { type: 'COMMUNITY', communityId: positiveId(form.communityId) };
    case 'PLATFORM':
      return inSubdistrict({ type: 'PLATFORM', platform: form.platform || null });
    case 'DISTRICT':
      return { type: 'DISTRICT' };
    default:
      return inSubdistrict({ type: 'SUBDISTRICT' });
  }
}

/**
 * The form's fields before sending: [{ field, key, params }], empty when ready. The server's rules
 * (StaffRoutes): a username of 2 to 64 of a-z 0-9 . _ - starting with a letter or digit (only when
 * creating: it cannot change), a name (the server allows none at creation and then uses the
 * username; this form asks for one) of at most 200, a phone of at most 40, one known role, a scope
 * with the id or platform its type needs (and a subdistrict when the caller sees several, so the
 * server cannot take one for it), a known employment.
 */
export function validateStaff(form, { creating = false, subdistricts = 0 } = {}) {
  const errors = [];
  if (creating) {
    const username = form.username.trim();
    if (!username) errors.push({ field: 'username', key: 'admin.invalid.usernameRequired' });
    else if (username.length > MAX_USERNAME)
      errors.push({ field: 'username', key: 'admin.invalid.tooLong', params: { max: MAX_USERNAME } });
    else if (!USERNAME_PATTERN.test(username)) errors.push({ field: 'username', key: 'admin.invalid.username' });
  }
  const name = form.name.trim();
  if (!name) errors.push({ field: 'name', key: 'admin.invalid.nameRequired' });
  else if (name.length > MAX_NAME)
    errors.push({ field: 'name', key: 'admin.invalid.tooLong', params: { max: MAX_NAME } });
  if (form.phone.trim().length > MAX_PHONE)
    errors.push({ field: 'phone', key: 'admin.invalid.tooLong', params: { max: MAX_PHONE } });
  if (!ROLES.includes(form.role)) errors.push({ field: 'role', key: 'admin.invalid.roleRequired' });
  if (!SCOPE_TYPES.includes(form.scopeType)) errors.push({ field: 'scope', key: 'admin.invalid.scopeType' });
  else {
    const scope = buildScope(form);
    if (scope.type === 'GRID' && !scope.gridId) errors.push({ field: 'scope', key: 'admin.invalid.gridRequired' });
    if (scope.type === 'COMMUNITY' && !scope.communityId)
      errors.push({ field: 'scope', key: 'admin.invalid.communityRequired' });
    if (scope.type === 'PLATFORM' && !PLATFORMS.includes(scope.platform))
      errors.push({ field: 'scope', key: 'admin.invalid.platformRequired' });
    if (picksSubdistrict(scope.type) && subdistricts > 1 && !scope.subdistrictId)
      errors.push({ field: 'scope', key: 'admin.invalid.subdistrictRequired' });
  }
  if (!EMPLOYMENTS.includes(form.employment)) errors.push({ field: 'employment', key: 'admin.invalid.employment' });
  return errors;
}

/** POST /api/v1/staff's body: the new account is active; its one-time password comes back. */
export function createBody(form) {
  const body = {
    username: form.username.trim(),
    name: form.name.trim(),
    roles: [form.role],
    scope: buildScope(form),
    employment: form.employment,
    active: true,
  };
  const phone = form.phone.trim();
  if (phone) body.phone = phone;
  return body;
}

function sameScope(a, b) {
  const norm = (s) => JSON.stringify(buildScope(formOf({ scope: s })));
  return norm(a) === norm(b);
}

/**
 * PATCH /api/v1/staff/{id}'s merge patch: only the fields the form changed (an emptied phone is
 * null, which clears it); {} when nothing changed.
 */
export function patchBody(account, form) {
  const patch = {};
  const name = form.name.trim();
  if (name !== account.name) patch.name = name;
  const phone = form.phone.trim();
  if (phone !== (account.phone ?? '')) patch.phone = phone || null;
  if (form.role !== account.roles?.[0]) patch.roles = [form.role];
  const scope = buildScope(form);
  if (!sameScope(scope, account.scope)) patch.scope = scope;
  if (form.employment !== account.employment) patch.employment = form.employment;
  return patch;
}

/** The form fields, in the form's order: where a problem or check is shown. */
export const FORM_FIELDS = ['username', 'name', 'phone', 'role', 'scope', 'employment'];

/**
 * The form field a problem names: its `field` is a JSON Pointer into the body ('/roles',
 * '/scope/gridId', '/username'); null when it names none of the form's fields (then the problem
 * shows above the buttons).
 */
export function fieldOfProblem(problem) {
  const pointer = problem?.field;
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return null;
  const first = pointer.slice(1).split('/')[0];
  const field = first === 'roles' ? 'role' : first;
  return FORM_FIELDS.includes(field) ? field : null;
}

// ---- names for ids ----

/**
 * The names the screen shows for ids: grids (code and name) from GET /api/v1/grids, communities
 * from GET /api/v1/communities, staff from the list. Each a Map; empty until loaded.
 */
export function lookupsOf({ grids = [], communities = [], staff = [], subdistricts = [] } = {}) {
  return {
    grids: new Map(
      grids.map((f) => {
        const p = f.properties ?? {};
        return [Number(p.id ?? f.id), { code: p.code, name: p.name, communityId: p.communityId }];
      }),
    ),
    communities: new Map(communities.map((f) => [Number(f.properties?.id ?? f.id), f.properties?.name])),
    staff: new Map(staff.map((s) => [s.id, s])),
    // [{id, code, name}] as shared/subdistricts.js reads them
    subdistricts: new Map(subdistricts.map((s) => [s.id, s])),
  };
}

/**
 * A scope in words. A grid or community the lookups do not know (another plan's grid, not loaded
 * yet) shows its id.
 */
export function scopeLabel(scope, lookups, lang = getLang()) {
  switch (scope?.type) {
    case 'GRID': {
      const g = lookups?.grids?.get(Number(scope.gridId));
      return g
        ? t('admin.scope.gridNamed', { name: g.name || g.code, code: g.code }, lang)
        : t('admin.scope.gridId', { id: scope.gridId }, lang);
    }
    case 'COMMUNITY': {
      const name = lookups?.communities?.get(Number(scope.communityId));
      return name
        ? t('admin.scope.communityNamed', { name }, lang)
        : t('admin.scope.communityId', { id: scope.communityId }, lang);
    }
    case 'PLATFORM':
      return t(
        'admin.scope.platform',
        { platform: named(`app.platform.${scope.platform}`, scope.platform, lang) },
        lang,
      );
    case 'SUBDISTRICT': {
      const sd = lookups?.subdistricts?.get(Number(scope.subdistrictId));
      return sd ? t('admin.scope.subdistrictNamed', { name: sd.name }, lang) : t('admin.scope.subdistrict', {}, lang);
    }
    case 'DISTRICT':
      return t('admin.scope.district', {}, lang);
    default:
      return String(scope?.type ?? '—');
  }
}

/** t(key), or the raw name the server sent when the UI has no words for it. */
function named(key, raw, lang) {
  const s = t(key, {}, lang);
  return s.startsWith('⟦') ? String(raw) : s;
}

/** A role in words ('GRID_WORKER' → 网格员). */
export function roleName(role, lang = getLang()) {
  return named(`app.role.${role}`, role, lang);
}

/** An employment in words. */
export function employmentName(employment, lang = getLang()) {
  return named(`admin.employment.${employment}`, employment, lang);
}

/** A staff id as "name (username)", or "#id" for one not in the list. */
export function staffLabel(id, lookups) {
  const s = lookups?.staff?.get(Number(id));
  return s ? `${s.name} (${s.username})` : `#${id}`;
}

/** An admin log target ('staff/12') → the staff id, or null. */
export function targetStaffId(target) {
  const m = /^staff\/(\d+)$/.exec(String(target ?? ''));
  return m ? Number(m[1]) : null;
}

// ---- the admin log ----

/**
 * The kinds of admin log entry the log tab filters by: GET /api/v1/audit's kinds (openapi.yaml)
 * but pii, place-owner and accountability — reads of reporters' and place owners' details and uses
 * of the accountability view
 * (shown on its own screen) — which are not administrators' changes.
 */
export const LOG_KINDS = AUDIT_KINDS.filter((k) => !['pii', 'place-owner', 'accountability'].includes(k));

/** A kind of the log tab's filter → a known kind, else staff. */
export function logKindOf(param) {
  return LOG_KINDS.includes(param) ? param : LOG_KINDS[0];
}

/** The fields of an account in the order the log shows them. */
export const LOG_FIELDS = ['name', 'username', 'phone', 'roles', 'scope', 'employment', 'active'];

function byLogOrder(a, b) {
  const i = (f) => (LOG_FIELDS.includes(f) ? LOG_FIELDS.indexOf(f) : LOG_FIELDS.length);
  return i(a) - i(b) || a.localeCompare(b);
}

/**
 * What an admin log entry's change says, as rows the table shows: { kind: 'created', fields:
 * [{field, value}] } for a new account, { kind: 'passwordReset' }, or { kind: 'changed', fields:
 * [{field, before, after}] }. Every field the server logged is kept, as it was logged (the phone
 * too: the admin log is for administrators and auditors), nothing masked or left out.
 */
export function describeChange(change) {
  const c = change ?? {};
  if (c.created && typeof c.created === 'object')
    return {
      kind: 'created',
      fields: Object.keys(c.created)
        .sort(byLogOrder)
        .map((field) => ({ field, value: c.created[field] })),
    };
  if (c.passwordReset === true && Object.keys(c).length === 1) return { kind: 'passwordReset' };
  return {
    kind: 'changed',
    fields: Object.keys(c)
      .sort(byLogOrder)
      .map((field) => {
        const v = c[field];
        return v && typeof v === 'object' && ('before' in v || 'after' in v)
          ? { field, before: v.before, after: v.after }
          : { field, before: undefined, after: v };
      }),
  };
}

/**
 * One logged value as text: a role, employment, scope or active flag in words, null as '—',
 * anything else as the server sent it.
 */
export function valueText(field, value, lookups, lang = getLang()) {
  if (value === null || value === undefined || value === '') return '—';
  switch (field) {
    case 'roles':
      return (Array.isArray(value) ? value : [value]).map((r) => roleName(r, lang)).join(', ');
    case 'scope':
      return scopeLabel(value, lookups, lang);
    case 'employment':
      return employmentName(value, lang);
    case 'active':
      return t(value ? 'admin.status.active' : 'admin.status.disabled', {}, lang);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** The log after loading a page: earlier entries kept, an entry never twice, newest first. */
export function mergeLog(entries, page) {
  const seen = new Set(entries.map((e) => e.id));
  return [...entries, ...(page ?? []).filter((e) => !seen.has(e.id))].sort((a, b) => b.id - a.id);
}

// ---- paging the staff list ----

/** GET /api/v1/staff's `next` ('after=123') → the next page's path, or null when this was the last. */
export function nextStaffPage(answer, limit) {
  const m = /^after=(\d+)$/.exec(String(answer?.next ?? ''));
  return m ? `/api/v1/staff?limit=${limit}&after=${m[1]}` : null;
}
