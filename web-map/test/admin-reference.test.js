import { describe, it, expect } from 'vitest';
import '../src/app/messages.js';
import '../src/screens/admin/messages.js';
import { t } from '../src/i18n/i18n.js';
import { TABS, LOG_KINDS, logKindOf } from '../src/screens/admin/logic.js';
import {
  CATEGORY_FIELDS,
  AUTHORITIES,
  URGENCIES,
  cellText,
  sortedRows,
  emptyCategory,
  categoryForm,
  validateCategory,
  categoryCreateBody,
  categoryPatchBody,
  categoryProblemField,
  parseDates,
  badDates,
  yearBody,
  yearProblemField,
  importQuery,
  exportFileName,
  describeReference,
  rowSummary,
} from '../src/screens/admin/referenceLogic.js';

const ROW = {
  code: 'SVC_STREETLIGHT',
  platform: 'SERVICE',
  nameZh: '路灯不亮',
  nameEn: 'Streetlight out',
  deadlineHours: 48,
  weight: 1.5,
  authority: 'SUBDISTRICT',
  urgency: 'NORMAL',
  public: true,
};

describe('the tabs and the log kinds', () => {
  it('lists the rosters and reference tabs, each with a label', () => {
    expect(TABS).toEqual(['staff', 'log', 'rosters', 'reference']);
    for (const id of TABS) for (const lang of ['zh-CN', 'en']) expect(t(`admin.tab.${id}`, {}, lang)).not.toMatch(/^⟦/);
  });

  it("filters the log by the API's kinds, without the reporter reads", () => {
    // kpi: a month of assessment settled by an admin (docs/assessment.md), an administrator's act
    expect(LOG_KINDS).toEqual(['staff', 'reference', 'roster', 'kpi']);
    expect(logKindOf('roster')).toBe('roster');
    expect(logKindOf('pii')).toBe('staff');
    expect(logKindOf(null)).toBe('staff');
    for (const k of LOG_KINDS) expect(t(`admin.log.kinds.${k}`, {}, 'zh-CN')).not.toMatch(/^⟦/);
  });
});

describe('categories', () => {
  it('shows cells and sorts by platform then code', () => {
    expect(cellText(null)).toBe('—');
    expect(cellText(false)).toBe('false');
    expect(cellText(48)).toBe('48');
    const rows = [
      { code: 'B', platform: 'SERVICE' },
      { code: 'A', platform: 'SERVICE' },
      { code: 'Z', platform: 'GOVERNANCE' },
    ];
    expect(sortedRows('categories', rows).map((r) => r.code)).toEqual(['Z', 'A', 'B']);
    expect(sortedRows('calendar', rows)).toBe(rows);
  });

  it('checks a category as the server would', () => {
    const form = categoryForm(ROW);
    expect(form.public).toBe(true);
    expect(form.deadlineHours).toBe('48');
    expect(validateCategory(form, { creating: true })).toEqual([]);
    const fields = (f) => validateCategory(f, { creating: true }).map((e) => e.field);
    expect(fields({ ...form, code: 'lower' })).toEqual(['code']);
    expect(fields({ ...form, platform: 'MOON' })).toEqual(['platform']);
    expect(fields({ ...form, deadlineHours: '-3' })).toEqual(['deadlineHours']);
    expect(fields({ ...form, deadlineHours: '1.5' })).toEqual(['deadlineHours']);
    expect(fields({ ...form, weight: '0' })).toEqual(['weight']);
    expect(fields({ ...form, weight: '100.5' })).toEqual(['weight']);
    expect(fields({ ...form, weight: '1.234' })).toEqual(['weight']);
    expect(fields({ ...form, nameEn: ' ' })).toEqual(['nameEn']);
    expect(fields(emptyCategory())).toEqual(['code', 'platform', 'nameZh', 'nameEn', 'deadlineHours']);
    expect(AUTHORITIES).toContain(form.authority);
    expect(URGENCIES).toContain(form.urgency);
  });

  it('sends a new category whole and a change as what changed', () => {
    const zoneOf = (local) => `${local}:00+08:00`;
    const body = categoryCreateBody({ ...categoryForm(ROW), effectiveFrom: '2027-01-01T00:00', note: ' 新 ' }, zoneOf);
    expect(body).toEqual({ ...ROW, effectiveFrom: '2027-01-01T00:00:00+08:00', note: '新' });
    expect(Object.keys(body).slice(0, CATEGORY_FIELDS.length)).toEqual(CATEGORY_FIELDS);
    expect(categoryPatchBody(ROW, categoryForm(ROW))).toEqual({});
    expect(categoryPatchBody(ROW, { ...categoryForm(ROW), weight: '2', public: false, note: 'x' })).toEqual({
      weight: 2,
      public: false,
      note: 'x',
    });
  });

  it("shows the server's problem at its field", () => {
    expect(categoryProblemField({ field: '/weight' })).toBe('weight');
    expect(categoryProblemField({ field: '/code' })).toBe('code');
    expect(categoryProblemField({ field: '/effectiveFrom' })).toBe('effectiveFrom');
    expect(categoryProblemField({ field: '/rows/3/weight' })).toBe(null);
    expect(categoryProblemField({})).toBe(null);
  });
});

describe('calendar years', () => {
  it('reads dates typed one a line or with commas', () => {
    expect(parseDates('2027-02-11\n2027-01-01, 2027-01-01；2027-05-01 ')).toEqual([
      '2027-01-01',
      '2027-02-11',
      '2027-05-01',
    ]);
    expect(parseDates('')).toEqual([]);
    expect(badDates(['2027-01-01', '2026-12-31', '1 May', '2027-13-01'], '2027')).toEqual([
      '2026-12-31',
      '1 May',
      '2027-13-01',
    ]);
  });

  it('sends a year and shows problems at holidays or workdays', () => {
    expect(yearBody({ holidays: '2027-01-01', workdays: '', note: '' })).toEqual({
      holidays: ['2027-01-01'],
      workdays: [],
    });
    expect(yearProblemField({ field: '/holidays/2' })).toBe('holidays');
    expect(yearProblemField({ field: '/workdays/0' })).toBe('workdays');
    expect(yearProblemField({ field: null })).toBe(null);
  });
});

describe('CSV', () => {
  it('puts the time and note of an import in the query', () => {
    expect(importQuery({ effectiveFrom: '', note: '' })).toBe('');
    expect(importQuery({ effectiveFrom: '2027-01-01T00:00', note: 'excel 导入' }, (l) => `${l}:00+08:00`)).toBe(
      '?effectiveFrom=2027-01-01T00%3A00%3A00%2B08%3A00&note=excel+%E5%AF%BC%E5%85%A5',
    );
  });

  it("saves an export under the server's file name", () => {
    expect(exportFileName('attachment; filename="categories-v12.csv"', 'categories')).toBe('categories-v12.csv');
    expect(exportFileName(null, 'calendar')).toBe('calendar.csv');
  });
});

describe('the admin log', () => {
  it('reads a reference entry', () => {
    const d = describeReference({
      target: 'reference/categories',
      change: {
        version: 12,
        basedOn: 11,
        effectiveFrom: '2027-01-01T00:00:00Z',
        note: '',
        via: 'csv',
        added: [{ code: 'NEW_ONE', nameZh: '新类' }],
        removed: [],
        changed: [{ code: 'SVC_X', fields: { weight: { before: '1', after: '2' } } }],
      },
    });
    expect(d.kind).toBe('categories');
    expect(d.via).toBe('csv');
    expect(d.changed).toEqual([{ code: 'SVC_X', fields: [{ field: 'weight', before: '1', after: '2' }] }]);
    expect(rowSummary(d.added[0])).toBe('NEW_ONE 新类');
    expect(rowSummary({ kind: 'holiday', value: '2027-01-01' })).toBe('holiday, 2027-01-01');
  });
});
