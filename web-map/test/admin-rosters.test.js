import { describe, it, expect } from 'vitest';
import '../src/app/messages.js';
import '../src/screens/admin/messages.js';
import {
  LEAVE_KINDS,
  SHIFT_DAYS,
  DUTY_REASONS,
  weekStart,
  weekDays,
  addDays,
  todayIn,
  offsetAt,
  zoned,
  weekQuery,
  localDate,
  localText,
  clockText,
  inPlace,
  weekRows,
  validateShifts,
  shiftsBody,
  validateLeave,
  leaveBody,
  problemField,
  SHIFT_FIELDS,
  LEAVE_FIELDS,
  rosterWord,
  describeRoster,
} from '../src/screens/admin/rosterLogic.js';

const STAFF = [
  { id: 1, name: '王芳', username: 'gw1', scope: { type: 'GRID', gridId: 10 }, active: true },
  { id: 2, name: '李强', username: 'gw2', scope: { type: 'GRID', gridId: 11 }, active: true },
  { id: 3, name: '赵敏', username: 'gl1', scope: { type: 'COMMUNITY', communityId: 5 }, active: true },
  { id: 4, name: '孙丽', username: 'gw3', scope: { type: 'GRID', gridId: 12 }, active: false },
];
const GRIDS = new Map([
  [10, { code: 'G10', communityId: 5 }],
  [11, { code: 'G11', communityId: 6 }],
  [12, { code: 'G12', communityId: 5 }],
]);

describe('the week', () => {
  it('starts on Monday, whatever day is given', () => {
    expect(weekStart('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekStart('2026-12-13')).toBe('2026-12-07'); // Sunday
    expect(weekStart('2026-01-01')).toBe('2025-12-29'); // across a year
    expect(() => weekStart('tomorrow')).toThrow();
  });

  it('has seven dates and moves by days', () => {
    expect(weekDays('2026-12-28')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('asks a day either side, so shifts placed by their local date are all in', () => {
    expect(weekQuery('2026-12-07')).toBe('from=2026-12-06T00:00:00Z&to=2026-12-15T00:00:00Z');
  });
});

describe('times in the area zone', () => {
  it('reads the offset of the zone, not the browser', () => {
    expect(offsetAt('Asia/Shanghai', '2026-12-07T10:00')).toBe('+08:00');
    expect(offsetAt('UTC', '2026-12-07T10:00')).toBe('+00:00');
    expect(offsetAt('Europe/Berlin', '2026-07-01T10:00')).toBe('+02:00');
    expect(offsetAt('America/New_York', '2026-01-15T10:00')).toBe('-05:00');
    expect(zoned('2026-12-07T10:00', 'Asia/Shanghai')).toBe('2026-12-07T10:00:00+08:00');
  });

  it("today is the zone's date", () => {
    // 2026-12-06 20:00 UTC is already 7 December in Shanghai
    expect(todayIn('Asia/Shanghai', new Date('2026-12-06T20:00:00Z'))).toBe('2026-12-07');
    expect(todayIn('UTC', new Date('2026-12-06T20:00:00Z'))).toBe('2026-12-06');
  });

  it('shows answers as the area clock, as sent', () => {
    expect(localDate('2026-12-07T23:30+08:00')).toBe('2026-12-07');
    expect(localText('2026-12-07T09:00+08:00')).toBe('2026-12-07 09:00');
    expect(clockText('2026-12-07T09:00+08:00')).toBe('09:00');
  });
});

describe('the rows of a week', () => {
  const days = weekDays('2026-12-07');
  const shifts = [
    { id: 1, staffId: 2, start: '2026-12-08T13:00+08:00', end: '2026-12-08T17:00+08:00' },
    { id: 2, staffId: 2, start: '2026-12-08T08:00+08:00', end: '2026-12-08T12:00+08:00' },
    { id: 3, staffId: 1, start: '2026-12-20T08:00+08:00', end: '2026-12-20T12:00+08:00' }, // another week
  ];
  const leave = [
    {
      id: 9,
      staffId: 1,
      kind: 'SICK',
      start: '2026-12-09T09:00+08:00',
      end: '2026-12-11T00:00+08:00',
      cancelledAt: null,
    },
  ];

  it('places shifts by their local date, in order, and leave on each day it covers', () => {
    const rows = weekRows({ shifts, leave, staff: STAFF, days, lang: 'zh-CN' });
    expect(rows.map((r) => r.staffId).sort()).toEqual([1, 2]);
    const li = rows.find((r) => r.staffId === 2);
    expect(li.days['2026-12-08'].shifts.map((s) => s.id)).toEqual([2, 1]);
    const wang = rows.find((r) => r.staffId === 1);
    expect(days.filter((d) => wang.days[d].leave.length)).toEqual(['2026-12-09', '2026-12-10']); // ends at midnight
    expect(days.every((d) => wang.days[d].shifts.length === 0)).toBe(true);
  });

  it('with a grid or community filter shows its people, shifts or not', () => {
    const grid = weekRows({ shifts, leave, staff: STAFF, days, filter: { gridId: '11' }, grids: GRIDS });
    expect(grid.map((r) => r.staffId)).toEqual([2]);
    const community = weekRows({ shifts, leave, staff: STAFF, days, filter: { communityId: '5' }, grids: GRIDS });
    // 1 (a grid of 5), 3 (scope 5); not 4: disabled
    expect(community.map((r) => r.staffId).sort()).toEqual([1, 3]);
    expect(inPlace(STAFF[2], { gridId: '10' }, GRIDS)).toBe(false);
    expect(inPlace(STAFF[0], {}, GRIDS)).toBe(true);
  });
});

describe('the forms', () => {
  const shift = {
    staffId: '2',
    from: '2026-12-07',
    to: '2026-12-11',
    start: '08:30',
    end: '17:30',
    days: 'WORKING',
    note: ' ',
  };

  it('checks a roster as the server would', () => {
    expect(validateShifts(shift)).toEqual([]);
    expect(validateShifts({ ...shift, staffId: '' }).map((e) => e.field)).toEqual(['staffId']);
    expect(validateShifts({ ...shift, to: '2026-12-01' })).toEqual([
      { field: 'to', key: 'admin.roster.invalid.toBeforeFrom' },
    ]);
    expect(validateShifts({ ...shift, end: '08:30' })).toEqual([
      { field: 'end', key: 'admin.roster.invalid.emptyShift' },
    ]);
    expect(validateShifts({ ...shift, end: '06:00' })).toEqual([]); // overnight
    expect(validateShifts({ ...shift, days: 'SOMETIMES' }).map((e) => e.field)).toEqual(['days']);
  });

  it('sends a roster body with numbers and no empty note', () => {
    expect(shiftsBody(shift)).toEqual({
      staffId: 2,
      from: '2026-12-07',
      to: '2026-12-11',
      start: '08:30',
      end: '17:30',
      days: 'WORKING',
    });
    expect(shiftsBody({ ...shift, note: ' 冬季 ' }).note).toBe('冬季');
  });

  it('checks leave and sends local times', () => {
    const l = {
      staffId: '1',
      kind: 'ANNUAL',
      start: '2026-12-08T09:00',
      end: '2026-12-08T18:00',
      substituteId: '',
      note: '',
    };
    expect(validateLeave(l)).toEqual([]);
    expect(validateLeave({ ...l, end: '2026-12-08T09:00' }).map((e) => e.field)).toEqual(['end']);
    expect(validateLeave({ ...l, substituteId: '1' }).map((e) => e.field)).toEqual(['substituteId']);
    expect(validateLeave({ ...l, kind: 'HOLIDAY', start: '' }).map((e) => e.field)).toEqual(['kind', 'start']);
    expect(leaveBody(l)).toEqual({ staffId: 1, kind: 'ANNUAL', start: '2026-12-08T09:00', end: '2026-12-08T18:00' });
    expect(leaveBody({ ...l, substituteId: '3' }).substituteId).toBe(3);
  });

  it("shows the server's problem at the field it names", () => {
    expect(problemField({ status: 409, field: '/from' }, SHIFT_FIELDS)).toBe('from');
    expect(problemField({ status: 409, field: '/start' }, LEAVE_FIELDS)).toBe('start');
    expect(problemField({ status: 403, field: '/substituteId' }, LEAVE_FIELDS)).toBe('substituteId');
    expect(problemField({ status: 422, field: '/days' }, LEAVE_FIELDS)).toBe(null);
    expect(problemField({ status: 403 }, SHIFT_FIELDS)).toBe(null);
  });
});

describe('words', () => {
  it('has words for every kind, day pattern and reason in both languages', () => {
    for (const lang of ['zh-CN', 'en']) {
      for (const k of LEAVE_KINDS) expect(rosterWord('kind', k, lang)).not.toBe(k);
      for (const d of SHIFT_DAYS) expect(rosterWord('days', d, lang)).not.toBe(d);
      for (const r of DUTY_REASONS) expect(rosterWord('reason', r, lang)).not.toBe(r);
    }
    expect(rosterWord('kind', 'ANNUAL', 'zh-CN')).toBe('年假');
    expect(rosterWord('kind', 'NEW_KIND', 'zh-CN')).toBe('NEW_KIND');
  });

  it('reads a roster entry of the admin log', () => {
    const added = describeRoster({
      change: { action: 'shiftsAdded', staffId: 2, shifts: [{ id: 5, start: 'a', end: 'b' }], note: 'x' },
    });
    expect(added).toEqual({
      action: 'shiftsAdded',
      staffId: 2,
      shifts: [{ id: 5, start: 'a', end: 'b' }],
      leave: null,
      note: 'x',
    });
    const deleted = describeRoster({ change: { action: 'shiftDeleted', staffId: 2, shift: { id: 5 } } });
    expect(deleted.shifts).toEqual([{ id: 5 }]);
    const leave = describeRoster({
      change: { action: 'leaveRecorded', staffId: 1, leave: { id: 9, kind: 'SICK', note: '发烧' } },
    });
    expect(leave.leave.kind).toBe('SICK');
    expect(leave.note).toBe('发烧');
  });
});
