import { describe, it, expect } from 'vitest';
import '../src/screens/command/messages.js';
import {
  twoLines,
  zoneToday,
  addDays,
  windowOf,
  firstDay,
  heatmapParams,
  analyticsParams,
  nextPosition,
  binSizeFor,
  boardQuery,
  boardCases,
  countdown,
  formatDuration,
  actionButtons,
  actionBody,
  applyLiveEvent,
  applySentEvent,
  readOnlyActions,
  binColor,
  reporterLine,
  attributeLines,
  OPEN_STATUSES,
  HISTORY_DAYS,
  holdUps,
  leaderMarks,
  leaderRowMark,
} from '../src/screens/command/logic.js';

describe('time window', () => {
  it('takes today in the area’s zone, not the browser’s', () => {
    // 2026-03-01 17:30 UTC is already 2 March in Shanghai
    expect(zoneToday(new Date('2026-03-01T17:30:00Z'))).toBe('2026-03-02');
    expect(zoneToday(new Date('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
  it('counts days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(firstDay('2026-11-25')).toBe(addDays('2026-11-25', -(HISTORY_DAYS - 1)));
  });
  it('ends the window at the slider position and spans back inclusively', () => {
    const first = '2026-01-01';
    expect(windowOf({ first, end: 0, span: 'day' })).toEqual({ from: '2026-01-01', to: '2026-01-01' });
    expect(windowOf({ first, end: 9, span: 'week' })).toEqual({ from: '2026-01-04', to: '2026-01-10' });
    expect(windowOf({ first, end: 364, span: 'year' })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});

describe('filters → requests', () => {
  const f = { first: '2026-01-01', end: 30, span: 'week', category: 'ENF_EXPOSED_GARBAGE', platform: '' };
  it('gives the WMS heatmap its validated vendor parameters and leaves out empty filters', () => {
    const p = heatmapParams(f);
    expect(p).toMatchObject({
      LAYERS: 'heatmap',
      from: '2026-01-25',
      to: '2026-01-31',
      category: 'ENF_EXPOSED_GARBAGE',
    });
    expect(p.platform).toBeUndefined();
    expect(heatmapParams({ ...f, category: '', platform: 'MARKET' })).toMatchObject({
      category: undefined,
      platform: 'MARKET',
    });
  });
  it('asks the analytics API for the same days as [from, to+1) in +08:00', () => {
    const q = new URLSearchParams(analyticsParams(f, { shape: 'hex', size: 200, bbox: '' }));
    expect(q.get('from')).toBe('2026-01-25T00:00:00+08:00');
    expect(q.get('to')).toBe('2026-02-01T00:00:00+08:00');
    expect(q.get('category')).toBe('ENF_EXPOSED_GARBAGE');
    expect(q.get('shape')).toBe('hex');
    expect(q.has('bbox')).toBe(false);
    expect(q.has('platform')).toBe(false);
  });
  it('plays by day or week and stops at today', () => {
    expect(nextPosition(0, 'day')).toBe(1);
    expect(nextPosition(0, 'week')).toBe(7);
    expect(nextPosition(HISTORY_DAYS - 1, 'day')).toBeNull();
    expect(nextPosition(HISTORY_DAYS - 5, 'week')).toBeNull();
  });
  it('chooses bin sizes from the zoom', () => {
    expect(binSizeFor(1, 24)).toBe(25);
    expect(binSizeFor(10, 24)).toBe(250);
    expect(binSizeFor(1000, 24)).toBe(5000);
  });
  it('queries the board for every open status unless one is chosen', () => {
    const q = new URLSearchParams(boardQuery({ status: '', platform: 'MARKET', grid: 12 }));
    expect(q.get('status').split(',')).toEqual(OPEN_STATUSES);
    expect(q.get('platform')).toBe('MARKET');
    expect(q.get('grid')).toBe('12');
    expect(new URLSearchParams(boardQuery({ status: 'REPORTED' })).get('status')).toBe('REPORTED');
  });
  it("queries what the subdistrict sent to the district, without the board's other filters", () => {
    const q = new URLSearchParams(boardQuery({ status: 'REPORTED', platform: 'MARKET', grid: 12, sent: true }, 50));
    expect(Object.fromEntries(q)).toEqual({ sentToDistrict: 'true', limit: '50' });
  });
});

describe('sent to district', () => {
  const sent = [
    { id: 7, status: 'ESCALATED', version: 2 },
    { id: 9, status: 'ESCALATED', version: 3 },
  ];
  it('keeps a listed case while the district holds it', () => {
    const next = applySentEvent(sent, { incidentId: 7, type: 'DISTRICT_ACCEPT', toStatus: 'ESCALATED', version: 3 });
    expect(next.map((c) => [c.id, c.version])).toEqual([
      [7, 3],
      [9, 3],
    ]);
  });
  it('drops a case the district returned or resolved', () => {
    expect(
      applySentEvent(sent, { incidentId: 9, type: 'DISTRICT_RETURN', toStatus: 'ACCEPTED', version: 4 }).map(
        (c) => c.id,
      ),
    ).toEqual([7]);
    expect(
      applySentEvent(sent, { incidentId: 7, type: 'DISTRICT_RESOLVE', status: 'RESOLVED', version: 3 }).map(
        (c) => c.id,
      ),
    ).toEqual([9]);
  });
  it('offers no action on a case the district holds as its own', () => {
    const a = readOnlyActions({ id: 7, version: 2, status: 'ESCALATED' });
    expect(a).toMatchObject({ incidentId: 7, version: 2, readOnly: true });
    expect(actionButtons(a)).toEqual([]);
  });
  it('adds nothing it did not list', () => {
    expect(applySentEvent(sent, { incidentId: 11, type: 'REPORTED', toStatus: 'REPORTED', fromStatus: null })).toBe(
      sent,
    );
    expect(applySentEvent(sent, { incidentId: 12, type: 'ESCALATED', toStatus: 'ESCALATED' })).toBe(sent);
  });
});

describe('board', () => {
  const now = new Date('2026-11-25T10:00:00+08:00').getTime();
  const cases = [
    { id: 1, status: 'REPORTED', case: { stepDueAt: '2026-11-25T12:00:00+08:00', supervised: false } },
    { id: 2, status: 'DISPATCHED', case: { stepDueAt: '2026-11-25T09:00:00+08:00', supervised: true } },
    { id: 3, status: 'ACCEPTED', case: null, routing: { dueAt: '2026-11-26T10:00:00+08:00' } },
    { id: 4, status: 'CLOSED', case: { stepDueAt: null } },
    { id: 5, status: 'REPORTED', case: null, routing: null },
  ];
  it('puts overdue cases first, then the nearest deadline, and drops closed ones', () => {
    expect(boardCases(cases, {}, now).map((c) => c.id)).toEqual([2, 1, 3, 5]);
  });
  it('filters overdue and supervised cases', () => {
    expect(boardCases(cases, { overdue: true }, now).map((c) => c.id)).toEqual([2]);
    expect(boardCases(cases, { supervised: true }, now).map((c) => c.id)).toEqual([2]);
  });
  it('counts down and words it in both languages', () => {
    const c = countdown('2026-11-27T13:20:00+08:00', now);
    expect(c).toMatchObject({ overdue: false, days: 2, hours: 3, minutes: 20 });
    expect(formatDuration(c, 'zh-CN')).toBe('2天3小时');
    expect(formatDuration(c, 'en')).toBe('2d 3h');
    const late = countdown('2026-11-25T08:35:00+08:00', now);
    expect(late).toMatchObject({ overdue: true, days: 0, hours: 1, minutes: 25 });
    expect(formatDuration(late, 'zh-CN')).toBe('1小时25分');
    expect(formatDuration({ days: 0, hours: 0, minutes: 7 }, 'en')).toBe('7m');
    expect(countdown(null, now)).toBeNull();
  });
  it('adds a new case from the live feed, updates a known one, ignores older versions', () => {
    let list = [{ id: 7, status: 'REPORTED', version: 1 }];
    list = applyLiveEvent(list, {
      incidentId: 8,
      type: 'REPORTED',
      status: 'REPORTED',
      version: 1,
      fromStatus: null,
      location: { type: 'Point', coordinates: [120, 30] },
    });
    expect(list.map((c) => c.id)).toEqual([8, 7]);
    expect(list[0].fresh).toBe(true);
    list = applyLiveEvent(list, {
      incidentId: 7,
      type: 'ACCEPT',
      status: 'ACCEPTED',
      version: 2,
      fromStatus: 'REPORTED',
    });
    expect(list[1]).toMatchObject({ status: 'ACCEPTED', version: 2 });
    expect(applyLiveEvent(list, { incidentId: 7, status: 'REPORTED', version: 1 })[1].status).toBe('ACCEPTED');
    expect(
      applyLiveEvent(list, { incidentId: 99, type: 'DISPATCH', status: 'DISPATCHED', fromStatus: 'ACCEPTED' }),
    ).toBe(list);
  });
  it('colours bins on a log scale', () => {
    expect(binColor(1, 1)).not.toBe(binColor(1, 1000));
    expect(binColor(1000, 1000)).toBe('rgba(128,0,38,0.7)');
  });
});

describe('actions', () => {
  it('offers only what the server allows, main path first, and knows which need a form', () => {
    const b = actionButtons({ actions: ['comment', 'escalate', 'dispatch', 'teleport'] });
    expect(b.map((x) => x.action)).toEqual(['dispatch', 'escalate', 'comment']);
    expect(b[0]).toMatchObject({ primary: true, needsForm: true });
    expect(actionButtons({ actions: ['accept'] })[0].needsForm).toBe(false);
    expect(actionButtons(null)).toEqual([]);
  });
  it('builds bodies with the version, typed values and no empty optional fields', () => {
    expect(actionBody('dispatch', 3, { platform: '', assigneeId: '' })).toEqual({
      body: { action: 'dispatch', expectedVersion: 3 },
    });
    expect(actionBody('dispatch', 3, { platform: 'MARKET', assigneeId: '42' }).body).toEqual({
      action: 'dispatch',
      expectedVersion: 3,
      platform: 'MARKET',
      assigneeId: 42,
    });
    expect(actionBody('escalate', 2, { note: '  ' })).toEqual({ missing: 'note' });
    expect(actionBody('rate', 9, { satisfaction: '4' }).body.satisfaction).toBe(4);
    expect(actionBody('coordinate', 5, { platforms: ['MARKET'], policeSupport: false }).body).toEqual({
      action: 'coordinate',
      expectedVersion: 5,
      platforms: ['MARKET'],
    });
  });
});

describe('twoLines', () => {
  it('breaks labels for narrow chart slots', () => {
    expect(twoLines('综治工作')).toBe('综治\n工作');
    expect(twoLines('Market supervision')).toBe('Market\nsupervision');
    expect(twoLines('Public online services')).toBe('Public online\nservices');
    expect(twoLines('热线')).toBe('热线');
    expect(twoLines('Governance')).toBe('Governance');
    expect(twoLines(undefined)).toBe('');
  });
});

describe('reporter line', () => {
  it('shows what the API gave, and says when it is masked', () => {
    expect(reporterLine({ name: '王先生', phone: '13800000000', masked: false })).toEqual({
      text: '王先生 13800000000',
      masked: false,
    });
    expect(reporterLine({ name: '王**', phone: '138****0000', masked: true })).toEqual({
      text: '王** 138****0000',
      masked: true,
    });
    expect(reporterLine({ name: null, phone: '138****0000', masked: true }).text).toBe('138****0000');
    // no reporter, or one the retention job erased: nothing to show
    expect(reporterLine(undefined)).toBeNull();
    expect(reporterLine({ name: null, phone: null, masked: true })).toBeNull();
  });
});

describe('attributeLines', () => {
  it('shows the answers to an Open311 service question by their names', () => {
    const data = {
      channel: 'PUBLIC_ONLINE',
      attributes: [
        { code: 'VEHICLES', description: '违停车辆数量', value: 4 },
        { code: 'KIND', description: '车辆类型', value: 'CAR', name: '小汽车' },
        { code: 'G', description: '垃圾种类', value: ['A', 'B'], name: ['厨余', '大件'] },
      ],
    };
    expect(attributeLines(data)).toEqual(['违停车辆数量: 4', '车辆类型: 小汽车', '垃圾种类: 厨余、大件']);
  });
  it('is empty for events without answers', () => {
    expect(attributeLines(null)).toEqual([]);
    expect(attributeLines({ channel: 'HOTLINE' })).toEqual([]);
  });
});

describe('joint enforcement on the board', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');
  const incident = {
    case: {
      subtasks: [
        { id: 1, platform: 'ENFORCEMENT', assigneeId: 7, dueAt: '2026-12-06T09:00:00Z', state: 'STARTED' },
        { id: 2, platform: 'MARKET', assigneeId: null, dueAt: '2026-12-05T09:00:00Z', state: 'OPEN' },
        { id: 3, platform: 'SERVICE', assigneeId: 9, dueAt: '2026-12-01T09:00:00Z', state: 'DONE' },
        { id: 4, platform: 'GOVERNANCE', assigneeId: 8, dueAt: '2026-12-05T12:00:00Z', state: 'OPEN' },
      ],
      supervisions: [
        { id: 1, reason: 'a', dueAt: '2026-12-04T00:00:00Z', metAt: null },
        { id: 2, reason: 'b', dueAt: '2026-12-07T00:00:00Z', metAt: null },
        { id: 3, reason: 'c', dueAt: '2026-12-03T00:00:00Z', metAt: '2026-12-02T00:00:00Z' },
      ],
    },
  };

  it('lists the subtasks not done, overdue first, then by deadline', () => {
    const h = holdUps(incident, now);
    expect(h.map((s) => s.id)).toEqual([2, 4, 1]);
    expect(h.map((s) => s.overdue)).toEqual([true, false, false]);
    expect(holdUps({ case: {} }, now)).toEqual([]);
  });

  it('marks leaders’ 督办 met, missed or open', () => {
    expect(leaderMarks(incident, now).map((s) => s.mark)).toEqual(['missed', 'open', 'met']);
  });

  it('marks a board row by its leaders’ 督办 in brief: missed before open, none when met', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    const row = (s) => ({ case: { leaderSupervision: s } });
    expect(leaderRowMark({ case: {} }, now)).toBeNull();
    expect(leaderRowMark(row({ open: 1, missed: 0, nextDueAt: '2026-12-06T00:00:00Z' }), now)).toBe('open');
    expect(leaderRowMark(row({ open: 1, missed: 1, nextDueAt: '2026-12-06T00:00:00Z' }), now)).toBe('missed');
    // fell due since the list was read
    expect(leaderRowMark(row({ open: 1, missed: 0, nextDueAt: '2026-12-05T11:00:00Z' }), now)).toBe('missed');
    expect(leaderRowMark(row({ open: 0, missed: 0, nextDueAt: null }), now)).toBeNull();
  });

  it('sends supervise with an instant and reclassify with a category and reason', () => {
    const b = actionBody('supervise', 4, { reason: '限期办结', dueAt: '2026-12-07T17:00' }).body;
    expect(b.action).toBe('supervise');
    expect(b.dueAt).toBe(new Date('2026-12-07T17:00').toISOString());
    expect(actionBody('supervise', 4, { reason: 'x', dueAt: '' })).toEqual({ missing: 'dueAt' });
    expect(actionBody('supervise', 4, { reason: 'x', dueAt: 'soon' })).toEqual({ missing: 'dueAt' });
    expect(actionBody('reclassify', 2, { category: 'MKT_FOOD_SAFETY', reason: '' })).toEqual({ missing: 'reason' });
    expect(actionButtons({ actions: ['comment', 'reclassify', 'supervise', 'accept'] }).map((x) => x.action)).toEqual([
      'accept',
      'supervise',
      'reclassify',
      'comment',
    ]);
  });
});
