import { describe, expect, it } from 'vitest';
import {
  actionBody,
  actionsFor,
  ageText,
  areaLook,
  boardRows,
  caseColour,
  isDistrictUser,
  kpiComparison,
  namesOf,
  nextSelection,
  openBySubdistrict,
  openShade,
  percent,
  queueOf,
  sortQueue,
  withAlpha,
} from '../src/screens/district/logic.js';
import { nextPath } from '../src/screens/login/logic.js';
import messages from '../src/screens/district/messages.js';

const waiting = { incidentId: 7, version: 2, stage: 'WAITING', subdistrict: { id: 1, code: '330108001', name: 'A' } };

describe('the queue', () => {
  it('offers accept to a waiting case, then assign, return and resolve', () => {
    expect(actionsFor(waiting)).toEqual(['district-accept', 'district-return']);
    expect(actionsFor({ ...waiting, stage: 'ACCEPTED' })).toEqual([
      'district-assign',
      'district-return',
      'district-resolve',
    ]);
    expect(actionsFor({ ...waiting, stage: 'ASSIGNED' })).toEqual([
      'district-assign',
      'district-return',
      'district-resolve',
    ]);
  });

  it("does not return the district's own case: it has no subdistrict", () => {
    expect(actionsFor({ ...waiting, stage: 'ACCEPTED', subdistrict: null })).toEqual([
      'district-assign',
      'district-resolve',
    ]);
  });

  it('sorts oldest escalation first', () => {
    const q = sortQueue([
      { incidentId: 3, escalatedAt: '2026-12-05T10:00:00Z' },
      { incidentId: 1, escalatedAt: '2026-12-04T10:00:00Z' },
      { incidentId: 2, escalatedAt: '2026-12-05T10:00:00Z' },
    ]);
    expect(q.map((i) => i.incidentId)).toEqual([1, 2, 3]);
  });
});

describe('action bodies', () => {
  it('sends accept with the version', () => {
    expect(actionBody('district-accept', waiting)).toEqual({ body: { action: 'district-accept', expectedVersion: 2 } });
  });

  it('refuses a return without a reason before sending', () => {
    expect(actionBody('district-return', waiting, { reason: '   ' })).toEqual({ errors: ['district.invalid.reason'] });
    expect(actionBody('district-return', waiting, { reason: ' 属街道职责 ' }).body).toEqual({
      action: 'district-return',
      expectedVersion: 2,
      reason: '属街道职责',
    });
  });

  it('needs a department to assign and a note to resolve', () => {
    expect(actionBody('district-assign', waiting).errors).toEqual(['district.invalid.department']);
    expect(actionBody('district-assign', waiting, { department: 'ECOLOGY' }).body.department).toBe('ECOLOGY');
    expect(actionBody('district-resolve', waiting).errors).toEqual(['district.invalid.note']);
    expect(actionBody('district-resolve', waiting, { note: '已处置' }).body.note).toBe('已处置');
  });
});

describe('the board and the KPIs', () => {
  const board = {
    subdistricts: [
      {
        id: null,
        code: null,
        name: 'district',
        districtOwn: true,
        open: 2,
        overdue: 1,
        escalated: 2,
        closed: 0,
        closedOnTime: 0,
        onTimeRate: null,
      },
      {
        id: 2,
        code: '330108002',
        name: 'B',
        districtOwn: false,
        open: 5,
        overdue: 0,
        escalated: 1,
        closed: 4,
        closedOnTime: 1,
        onTimeRate: 0.25,
      },
      {
        id: 1,
        code: '330108001',
        name: 'A',
        districtOwn: false,
        open: 10,
        overdue: 3,
        escalated: 0,
        closed: 6,
        closedOnTime: 6,
        onTimeRate: 1,
      },
    ],
  };

  it("lists subdistricts by code, the district's own last, with totals over every closed case", () => {
    const { rows, total } = boardRows(board);
    expect(rows.map((r) => r.code)).toEqual(['330108001', '330108002', null]);
    expect(total).toEqual({ open: 17, overdue: 4, escalated: 3, closed: 10, closedOnTime: 7, onTimeRate: 0.7 });
    expect(boardRows(null).total.onTimeRate).toBeNull();
  });

  it('ranks subdistricts by score, ties sharing a rank, with their names', () => {
    const k = kpiComparison(
      {
        units: [
          { unit: '330108001', reports: 10, score: { total: 80, max: 100 } },
          { unit: '330108002', reports: 5, score: { total: 90, max: 100 } },
          { unit: '330108003', reports: 5, score: { total: 80, max: 100 } },
        ],
      },
      namesOf(board),
    );
    expect(k.map((u) => [u.code, u.rank, u.name])).toEqual([
      ['330108002', 1, 'B'],
      ['330108001', 2, 'A'],
      ['330108003', 2, '330108003'],
    ]);
  });

  it('formats rates and ages', () => {
    expect(percent(0.8765)).toBe('87.7%');
    expect(percent(null)).toBe('—');
    expect(ageText(5.4)).toBe('5 小时');
    expect(ageText(36, 'en')).toBe('1.5 d');
    expect(ageText(undefined)).toBe('—');
  });
});

describe('the map', () => {
  it('colours overdue cases red, else by stage', () => {
    expect(caseColour({ stage: 'WAITING', overdue: true })).toBe('#c62828');
    expect(caseColour({ stage: 'ASSIGNED' })).toBe('#2e7d32');
  });

  it('shades subdistricts by their open cases relative to the busiest', () => {
    expect(openShade(0, 10)).toBe('#fff5eb');
    expect(openShade(10, 10)).toBe('#7f2704');
    expect(openShade(3, 0)).toBe('#fff5eb');
  });
});

describe('landing', () => {
  const isRoute = (p) => ['command', 'district', 'm', 'planner'].includes(p);
  it('sends a district role to the district screen', () => {
    expect(isDistrictUser(['DISTRICT_OPERATOR'])).toBe(true);
    expect(nextPath(null, isRoute, { roles: ['DISTRICT_COMMANDER'] })).toBe('district');
    expect(nextPath(null, isRoute, { roles: ['CHIEF_COMMANDER'] })).toBe('command');
    expect(nextPath('planner', isRoute, { roles: ['DISTRICT_OPERATOR'] })).toBe('planner');
  });
});

describe('messages', () => {
  it('says everything in both languages', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages['zh-CN']).sort());
  });
});

describe('the subdistricts on the map', () => {
  const board = {
    subdistricts: [
      { id: 1, code: '330108001', name: 'A', districtOwn: false, open: 4 },
      { id: 2, code: '330108002', name: 'B', districtOwn: false, open: 1 },
      { id: null, code: null, name: 'district', districtOwn: true, open: 9 },
    ],
  };

  it('a click on a subdistrict selects it; on it again, or outside every one, shows all', () => {
    expect(nextSelection(null, 2)).toBe(2);
    expect(nextSelection(2, 1)).toBe(1);
    expect(nextSelection(2, 2)).toBeNull();
    expect(nextSelection(2, null)).toBeNull();
    expect(nextSelection(null, undefined)).toBeNull();
  });

  it("a selection leaves the queue with that subdistrict's cases only", () => {
    const items = [
      waiting,
      { ...waiting, incidentId: 8, subdistrict: { id: 2, code: '330108002', name: 'B' } },
      { ...waiting, incidentId: 9, subdistrict: null },
    ];
    expect(queueOf(items, null)).toBe(items);
    expect(queueOf(items, 2).map((i) => i.incidentId)).toEqual([8]);
    expect(queueOf(items, 1).map((i) => i.incidentId)).toEqual([7]);
    expect(queueOf(items, 3)).toEqual([]);
  });

  it("shades by the board's open cases, the district's own left out of the scale", () => {
    const open = openBySubdistrict(board);
    expect([...open.open]).toEqual([
      [1, 4],
      [2, 1],
    ]);
    expect(open.max).toBe(4);
    expect(openBySubdistrict(null).max).toBe(0);
    const busiest = areaLook({ id: 1, name: 'A' }, open, null);
    const quiet = areaLook({ id: 2, name: 'B' }, open, null);
    expect(busiest.fill).toBe(withAlpha(openShade(4, 4), 0.55));
    expect(quiet.fill).toBe(withAlpha(openShade(1, 4), 0.55));
    expect(busiest.fill).not.toBe(quiet.fill);
    expect(busiest.label).toBe('A · 4');
    expect(areaLook({ id: 3, name: 'C' }, open, null).label).toBe('C');
  });

  it('outlines the selected subdistrict thicker and darker', () => {
    const open = openBySubdistrict(board);
    const selected = areaLook({ id: 2, name: 'B' }, open, 2);
    const other = areaLook({ id: 1, name: 'A' }, open, 2);
    expect(selected.selected).toBe(true);
    expect(other.selected).toBe(false);
    expect(selected.width).toBeGreaterThan(other.width);
    expect(selected.stroke).not.toBe(other.stroke);
  });

  it('gives a colour an opacity', () => {
    expect(withAlpha('#ff8000', 0.5)).toBe('rgba(255, 128, 0, 0.5)');
  });
});
