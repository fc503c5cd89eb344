// The phone screen's decisions, free of the DOM so Vitest checks them: which cases are mine to
// handle or to verify, which actions a thumb gets, what a queued action does to the case shown
// meanwhile, 督办 and subtasks as the case JSON carries them, task answers, patrol batches.

/** States in which the assignee works the case. */
export const HANDLING = ['DISPATCHED', 'IN_PROGRESS', 'COORDINATION'];
/** The state a verifier looks at. */
export const TO_VERIFY = ['RESOLVED'];
/** The actions the phone offers, in this order, out of those GET …/actions allows. */
export const PHONE_ACTIONS = ['start', 'resolve', 'verify', 'rework', 'comment'];
/** Actions that take before/after photos on the phone, and at which stage. */
export const PHOTO_STAGE = { start: 'BEFORE', resolve: 'AFTER', verify: 'VERIFICATION', rework: 'VERIFICATION' };
/** Actions that need a note. */
export const NOTE_REQUIRED = ['rework', 'comment'];

const NEXT_STATUS = { start: 'IN_PROGRESS', resolve: 'RESOLVED', verify: 'VERIFIED', rework: 'IN_PROGRESS' };

/** A GeoJSON feature of GET /api/v1/incidents as the list shows it. */
export function caseRow(feature) {
  const p = feature.properties ?? {};
  const [lon, lat] = feature.geometry?.coordinates ?? [null, null];
  return {
    id: p.id ?? feature.id,
    status: p.status,
    version: p.version,
    category: p.category,
    description: p.description ?? '',
    reportedAt: p.reportedAt,
    assigneeId: p.routing?.assigneeId ?? null,
    platform: p.routing?.platform ?? null,
    dueAt: p.case?.stepDueAt ?? p.routing?.dueAt ?? null,
    supervised: Boolean(p.case?.supervised),
    lon,
    lat,
  };
}

function byDue(a, b) {
  return String(a.dueAt ?? '9999').localeCompare(String(b.dueAt ?? '9999')) || a.id - b.id;
}

/**
 * My cases out of the lists the server answered (already cut to the caller's scope): to handle,
 * those assigned to me in a handling state; to verify, the resolved ones I may verify (my grid's
 * or community's; not those I resolved myself, when I am the assignee: verification is another
 * pair of eyes). Soonest deadline first.
 */
export function myCases(features, me, { verifies = true } = {}) {
  const rows = features.map(caseRow);
  return {
    toHandle: rows.filter((r) => HANDLING.includes(r.status) && r.assigneeId === me).sort(byDue),
    toVerify: verifies ? rows.filter((r) => TO_VERIFY.includes(r.status) && r.assigneeId !== me).sort(byDue) : [],
  };
}

/** The roles that verify on the phone (docs/access.md: grid worker, grid leader, village cadre). */
export function verifies(roles = []) {
  return roles.some((r) => ['GRID_WORKER', 'GRID_LEADER', 'VILLAGE_CADRE'].includes(r));
}

/** The buttons: GET …/actions' answer cut to what the phone does, in PHONE_ACTIONS' order. */
export function phoneActions(allowed = []) {
  return PHONE_ACTIONS.filter((a) => allowed.includes(a));
}

/** The body of a case action, with the version the screen saw. */
export function actionBody(action, expectedVersion, note) {
  const body = { action, expectedVersion };
  if (note && note.trim()) body.note = note.trim();
  return body;
}

/** A note the action needs and lacks: the message key, or null. */
export function actionProblem(action, note) {
  if (NOTE_REQUIRED.includes(action) && !(note ?? '').trim()) return 'm.action.noteRequired';
  if ((note ?? '').length > 2000) return 'm.action.noteTooLong';
  return null;
}

/**
 * The case as the phone shows it while an action waits in the queue: the state it will have, one
 * version on (every action writes one event), marked pending; the next action queued on it is sent
 * with that version.
 */
export function applyLocally(kase, action) {
  return {
    ...kase,
    status: NEXT_STATUS[action] ?? kase.status,
    version: (kase.version ?? 0) + 1,
    pending: [...(kase.pending ?? []), action],
  };
}

/** What the phone allows on a case whose actions it cannot ask for (offline): the next steps by state. */
export function offlineActions(kase, roles = []) {
  const worker = roles.some((r) => ['GRID_WORKER', 'PLATFORM_HANDLER', 'PLATFORM_COMMANDER'].includes(r));
  const out = [];
  if (worker && kase.status === 'DISPATCHED') out.push('start');
  if (worker && ['IN_PROGRESS', 'COORDINATION'].includes(kase.status)) out.push('resolve');
  if (verifies(roles) && kase.status === 'RESOLVED') out.push('verify', 'rework');
  out.push('comment');
  return out;
}

/** 督办 on a case (`case.supervisions`, when the server sends them): open ones first, soonest due. */
export function supervisionsOf(kase) {
  const list = kase?.case?.supervisions;
  if (!Array.isArray(list)) return [];
  return list
    .map((s) => ({ ...s, open: s.metAt == null }))
    .sort((a, b) => Number(b.open) - Number(a.open) || String(a.dueAt).localeCompare(String(b.dueAt)));
}

/** Subtasks of a joint case (`case.subtasks`), mine marked, not done first. */
export function subtasksOf(kase, me) {
  const list = kase?.case?.subtasks;
  if (!Array.isArray(list)) return [];
  return list
    .map((s) => ({ ...s, mine: s.assigneeId === me, done: s.state === 'DONE' }))
    .sort((a, b) => Number(a.done) - Number(b.done) || String(a.dueAt).localeCompare(String(b.dueAt)));
}

/** Whether a deadline has passed (now: ms since epoch). */
export function overdue(dueAt, now = Date.now()) {
  return dueAt != null && new Date(dueAt).getTime() < now;
}

/**
 * A task's answers as typed (`values`: key → string | boolean; `photos`: key → count of photos
 * taken) checked against its check items: a required item answered, numbers numeric, a photo where
 * one is required. → {errors: [{check, key}], answers: [{check, value}]}.
 */
export function checkAnswers(task, values = {}, photos = {}) {
  const errors = [];
  const answers = [];
  for (const c of task.checks ?? []) {
    const raw = values[c.key];
    let value = null;
    if (c.type === 'YES_NO')
      value = raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : null;
    else if (c.type === 'NUMBER') {
      const s = String(raw ?? '').trim();
      if (s !== '') {
        value = Number(s);
        if (!Number.isFinite(value)) {
          errors.push({ check: c.key, key: 'm.task.notANumber' });
          continue;
        }
      }
    } else if (c.type === 'TEXT') value = String(raw ?? '').trim() || null;
    const needsPhoto = c.type === 'PHOTO' || c.photoRequired;
    if (c.required && value === null && c.type !== 'PHOTO') errors.push({ check: c.key, key: 'm.task.required' });
    else if (needsPhoto && (c.required || c.photoRequired) && !(photos[c.key] > 0))
      errors.push({ check: c.key, key: 'm.task.photoRequired' });
    answers.push({ check: c.key, value });
  }
  return { errors, answers };
}

/**
 * GET /api/v1/tasks' tasks, soonest due first; [] when the answer has none. queued: the outbox's
 * items; a task whose completion waits there is left out (offline the list comes from the cache,
 * and completing it twice would only meet a conflict).
 */
export function openTasks(answer, queued = []) {
  const completing = new Set(queued.filter((i) => i.kind === 'task-complete').map((i) => i.taskId));
  return [...(answer?.tasks ?? [])].filter((t) => t.state === 'OPEN' && !completing.has(t.id)).sort(byDue);
}

/**
 * A position from navigator.geolocation → one of the patrol API's points; null when too rough to
 * be worth sending (accuracy over maxAccuracy metres).
 */
export function patrolPoint(position, { maxAccuracy = 100 } = {}) {
  const c = position?.coords;
  if (!c || !Number.isFinite(c.longitude) || !Number.isFinite(c.latitude)) return null;
  if (Number.isFinite(c.accuracy) && c.accuracy > maxAccuracy) return null;
  const point = { at: new Date(position.timestamp ?? Date.now()).toISOString(), lon: c.longitude, lat: c.latitude };
  if (Number.isFinite(c.accuracy)) point.accuracy = Math.round(c.accuracy * 10) / 10;
  return point;
}

/**
 * The patrol's buffer: points gather here and leave in batches — every `size` points or when the
 * oldest waited `maxAgeMs` — so the phone sends a request a minute, not one per fix. A point at
 * the same second as the last one is dropped (the server keys points by person and time).
 */
export function createPatrolBuffer({ size = 20, maxAgeMs = 60_000, limit = 5000 } = {}) {
  let points = [];
  let since = null;
  return {
    add(point, now = Date.now()) {
      if (!point) return false;
      const last = points[points.length - 1];
      if (last && last.at.slice(0, 19) === point.at.slice(0, 19)) return false;
      if (!points.length) since = now;
      points.push(point);
      return true;
    },
    due(now = Date.now()) {
      return points.length >= size || (points.length > 0 && now - since >= maxAgeMs);
    },
    /** Takes the batch (at most the API's 5,000) out of the buffer. */
    take() {
      const batch = points.slice(0, limit);
      points = points.slice(limit);
      since = points.length ? Date.now() : null;
      return batch;
    },
    get size() {
      return points.length;
    },
  };
}

/** The report's JSON (docs/intake.md) from the phone's form. */
export function reportBody({ category, description, position, channel = 'GRID_PATROL' }) {
  const body = { channel, category, description: (description ?? '').trim() };
  if (position) body.location = { lon: position.lon, lat: position.lat };
  return body;
}

/** The report form's missing pieces: message keys. */
export function reportProblems({ category, description, position }) {
  const out = [];
  if (!category) out.push('m.report.needCategory');
  if (!position) out.push('m.report.needPlace');
  if (!(description ?? '').trim()) out.push('m.report.needDescription');
  return out;
}

/** '+08:00' ISO time → 'HH:MM' or 'MM-DD HH:MM' when not today (short, for a phone's line). */
export function shortTime(iso, now = new Date()) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === now.toDateString() ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/**
 * Whether the case on screen must be drawn again after the outbox settled an item (change:
 * {item, outcome}): an item of this case the server took or set aside (done, conflict, refused),
 * unless an action of this screen is waiting for that answer itself (acting). Without it a case
 * queued offline kept showing "pending" and its offline state after the sync, under a banner
 * saying someone acted first.
 */
export function settlesCase(change, caseId, acting = false) {
  if (acting || !Number.isFinite(caseId)) return false;
  if (change?.outcome === 'retry' || change?.outcome === 'login') return false;
  return Number(change?.item?.incidentId) === caseId;
}
