import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import {
  myCases,
  phoneActions,
  applyLocally,
  actionBody,
  actionProblem,
  offlineActions,
  supervisionsOf,
  subtasksOf,
  checkAnswers,
  openTasks,
  patrolPoint,
  createPatrolBuffer,
  reportBody,
  reportProblems,
  settlesCase,
} from '../src/screens/mobile/logic.js';
import { requestFor, KIND } from '../src/screens/mobile/requests.js';
import { outcomeOf, backoffSeconds, createSync, fetchSender, currentOf } from '../src/screens/mobile/sync.js';
import { openQueue } from '../src/screens/mobile/queue.js';

const P = 'https://gridgov.org/problems/';
const feature = (id, status, assigneeId, dueAt) => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [120.1, 30.2] },
  properties: { id, status, version: 3, category: 'C', routing: { assigneeId }, case: { stepDueAt: dueAt } },
});

describe('my cases', () => {
  it('splits to handle (mine, in hand) and to verify (resolved, not mine), soonest first', () => {
    const f = [
      feature(1, 'IN_PROGRESS', 7, '2026-01-02T10:00:00+08:00'),
      feature(2, 'DISPATCHED', 7, '2026-01-01T10:00:00+08:00'),
      feature(3, 'DISPATCHED', 8, '2026-01-01T09:00:00+08:00'),
      feature(4, 'RESOLVED', 8, null),
      feature(5, 'RESOLVED', 7, null),
      feature(6, 'CLOSED', 7, null),
    ];
    const { toHandle, toVerify } = myCases(f, 7);
    expect(toHandle.map((c) => c.id)).toEqual([2, 1]);
    expect(toVerify.map((c) => c.id)).toEqual([4]);
    expect(myCases(f, 7, { verifies: false }).toVerify).toEqual([]);
  });

  it('offers the server-allowed actions the phone knows, in its order', () => {
    expect(phoneActions(['comment', 'resolve', 'request-extension', 'start'])).toEqual(['start', 'resolve', 'comment']);
  });

  it('a queued action moves the case on one version; the next one is sent with it', () => {
    const c = { id: 1, status: 'DISPATCHED', version: 3 };
    const started = applyLocally(c, 'start');
    expect(started).toMatchObject({ status: 'IN_PROGRESS', version: 4, pending: ['start'] });
    const resolved = applyLocally(started, 'resolve');
    expect(resolved).toMatchObject({ status: 'RESOLVED', version: 5, pending: ['start', 'resolve'] });
    expect(actionBody('resolve', resolved.version - 1, ' 已清理 ')).toEqual({
      action: 'resolve',
      expectedVersion: 4,
      note: '已清理',
    });
    expect(actionBody('start', 3, '  ')).toEqual({ action: 'start', expectedVersion: 3 });
  });

  it('a rework or comment needs a note', () => {
    expect(actionProblem('rework', ' ')).toBe('m.action.noteRequired');
    expect(actionProblem('start', '')).toBeNull();
    expect(actionProblem('comment', 'x'.repeat(2001))).toBe('m.action.noteTooLong');
  });

  it('offline, the next steps by state and role', () => {
    expect(offlineActions({ status: 'DISPATCHED' }, ['GRID_WORKER'])).toEqual(['start', 'comment']);
    expect(offlineActions({ status: 'IN_PROGRESS' }, ['GRID_WORKER'])).toEqual(['resolve', 'comment']);
    expect(offlineActions({ status: 'RESOLVED' }, ['VILLAGE_CADRE'])).toEqual(['verify', 'rework', 'comment']);
  });

  it('shows 督办 (open first) and subtasks (mine marked) only when the case carries them', () => {
    expect(supervisionsOf({ case: {} })).toEqual([]);
    const s = supervisionsOf({
      case: {
        supervisions: [
          { id: 1, reason: 'a', dueAt: '2026-01-01T00:00:00Z', metAt: '2026-01-01T00:00:00Z' },
          { id: 2, reason: 'b', dueAt: '2026-01-03T00:00:00Z', metAt: null },
        ],
      },
    });
    expect(s.map((x) => [x.id, x.open])).toEqual([
      [2, true],
      [1, false],
    ]);
    const st = subtasksOf(
      {
        case: {
          subtasks: [
            { id: 1, platform: 'MARKET', assigneeId: 9, dueAt: '2026-01-02', state: 'DONE' },
            { id: 2, platform: 'ENFORCEMENT', assigneeId: 7, dueAt: '2026-01-03', state: 'OPEN' },
          ],
        },
      },
      7,
    );
    expect(st.map((x) => [x.id, x.mine, x.done])).toEqual([
      [2, true, false],
      [1, false, true],
    ]);
  });
});

describe('tasks', () => {
  const task = {
    id: 5,
    state: 'OPEN',
    version: 2,
    checks: [
      { key: 'gas', label: '燃气阀', type: 'YES_NO', required: true, photoRequired: false },
      { key: 'ext', label: '灭火器数', type: 'NUMBER', required: true, photoRequired: true },
      { key: 'note', label: '说明', type: 'TEXT', required: false, photoRequired: false },
      { key: 'door', label: '通道', type: 'PHOTO', required: true, photoRequired: true },
    ],
  };
  it('checks answers by type, required items and required photos', () => {
    const bad = checkAnswers(task, { ext: 'abc' }, {});
    expect(bad.errors).toEqual([
      { check: 'gas', key: 'm.task.required' },
      { check: 'ext', key: 'm.task.notANumber' },
      { check: 'door', key: 'm.task.photoRequired' },
    ]);
    const good = checkAnswers(task, { gas: 'true', ext: '2', note: ' ok ' }, { ext: 1, door: 1 });
    expect(good.errors).toEqual([]);
    expect(good.answers).toEqual([
      { check: 'gas', value: true },
      { check: 'ext', value: 2 },
      { check: 'note', value: 'ok' },
      { check: 'door', value: null },
    ]);
  });
  it('lists open tasks, soonest due first', () => {
    const answer = {
      tasks: [
        { id: 1, state: 'OPEN', dueAt: '2026-02-01' },
        { id: 2, state: 'DONE', dueAt: '2026-01-01' },
        { id: 3, state: 'OPEN', dueAt: '2026-01-15' },
      ],
    };
    expect(openTasks(answer).map((t) => t.id)).toEqual([3, 1]);
    expect(openTasks(null)).toEqual([]);
  });
  it('leaves out a task whose completion waits in the outbox', () => {
    const answer = {
      tasks: [
        { id: 1, state: 'OPEN', dueAt: '2026-02-01' },
        { id: 3, state: 'OPEN', dueAt: '2026-01-15' },
      ],
    };
    const queued = [
      { kind: KIND.TASK_PHOTO, taskId: 1 },
      { kind: KIND.TASK_COMPLETE, taskId: 3 },
    ];
    expect(openTasks(answer, queued).map((t) => t.id)).toEqual([1]);
  });
});

describe('patrol', () => {
  it('turns fixes into points, drops rough ones and repeats within a second', () => {
    const fix = (ts, acc = 8) => ({ timestamp: ts, coords: { longitude: 120.1, latitude: 30.2, accuracy: acc } });
    expect(patrolPoint(fix(0, 500))).toBeNull();
    const p = patrolPoint(fix(Date.UTC(2026, 0, 1, 8)));
    expect(p).toEqual({ at: '2026-01-01T08:00:00.000Z', lon: 120.1, lat: 30.2, accuracy: 8 });
    const b = createPatrolBuffer({ size: 3, maxAgeMs: 1000 });
    expect(b.add(p, 0)).toBe(true);
    expect(b.add(patrolPoint(fix(Date.UTC(2026, 0, 1, 8) + 300)), 10)).toBe(false);
    expect(b.due(500)).toBe(false);
    expect(b.due(1000)).toBe(true);
    b.add(patrolPoint(fix(Date.UTC(2026, 0, 1, 8, 0, 5))), 20);
    b.add(patrolPoint(fix(Date.UTC(2026, 0, 1, 8, 0, 10))), 30);
    expect(b.due(40)).toBe(true);
    expect(b.take()).toHaveLength(3);
    expect(b.size).toBe(0);
  });
});

describe('report', () => {
  it('needs a category, a place and words', () => {
    expect(reportProblems({})).toEqual(['m.report.needCategory', 'm.report.needPlace', 'm.report.needDescription']);
    expect(reportBody({ category: 'C', description: ' x ', position: { lon: 1, lat: 2 } })).toEqual({
      channel: 'GRID_PATROL',
      category: 'C',
      description: 'x',
      location: { lon: 1, lat: 2 },
    });
  });
});

const photo = { name: 'a.jpg', type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff]).buffer };

describe('requests', () => {
  it('every kind carries its Idempotency-Key', () => {
    const a = requestFor({
      kind: KIND.ACTION,
      key: 'k1',
      incidentId: 4,
      body: { action: 'start', expectedVersion: 3 },
    });
    expect(a).toEqual({
      method: 'POST',
      path: '/api/v1/incidents/4/actions',
      headers: { 'Idempotency-Key': 'k1' },
      json: { action: 'start', expectedVersion: 3 },
    });
    const m = requestFor({ kind: KIND.MEDIA, key: 'k2', incidentId: 4, stage: 'AFTER', photos: [photo] });
    expect(m.path).toBe('/api/v1/incidents/4/media');
    expect(m.form.get('stage')).toBe('AFTER');
    expect(m.form.getAll('photo')).toHaveLength(1);
    const r = requestFor({ kind: KIND.REPORT, key: 'k3', report: { category: 'C' }, photos: [photo] });
    expect(r.path).toBe('/api/v1/incidents');
    expect(r.form.get('report')).toBeTruthy();
    expect(requestFor({ kind: KIND.REPORT, key: 'k4', report: { category: 'C' }, photos: [] }).json).toEqual({
      category: 'C',
    });
    const pos = requestFor({ kind: KIND.POSITIONS, key: 'k5', staffId: 9, positions: [{ at: 'x', lon: 1, lat: 2 }] });
    expect(pos.path).toBe('/api/v1/staff/9/positions');
    expect(pos.json.positions).toHaveLength(1);
  });

  it('a task completion names the photos uploaded before it', () => {
    const results = new Map([['p1', { mediaId: 42 }]]);
    const c = requestFor(
      {
        kind: KIND.TASK_COMPLETE,
        key: 'k6',
        taskId: 5,
        expectedVersion: 2,
        answers: [{ check: 'door', value: null, photoKeys: ['p1', 'missing'] }],
      },
      results,
    );
    expect(c.path).toBe('/api/v1/tasks/5/complete');
    expect(c.json).toEqual({ expectedVersion: 2, answers: [{ check: 'door', value: null, mediaIds: [42] }] });
    const p = requestFor({ kind: KIND.TASK_PHOTO, key: 'p1', taskId: 5, check: 'door', photo });
    expect(p.form.get('check')).toBe('door');
  });
});

describe('sync', () => {
  it('classifies answers', () => {
    expect(outcomeOf(200)).toBe('done');
    expect(outcomeOf(201)).toBe('done');
    expect(outcomeOf(409, { type: `${P}action-already-applied` })).toBe('done');
    expect(outcomeOf(409, { type: `${P}stale-version` })).toBe('conflict');
    expect(outcomeOf(409, { type: `${P}invalid-transition` })).toBe('conflict');
    expect(outcomeOf(0)).toBe('retry');
    expect(outcomeOf(503)).toBe('retry');
    expect(outcomeOf(429)).toBe('retry');
    expect(outcomeOf(401)).toBe('login');
    expect(outcomeOf(422, { type: `${P}idempotency-key-reused` })).toBe('refused');
    expect([1, 2, 3, 6, 9].map(backoffSeconds)).toEqual([2, 4, 8, 60, 60]);
  });

  it("reads the case's state from a 409 only where it is a word, not the HTTP status", () => {
    expect(currentOf({ type: `${P}stale-version`, status: 409, title: 'stale' })).toBeNull();
    expect(currentOf({ status: 409, caseStatus: 'RESOLVED', version: 6 })).toEqual({ status: 'RESOLVED', version: 6 });
    expect(currentOf(null)).toBeNull();
  });

  let n = 0;
  const fresh = () => openQueue(`test-${++n}`);

  it('sends in order, stops at the first item without network, and keeps it across a reopen', async () => {
    const name = `test-${++n}`;
    let q = await openQueue(name);
    await q.add({ kind: KIND.ACTION, key: 'a', incidentId: 1, body: { action: 'start', expectedVersion: 1 } });
    await q.add({ kind: KIND.ACTION, key: 'b', incidentId: 1, body: { action: 'resolve', expectedVersion: 2 } });
    await q.add({ kind: KIND.REPORT, key: 'c', report: { category: 'C' }, photos: [photo] });
    const sent = [];
    let online = false;
    const send = async (item) => {
      if (!online) return { status: 0, body: null };
      sent.push(item.key);
      return { status: 200, body: { id: 1 } };
    };
    let r = await createSync({ queue: q, send }).run();
    expect(r).toEqual({ sent: 0, stopped: 'retry', retryIn: 2 });
    expect(await q.count()).toBe(3);
    q.close();
    // the browser closed: the queue is read again, the photo's bytes with it
    q = await openQueue(name);
    const items = await q.all();
    expect(items.map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(items[0].attempts).toBe(1);
    expect(new Uint8Array(items[2].photos[0].bytes)[0]).toBe(0xff);
    online = true;
    r = await createSync({ queue: q, send }).run();
    expect(r.sent).toBe(3);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(await q.count()).toBe(0);
  });

  it('a replayed key the server already applied counts as done; a conflict is kept aside with the case now', async () => {
    const q = await fresh();
    await q.add({ kind: KIND.ACTION, key: 'same', incidentId: 3, body: { action: 'start', expectedVersion: 1 } });
    await q.add({ kind: KIND.ACTION, key: 'other', incidentId: 4, body: { action: 'start', expectedVersion: 1 } });
    const answers = {
      same: {
        status: 409,
        body: { type: `${P}action-already-applied`, incidentId: 3, eventId: 9, status: 'IN_PROGRESS', version: 2 },
      },
      other: { status: 409, body: { type: `${P}stale-version`, title: 'stale' } },
    };
    const changes = [];
    const sync = createSync({
      queue: q,
      send: async (item) => answers[item.key],
      current: async (item) => ({ status: 'RESOLVED', version: 5, id: item.incidentId }),
      onChange: (c) => changes.push(c.outcome),
    });
    const r = await sync.run();
    expect(r.sent).toBe(1);
    expect(changes).toEqual(['done', 'conflict']);
    expect(await q.count()).toBe(0);
    const problems = await q.problems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      key: 'other',
      problem: { outcome: 'conflict', current: { status: 'RESOLVED', version: 5 } },
    });
  });

  it('a task photo done first gives its media id to the completion after it', async () => {
    const q = await fresh();
    await q.add({ kind: KIND.TASK_PHOTO, key: 'p', taskId: 5, check: 'door', photo });
    await q.add({
      kind: KIND.TASK_COMPLETE,
      key: 'c',
      taskId: 5,
      expectedVersion: 1,
      answers: [{ check: 'door', value: null, photoKeys: ['p'] }],
    });
    const bodies = [];
    const fetchFn = async (path, init) => {
      bodies.push([
        path,
        init.headers['Idempotency-Key'],
        typeof init.body === 'string' ? JSON.parse(init.body) : 'form',
      ]);
      return new Response(JSON.stringify(path.endsWith('/photos') ? { mediaId: 77 } : { id: 5, state: 'DONE' }), {
        status: path.endsWith('/photos') ? 201 : 200,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    await createSync({ queue: q, send: fetchSender(fetchFn, () => ({ Authorization: 'Bearer t' })) }).run();
    expect(bodies).toEqual([
      ['/api/v1/tasks/5/photos', 'p', 'form'],
      [
        '/api/v1/tasks/5/complete',
        'c',
        { expectedVersion: 1, answers: [{ check: 'door', value: null, mediaIds: [77] }] },
      ],
    ]);
  });

  it('a refused item is kept aside, the rest goes on; no network is status 0', async () => {
    const q = await fresh();
    await q.add({ kind: KIND.REPORT, key: 'bad', report: {}, photos: [] });
    await q.add({ kind: KIND.POSITIONS, key: 'pos', staffId: 1, positions: [] });
    const send = fetchSender(
      async (path) => {
        if (path === '/api/v1/incidents')
          return new Response(JSON.stringify({ type: `${P}validation`, status: 422 }), { status: 422 });
        throw new TypeError('Failed to fetch');
      },
      () => ({}),
    );
    const r = await createSync({ queue: q, send }).run();
    expect(r.stopped).toBe('retry');
    expect((await q.problems()).map((p) => p.key)).toEqual(['bad']);
    expect((await q.all()).map((i) => i.key)).toEqual(['pos']);
  });
});

describe('settlesCase', () => {
  const change = (incidentId, outcome) => ({ item: { kind: KIND.ACTION, incidentId }, outcome });
  it('redraws the case on screen when the sync took or set aside one of its items', () => {
    expect(settlesCase(change(7, 'done'), 7)).toBe(true);
    expect(settlesCase(change(7, 'conflict'), 7)).toBe(true);
    expect(settlesCase(change(7, 'refused'), 7)).toBe(true);
  });
  it('not for items still waiting, other cases, or while the screen waits for its own action', () => {
    expect(settlesCase(change(7, 'retry'), 7)).toBe(false);
    expect(settlesCase(change(7, 'login'), 7)).toBe(false);
    expect(settlesCase(change(8, 'done'), 7)).toBe(false);
    expect(settlesCase({ item: { kind: KIND.REPORT }, outcome: 'done' }, 7)).toBe(false);
    expect(settlesCase(change(7, 'conflict'), NaN)).toBe(false);
    expect(settlesCase(change(7, 'done'), 7, true)).toBe(false);
  });
});
