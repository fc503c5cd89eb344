import { describe, it, expect } from 'vitest';
import '../src/app/messages.js';
import '../src/screens/admin/messages.js';
import { t } from '../src/i18n/i18n.js';
import { ROUTES, navRoutes, allowed, findRoute } from '../src/app/routes.js';
import {
  ROLES,
  EMPLOYMENTS,
  SCOPE_TYPES,
  TABS,
  tabOf,
  defaultScopeType,
  filterStaff,
  sortStaff,
  upsertStaff,
  emptyForm,
  formOf,
  buildScope,
  validateStaff,
  createBody,
  patchBody,
  fieldOfProblem,
  lookupsOf,
  scopeLabel,
  staffLabel,
  targetStaffId,
  describeChange,
  valueText,
  mergeLog,
  nextStaffPage,
  picksSubdistrict,
  defaultSubdistrictId,
  SUBDISTRICT_PICKED,
} from '../src/screens/admin/logic.js';

const STAFF = [
  { id: 1, name: '王芳', username: 'admin', roles: ['ADMIN'], scope: { type: 'SUBDISTRICT' }, active: true },
  {
    id: 2,
    name: '李强',
    username: 'gw330102001',
    roles: ['GRID_WORKER'],
    scope: { type: 'GRID', gridId: 7 },
    active: true,
  },
  { id: 3, name: '张伟', username: 'market.handler1', roles: ['PLATFORM_HANDLER'], active: false },
  { id: 4, name: 'Li Na', username: 'operator', roles: ['CENTRE_OPERATOR'], active: true },
];

const ACCOUNT = {
  id: 2,
  name: '李强',
  username: 'gw330102001',
  phone: '13800000000',
  roles: ['GRID_WORKER'],
  scope: { type: 'GRID', gridId: 7 },
  employment: 'FULL_TIME',
  active: true,
};

const filled = (over = {}) => ({
  ...emptyForm(),
  username: 'new.worker',
  name: '赵敏',
  role: 'CENTRE_OPERATOR',
  ...over,
});

describe('the admin link', () => {
  it('is offered to ADMIN only', () => {
    expect(navRoutes(['ADMIN']).map((r) => r.path)).toContain('admin');
    for (const role of ROLES.filter((r) => r !== 'ADMIN'))
      expect(navRoutes([role]).map((r) => r.path)).not.toContain('admin');
    expect(navRoutes(null).map((r) => r.path)).not.toContain('admin');
  });
  it('leaves the other screens as they were, for everyone', () => {
    const open = ROUTES.filter((r) => r.nav && !r.roles).map((r) => r.path);
    expect(navRoutes(null).map((r) => r.path)).toEqual(open);
    expect(navRoutes(['GRID_WORKER']).map((r) => r.path)).toEqual(open);
  });
  it('the screen itself is refused to other roles too', () => {
    const admin = findRoute('admin');
    expect(admin.login).toBe(true);
    expect(allowed(admin, ['ADMIN'])).toBe(true);
    expect(allowed(admin, ['AUDITOR'])).toBe(false);
    expect(allowed(admin, undefined)).toBe(false);
    expect(allowed(findRoute('intake'), undefined)).toBe(true);
  });
});

describe('tabs', () => {
  it('staff first, then the admin log; an unknown tab opens the first', () => {
    expect(TABS.slice(0, 2)).toEqual(['staff', 'log']);
    expect(tabOf('log')).toBe('log');
    expect(tabOf('nope')).toBe('staff');
    expect(tabOf(null)).toBe('staff');
  });
  it('every tab has a label in both languages', () => {
    for (const id of TABS) for (const lang of ['zh-CN', 'en']) expect(t(`admin.tab.${id}`, {}, lang)).not.toMatch(/⟦/);
  });
});

describe('the API lists (from openapi.yaml)', () => {
  it('has the twelve roles, each with a name in both languages', () => {
    expect(ROLES).toHaveLength(14);
    expect(ROLES).toContain('ADMIN');
    for (const r of ROLES) for (const lang of ['zh-CN', 'en']) expect(t(`app.role.${r}`, {}, lang)).not.toMatch(/⟦/);
  });
  it('has the employments and scope types, each with words', () => {
    expect(EMPLOYMENTS).toEqual(['FULL_TIME', 'PART_TIME']);
    expect(SCOPE_TYPES).toEqual(['GRID', 'COMMUNITY', 'PLATFORM', 'SUBDISTRICT', 'DISTRICT']);
    for (const lang of ['zh-CN', 'en']) {
      for (const e of EMPLOYMENTS) expect(t(`admin.employment.${e}`, {}, lang)).not.toMatch(/⟦/);
      for (const s of SCOPE_TYPES) expect(t(`admin.scopeType.${s}`, {}, lang)).not.toMatch(/⟦/);
    }
  });
});

describe('defaultScopeType', () => {
  it("proposes the scope a role usually has, as the demo's staff have them", () => {
    expect(defaultScopeType('GRID_WORKER')).toBe('GRID');
    expect(defaultScopeType('GRID_LEADER')).toBe('COMMUNITY');
    expect(defaultScopeType('VILLAGE_CADRE')).toBe('COMMUNITY');
    expect(defaultScopeType('PLATFORM_HANDLER')).toBe('PLATFORM');
    expect(defaultScopeType('PLATFORM_COMMANDER')).toBe('PLATFORM');
    expect(defaultScopeType('CENTRE_OPERATOR')).toBe('SUBDISTRICT');
    expect(defaultScopeType('DISTRICT_COMMANDER')).toBe('DISTRICT');
    expect(defaultScopeType('')).toBe('SUBDISTRICT');
  });
});

describe('filterStaff', () => {
  const ids = (list) => list.map((s) => s.id);
  it('finds by part of the name or the username, ignoring case and spaces around', () => {
    expect(ids(filterStaff(STAFF, { text: '李' }))).toEqual([2]);
    expect(ids(filterStaff(STAFF, { text: ' HANDLER ' }))).toEqual([3]);
    expect(ids(filterStaff(STAFF, { text: 'li na' }))).toEqual([4]);
    expect(ids(filterStaff(STAFF, {}))).toEqual([1, 2, 3, 4]);
  });
  it('by role and by status, all together', () => {
    expect(ids(filterStaff(STAFF, { role: 'GRID_WORKER' }))).toEqual([2]);
    expect(ids(filterStaff(STAFF, { active: 'false' }))).toEqual([3]);
    expect(ids(filterStaff(STAFF, { active: 'true' }))).toEqual([1, 2, 4]);
    expect(ids(filterStaff(STAFF, { text: 'a', role: 'PLATFORM_HANDLER', active: 'true' }))).toEqual([]);
  });
  it('sorts by name', () => {
    const sorted = sortStaff([{ name: 'b' }, { name: 'a', username: 'y' }, { name: 'a', username: 'x' }], 'en');
    expect(sorted.map((s) => s.username ?? s.name)).toEqual(['x', 'y', 'b']);
  });
  it('takes a created or changed account into the list, list fields only', () => {
    const created = upsertStaff(STAFF, { ...ACCOUNT, id: 9, oneTimePassword: 'secret', phone: '1' });
    expect(created).toHaveLength(5);
    expect(created[4]).not.toHaveProperty('oneTimePassword');
    expect(created[4]).not.toHaveProperty('phone');
    const changed = upsertStaff(STAFF, { ...ACCOUNT, active: false });
    expect(changed).toHaveLength(4);
    expect(changed[1].active).toBe(false);
    expect(STAFF[1].active).toBe(true);
  });
});

describe('the form', () => {
  it('reads an account back', () => {
    expect(formOf(ACCOUNT)).toEqual({
      username: 'gw330102001',
      name: '李强',
      phone: '13800000000',
      role: 'GRID_WORKER',
      scopeType: 'GRID',
      gridId: '7',
      communityId: '',
      platform: '',
      subdistrictId: '',
      employment: 'FULL_TIME',
    });
    expect(formOf({ ...ACCOUNT, phone: null }).phone).toBe('');
  });

  it('builds the scope the server takes: the type and the one field it needs', () => {
    expect(buildScope(filled({ scopeType: 'GRID', gridId: '12', communityId: '3' }))).toEqual({
      type: 'GRID',
      gridId: 12,
    });
    expect(buildScope(filled({ scopeType: 'COMMUNITY', communityId: '3', gridId: '12' }))).toEqual({
      type: 'COMMUNITY',
      communityId: 3,
    });
    expect(buildScope(filled({ scopeType: 'PLATFORM', platform: 'MARKET' }))).toEqual({
      type: 'PLATFORM',
      platform: 'MARKET',
    });
    expect(buildScope(filled({ scopeType: 'SUBDISTRICT', gridId: '12' }))).toEqual({ type: 'SUBDISTRICT' });
    expect(buildScope(filled({ scopeType: 'DISTRICT', gridId: '12' }))).toEqual({ type: 'DISTRICT' });
    expect(buildScope(filled({ scopeType: 'GRID', gridId: '0' }))).toEqual({ type: 'GRID', gridId: null });
    expect(buildScope(filled({ scopeType: 'GRID', gridId: '1.5' }))).toEqual({ type: 'GRID', gridId: null });
  });

  it('passes a filled-in new member of staff', () => {
    expect(validateStaff(filled(), { creating: true })).toEqual([]);
    expect(validateStaff(filled({ scopeType: 'GRID', gridId: '7' }), { creating: true })).toEqual([]);
  });

  it('refuses a username the server would (StaffDirectory.validUsername), only when creating', () => {
    const usernameError = (username) =>
      validateStaff(filled({ username }), { creating: true }).find((e) => e.field === 'username')?.key ?? null;
    expect(usernameError('')).toBe('admin.invalid.usernameRequired');
    expect(usernameError('a')).toBe('admin.invalid.username');
    expect(usernameError('Zhang')).toBe('admin.invalid.username');
    expect(usernameError('.zhang')).toBe('admin.invalid.username');
    expect(usernameError('zhang san')).toBe('admin.invalid.username');
    expect(usernameError('张三')).toBe('admin.invalid.username');
    expect(usernameError('a'.repeat(65))).toBe('admin.invalid.tooLong');
    expect(usernameError('a'.repeat(64))).toBeNull();
    expect(usernameError('zs')).toBeNull();
    expect(usernameError('9.z_s-1')).toBeNull();
    expect(validateStaff(filled({ username: '' }), { creating: false })).toEqual([]);
  });

  it('asks for a name, a role, a known employment, and keeps the limits', () => {
    expect(validateStaff(filled({ name: '  ', role: '', employment: 'SOMETIMES' }), { creating: true })).toEqual([
      { field: 'name', key: 'admin.invalid.nameRequired' },
      { field: 'role', key: 'admin.invalid.roleRequired' },
      { field: 'employment', key: 'admin.invalid.employment' },
    ]);
    expect(validateStaff(filled({ name: 'n'.repeat(201), phone: '1'.repeat(41) }))).toEqual([
      { field: 'name', key: 'admin.invalid.tooLong', params: { max: 200 } },
      { field: 'phone', key: 'admin.invalid.tooLong', params: { max: 40 } },
    ]);
    expect(validateStaff(filled({ name: 'n'.repeat(200), phone: '1'.repeat(40) }))).toEqual([]);
    expect(validateStaff(filled({ role: 'KING' }))[0]).toEqual({ field: 'role', key: 'admin.invalid.roleRequired' });
  });

  it('asks for the grid, community or platform the scope type needs', () => {
    const scopeError = (over) => validateStaff(filled(over)).filter((e) => e.field === 'scope');
    expect(scopeError({ scopeType: 'GRID' })).toEqual([{ field: 'scope', key: 'admin.invalid.gridRequired' }]);
    expect(scopeError({ scopeType: 'COMMUNITY' })).toEqual([
      { field: 'scope', key: 'admin.invalid.communityRequired' },
    ]);
    expect(scopeError({ scopeType: 'PLATFORM', platform: 'NOPE' })).toEqual([
      { field: 'scope', key: 'admin.invalid.platformRequired' },
    ]);
    expect(scopeError({ scopeType: 'PLATFORM', platform: 'SERVICE' })).toEqual([]);
    expect(scopeError({ scopeType: 'STREET' })).toEqual([{ field: 'scope', key: 'admin.invalid.scopeType' }]);
  });

  it('every check has words in both languages', () => {
    const all = [
      ...validateStaff(filled({ username: '', name: '', role: '', scopeType: 'GRID', employment: '' }), {
        creating: true,
      }),
      ...validateStaff(filled({ username: 'A', name: 'n'.repeat(201), scopeType: 'X' }), { creating: true }),
      ...validateStaff(filled({ scopeType: 'COMMUNITY' })),
      ...validateStaff(filled({ scopeType: 'PLATFORM' })),
    ];
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const e of all) for (const lang of ['zh-CN', 'en']) expect(t(e.key, e.params, lang)).not.toMatch(/⟦|\{/);
  });

  it('creates with the trimmed fields, one role, no phone when none is given', () => {
    expect(createBody(filled({ username: ' new.worker ', name: ' 赵敏 ', phone: '  ' }))).toEqual({
      username: 'new.worker',
      name: '赵敏',
      roles: ['CENTRE_OPERATOR'],
      scope: { type: 'SUBDISTRICT' },
      employment: 'FULL_TIME',
      active: true,
    });
    expect(
      createBody(
        filled({ phone: ' 138 0000 0000 ', scopeType: 'PLATFORM', platform: 'MARKET', employment: 'PART_TIME' }),
      ),
    ).toMatchObject({
      phone: '138 0000 0000',
      scope: { type: 'PLATFORM', platform: 'MARKET' },
      employment: 'PART_TIME',
    });
  });

  it('patches only what changed; an emptied phone is null (cleared)', () => {
    const form = formOf(ACCOUNT);
    expect(patchBody(ACCOUNT, form)).toEqual({});
    expect(patchBody(ACCOUNT, { ...form, name: '李强 ' })).toEqual({});
    expect(patchBody(ACCOUNT, { ...form, phone: '' })).toEqual({ phone: null });
    expect(patchBody({ ...ACCOUNT, phone: null }, { ...form, phone: '' })).toEqual({});
    expect(patchBody(ACCOUNT, { ...form, phone: '139' })).toEqual({ phone: '139' });
    expect(patchBody(ACCOUNT, { ...form, role: 'GRID_LEADER', scopeType: 'COMMUNITY', communityId: '3' })).toEqual({
      roles: ['GRID_LEADER'],
      scope: { type: 'COMMUNITY', communityId: 3 },
    });
    expect(patchBody(ACCOUNT, { ...form, gridId: '8' })).toEqual({ scope: { type: 'GRID', gridId: 8 } });
    expect(patchBody(ACCOUNT, { ...form, communityId: '3' })).toEqual({});
    expect(patchBody(ACCOUNT, { ...form, employment: 'PART_TIME', name: '李强强' })).toEqual({
      name: '李强强',
      employment: 'PART_TIME',
    });
    expect(patchBody(ACCOUNT, form)).not.toHaveProperty('username');
  });
});

describe("the form's subdistrict picker", () => {
  const two = [
    { id: 4, code: '330108001', name: '西湖街道' },
    { id: 9, code: '330108002', name: '东湖街道' },
  ];
  it('is offered for a whole-subdistrict or platform scope only, each a scope type of the API', () => {
    expect(SUBDISTRICT_PICKED.every((s) => SCOPE_TYPES.includes(s))).toBe(true);
    expect(picksSubdistrict('SUBDISTRICT')).toBe(true);
    expect(picksSubdistrict('PLATFORM')).toBe(true);
    expect(picksSubdistrict('GRID')).toBe(false);
    expect(picksSubdistrict('COMMUNITY')).toBe(false);
    expect(picksSubdistrict('DISTRICT')).toBe(false);
  });
  it("sends the picked subdistrict's id in the scope, never for a grid, community or the district", () => {
    expect(buildScope(filled({ scopeType: 'SUBDISTRICT', subdistrictId: '9' }))).toEqual({
      type: 'SUBDISTRICT',
      subdistrictId: 9,
    });
    expect(buildScope(filled({ scopeType: 'PLATFORM', platform: 'MARKET', subdistrictId: '9' }))).toEqual({
      type: 'PLATFORM',
      platform: 'MARKET',
      subdistrictId: 9,
    });
    expect(buildScope(filled({ scopeType: 'DISTRICT', subdistrictId: '9' }))).toEqual({ type: 'DISTRICT' });
    expect(buildScope(filled({ scopeType: 'GRID', gridId: '7', subdistrictId: '9' }))).toEqual({
      type: 'GRID',
      gridId: 7,
    });
    expect(buildScope(filled({ scopeType: 'SUBDISTRICT', subdistrictId: '' }))).toEqual({ type: 'SUBDISTRICT' });
    expect(createBody(filled({ scopeType: 'SUBDISTRICT', subdistrictId: '4' })).scope).toEqual({
      type: 'SUBDISTRICT',
      subdistrictId: 4,
    });
  });
  it('asks for one when the caller sees several subdistricts, not when it sees one', () => {
    const scopeKeys = (over, subdistricts) =>
      validateStaff(filled(over), { subdistricts })
        .filter((e) => e.field === 'scope')
        .map((e) => e.key);
    expect(scopeKeys({ scopeType: 'SUBDISTRICT' }, 2)).toEqual(['admin.invalid.subdistrictRequired']);
    expect(scopeKeys({ scopeType: 'PLATFORM', platform: 'MARKET' }, 2)).toEqual(['admin.invalid.subdistrictRequired']);
    expect(scopeKeys({ scopeType: 'SUBDISTRICT', subdistrictId: '9' }, 2)).toEqual([]);
    expect(scopeKeys({ scopeType: 'SUBDISTRICT' }, 1)).toEqual([]);
    expect(scopeKeys({ scopeType: 'DISTRICT' }, 2)).toEqual([]);
    expect(t('admin.invalid.subdistrictRequired', {}, 'zh-CN')).toBe('请选择街道');
  });
  it('proposes the only subdistrict a caller sees, and none of several', () => {
    expect(defaultSubdistrictId([two[0]])).toBe('4');
    expect(defaultSubdistrictId(two)).toBe('');
    expect(defaultSubdistrictId([])).toBe('');
  });
  it("keeps an account's subdistrict, and patches only a moved one", () => {
    const account = {
      id: 5,
      name: '赵敏',
      roles: ['CENTRE_OPERATOR'],
      scope: { type: 'SUBDISTRICT', subdistrictId: 4 },
      employment: 'FULL_TIME',
    };
    const form = formOf(account);
    expect(form.subdistrictId).toBe('4');
    expect(patchBody(account, form)).toEqual({});
    expect(patchBody(account, { ...form, subdistrictId: '9' })).toEqual({
      scope: { type: 'SUBDISTRICT', subdistrictId: 9 },
    });
    // a grid worker's subdistrict is its grid's: the form does not send it
    const worker = { ...account, roles: ['GRID_WORKER'], scope: { type: 'GRID', gridId: 7, subdistrictId: 4 } };
    expect(patchBody(worker, formOf(worker))).toEqual({});
  });
});

describe("a problem's field", () => {
  const at = (field) => fieldOfProblem({ status: 422, field });
  it('is the form field its JSON Pointer names', () => {
    expect(at('/username')).toBe('username');
    expect(at('/name')).toBe('name');
    expect(at('/phone')).toBe('phone');
    expect(at('/roles')).toBe('role');
    expect(at('/scope')).toBe('scope');
    expect(at('/scope/gridId')).toBe('scope');
    expect(at('/scope/type')).toBe('scope');
    expect(at('/employment')).toBe('employment');
  });
  it('is none for other fields, query parameters and problems without one', () => {
    expect(at('/active')).toBeNull();
    expect(at('/nickname')).toBeNull();
    expect(at('limit')).toBeNull();
    expect(at(null)).toBeNull();
    expect(fieldOfProblem(undefined)).toBeNull();
  });
});

describe('names for ids', () => {
  const lookups = lookupsOf({
    grids: [{ id: 7, properties: { id: 7, code: '330102001001001', name: '一网格', communityId: 3 } }],
    communities: [{ properties: { id: 3, name: '西湖社区' } }],
    staff: STAFF,
    subdistricts: [{ id: 4, code: '330108001', name: '西湖街道' }],
  });
  it('words a scope, with the id of a grid or community it does not know', () => {
    expect(scopeLabel({ type: 'GRID', gridId: 7 }, lookups, 'zh-CN')).toBe('网格 一网格（330102001001001）');
    expect(scopeLabel({ type: 'GRID', gridId: 99 }, lookups, 'en')).toBe('Grid #99');
    expect(scopeLabel({ type: 'COMMUNITY', communityId: 3 }, lookups, 'en')).toBe('西湖社区');
    expect(scopeLabel({ type: 'COMMUNITY', communityId: 4 }, lookups, 'zh-CN')).toBe('村/社区 #4');
    expect(scopeLabel({ type: 'PLATFORM', platform: 'MARKET' }, lookups, 'zh-CN')).toBe('平台：市场监管');
    expect(scopeLabel({ type: 'PLATFORM', platform: 'NEW' }, lookups, 'en')).toBe('Platform: NEW');
    expect(scopeLabel({ type: 'SUBDISTRICT' }, lookups, 'en')).toBe('Whole subdistrict');
    expect(scopeLabel({ type: 'SUBDISTRICT', subdistrictId: 4 }, lookups, 'zh-CN')).toBe('全街道：西湖街道');
    expect(scopeLabel({ type: 'SUBDISTRICT', subdistrictId: 8 }, lookups, 'en')).toBe('Whole subdistrict');
    expect(scopeLabel({ type: 'DISTRICT' }, lookups, 'zh-CN')).toBe('全区');
    expect(scopeLabel({ type: 'GRID', gridId: 7 }, lookupsOf(), 'en')).toBe('Grid #7');
  });
  it('names staff and log targets', () => {
    expect(staffLabel(2, lookups)).toBe('李强 (gw330102001)');
    expect(staffLabel('2', lookups)).toBe('李强 (gw330102001)');
    expect(staffLabel(42, lookups)).toBe('#42');
    expect(targetStaffId('staff/12')).toBe(12);
    expect(targetStaffId('plan/12')).toBeNull();
    expect(targetStaffId(undefined)).toBeNull();
  });
});

describe('the admin log', () => {
  it('reads a created account with every field it logged, the phone unmasked', () => {
    const created = {
      created: {
        active: true,
        employment: 'PART_TIME',
        name: '赵敏',
        phone: '13800000000',
        roles: ['CENTRE_OPERATOR'],
        scope: { type: 'SUBDISTRICT' },
        username: 'zhao.min',
      },
    };
    const d = describeChange(created);
    expect(d.kind).toBe('created');
    expect(d.fields.map((f) => f.field)).toEqual([
      'name',
      'username',
      'phone',
      'roles',
      'scope',
      'employment',
      'active',
    ]);
    expect(d.fields.find((f) => f.field === 'phone').value).toBe('13800000000');
    expect(valueText('phone', '13800000000')).toBe('13800000000');
  });
  it('reads changes before and after, unknown fields kept as logged', () => {
    const d = describeChange({
      active: { before: true, after: false },
      phone: { before: '13800000000', after: null },
      shoeSize: { before: 40, after: 41 },
      note: 'x',
    });
    expect(d).toEqual({
      kind: 'changed',
      fields: [
        { field: 'phone', before: '13800000000', after: null },
        { field: 'active', before: true, after: false },
        { field: 'note', before: undefined, after: 'x' },
        { field: 'shoeSize', before: 40, after: 41 },
      ],
    });
  });
  it('reads a password reset (and never a password: the log holds none)', () => {
    expect(describeChange({ passwordReset: true })).toEqual({ kind: 'passwordReset' });
    expect(describeChange(null)).toEqual({ kind: 'changed', fields: [] });
  });
  it('words the values', () => {
    expect(valueText('roles', ['GRID_WORKER'], undefined, 'zh-CN')).toBe('网格员');
    expect(valueText('roles', ['SHERIFF'], undefined, 'en')).toBe('SHERIFF');
    expect(valueText('employment', 'PART_TIME', undefined, 'zh-CN')).toBe('兼职');
    expect(valueText('active', false, undefined, 'zh-CN')).toBe('已停用');
    expect(valueText('active', true, undefined, 'en')).toBe('Active');
    expect(valueText('scope', { type: 'PLATFORM', platform: 'SERVICE' }, undefined, 'en')).toBe(
      'Platform: Public services',
    );
    expect(valueText('phone', null)).toBe('—');
    expect(valueText('name', '')).toBe('—');
    expect(valueText('x', { a: 1 })).toBe('{"a":1}');
    expect(valueText('x', 0)).toBe('0');
  });
  it('adds a page of earlier entries once each, newest first', () => {
    const first = mergeLog([], [{ id: 9 }, { id: 8 }]);
    expect(mergeLog(first, [{ id: 8 }, { id: 7 }]).map((e) => e.id)).toEqual([9, 8, 7]);
    expect(mergeLog(first, undefined).map((e) => e.id)).toEqual([9, 8]);
  });
});

describe('paging the staff list', () => {
  it("follows the answer's next, and stops without one", () => {
    expect(nextStaffPage({ next: 'after=120' }, 5000)).toBe('/api/v1/staff?limit=5000&after=120');
    expect(nextStaffPage({ numberReturned: 3 }, 5000)).toBeNull();
    expect(nextStaffPage({ next: 'after=x' }, 5000)).toBeNull();
  });
});
