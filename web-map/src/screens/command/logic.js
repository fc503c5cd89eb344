// The command centre's pure logic: time windows and filters → WMS / analytics / list parameters,
// deadline countdowns, the case board's order and filters, and the action forms. No DOM, no
// fetch: unit-tested with Vitest (test/command.test.js).

// the district's answers to an escalated case, from openapi.yaml at build time (vite.config.js)
import DISTRICT_OUTCOMES from '@server/openapi.yaml?pick=paths./api/v1/incidents/{id}/actions.post.requestBody.content.application/json.schema.properties.outcome.enum';

// the area's days: the heatmap's from/to are its calendar days
import { ZONE } from '../../shared/area.js';
export { ZONE };
// The open statuses in the order of a case's path: the board's query and the stacked bars (charts.js)
export const OPEN_STATUSES = [
  'REPORTED',
  'ACCEPTED',
  'DISPATCHED',
  'IN_PROGRESS',
  'COORDINATION',
  'RESOLVED',
  'VERIFIED',
  'ESCALATED',
];
export const SPANS = { day: 1, week: 7, month: 30, year: 365 };
export const HISTORY_DAYS = 365; // the slider runs over the last year (the analytics default window)

const DAY_MS = 86_400_000;

/** Today in the area's time zone as YYYY-MM-DD. */
export function zoneToday(now = new Date()) {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/** 'YYYY-MM-DD' plus n calendar days. */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The time window shown: the slider position `end` (0 … HISTORY_DAYS−1 days after `first`) and
 * the span ('day' | 'week' | 'month' | 'year'). Returns inclusive days {from, to}.
 */
export function windowOf({ first, end, span }) {
  const to = addDays(first, end);
  return { from: addDays(to, -(SPANS[span] ?? 7) + 1), to };
}

/** The slider's first day: HISTORY_DAYS − 1 days before today. */
export function firstDay(today) {
  return addDays(today, -(HISTORY_DAYS - 1));
}

/** GetMap parameters of the WMS heatmap layer for the filters (absent filters are left out). */
export function heatmapParams(filters) {
  const { from, to } = windowOf(filters);
  return {
    LAYERS: 'heatmap',
    STYLES: '',
    VERSION: '1.3.0',
    FORMAT: 'image/png',
    TRANSPARENT: true,
    from,
    to,
    category: filters.category || undefined,
    platform: filters.platform || undefined,
  };
}

/** The analytics endpoints' query for the same window: [from 00:00, to + 1 day 00:00) in the area's zone. */
export function analyticsParams(filters, extra = {}) {
  const { from, to } = windowOf(filters);
  const p = new URLSearchParams({ from: `${from}T00:00:00+08:00`, to: `${addDays(to, 1)}T00:00:00+08:00` });
  if (filters.category) p.set('category', filters.category);
  if (filters.platform) p.set('platform', filters.platform);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p.toString();
}

/** The next slider position while playing, or null at the end (today). step: 'day' | 'week'. */
export function nextPosition(end, step) {
  const next = end + (step === 'week' ? 7 : 1);
  return next > HISTORY_DAYS - 1 ? null : next;
}

/** A bin size in metres that gives cells of roughly `pixels` on screen at this resolution (m/px). */
export function binSizeFor(resolution, pixels = 24) {
  const raw = resolution * pixels;
  const steps = [25, 50, 100, 200, 250, 500, 1000, 2000, 5000];
  return steps.find((s) => s >= raw) ?? 5000;
}

/**
 * The board's list query: the chosen status or every open one, platform, grid. "Sent to district"
 * (board.sent) lists instead what the subdistrict sent that the district holds now; the district's
 * own cases among them have no grid or platform of the subdistrict, so the other filters do not apply.
 */
export function boardQuery(board, limit = 200) {
  if (board.sent) return new URLSearchParams({ sentToDistrict: 'true', limit: String(limit) }).toString();
  const p = new URLSearchParams({ status: board.status || OPEN_STATUSES.join(','), limit: String(limit) });
  if (board.platform) p.set('platform', board.platform);
  if (board.grid) p.set('grid', String(board.grid));
  return p.toString();
}

/** The deadline that matters now: the step's (acceptance, dispatch, handling…), else the overall promise. */
export function deadlineOf(props) {
  return props.case?.stepDueAt ?? props.routing?.dueAt ?? null;
}

export function isOverdue(props, now = Date.now()) {
  const due = deadlineOf(props);
  return due !== null && new Date(due).getTime() < now;
}

/** Board filters the list API cannot apply (overdue, supervised), then overdue first, then the nearest deadline. */
export function boardCases(cases, board, now = Date.now()) {
  const due = (c) => {
    const d = deadlineOf(c);
    return d === null ? Infinity : new Date(d).getTime();
  };
  return cases
    .filter((c) => OPEN_STATUSES.includes(c.status))
    .filter((c) => !board.overdue || isOverdue(c, now))
    .filter((c) => !board.supervised || c.case?.supervised)
    .sort((a, b) => due(a) - due(b) || b.id - a.id);
}

/**
 * A countdown as parts: {overdue, days, hours, minutes}. The screen words it (formatCountdown).
 */
export function countdown(dueIso, now = Date.now()) {
  if (!dueIso) return null;
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  return {
    overdue: ms < 0,
    days: Math.floor(minutes / 1440),
    hours: Math.floor((minutes % 1440) / 60),
    minutes: minutes % 60,
    ms,
  };
}

/** '2天3小时' / '2d 3h', '3小时20分' / '3h 20m', '20分' / '20m' (two units at most). */
export function formatDuration({ days, hours, minutes }, lang) {
  const u = lang === 'en' ? { d: 'd', h: 'h', m: 'm', sep: ' ' } : { d: '天', h: '小时', m: '分', sep: '' };
  if (days > 0) return `${days}${u.d}${u.sep}${hours}${u.h}`;
  if (hours > 0) return `${hours}${u.h}${u.sep}${minutes}${u.m}`;
  return `${minutes}${u.m}`;
}

/**
 * What each action asks for before it is sent (docs/workflow.md). Field kinds: text (note,
 * reason), platform, platforms (several), number (id / hours / 1–5), outcome, bool. `required`
 * fields must be filled; the server still validates everything.
 */
export const ACTION_FIELDS = {
  accept: [],
  reject: [
    { name: 'reason', kind: 'choice', options: ['INVALID', 'DUPLICATE'], required: true },
    { name: 'originalId', kind: 'number' },
  ],
  merge: [{ name: 'originalId', kind: 'number', required: true }],
  dispatch: [
    { name: 'platform', kind: 'platform' },
    { name: 'assigneeId', kind: 'number' },
  ],
  start: [],
  resolve: [{ name: 'note', kind: 'text' }],
  verify: [],
  rework: [{ name: 'note', kind: 'text', required: true }],
  close: [],
  escalate: [{ name: 'note', kind: 'text', required: true }],
  'district-reply': [{ name: 'outcome', kind: 'choice', options: DISTRICT_OUTCOMES, required: true }],
  coordinate: [
    { name: 'platforms', kind: 'platforms' },
    { name: 'policeSupport', kind: 'bool' },
  ],
  transfer: [
    { name: 'platform', kind: 'platform', required: true },
    { name: 'assigneeId', kind: 'number' },
  ],
  comment: [{ name: 'note', kind: 'text', required: true }],
  rate: [{ name: 'satisfaction', kind: 'choice', options: ['1', '2', '3', '4', '5'], required: true }],
  'request-extension': [
    { name: 'reason', kind: 'text', required: true },
    { name: 'extraHours', kind: 'number', required: true },
  ],
  'request-return': [{ name: 'reason', kind: 'text', required: true }],
  'request-parking': [{ name: 'reason', kind: 'text', required: true }],
  approve: [{ name: 'note', kind: 'text' }],
  deny: [{ name: 'note', kind: 'text' }],
  // a leader's 督办: why, and by when (a local date and time, sent as an instant)
  supervise: [
    { name: 'reason', kind: 'text', required: true },
    { name: 'dueAt', kind: 'datetime', required: true },
  ],
  reclassify: [
    { name: 'category', kind: 'category', required: true },
    { name: 'reason', kind: 'text', required: true },
  ],
};

/** The main path of a case comes first; the rest in a stable order; unknown actions last. */
const ORDER = [
  'accept',
  'dispatch',
  'start',
  'resolve',
  'verify',
  'close',
  'approve',
  'deny',
  'escalate',
  'coordinate',
  'transfer',
  'supervise',
  'reclassify',
  'district-reply',
  'rework',
  'reject',
  'merge',
  'request-extension',
  'request-return',
  'request-parking',
  'rate',
  'comment',
];
const PRIMARY = new Set(['accept', 'dispatch', 'start', 'resolve', 'verify', 'close', 'approve']);

/** The buttons for GET /api/v1/incidents/{id}/actions: only what the server allows, in ORDER. */
export function actionButtons(allowed) {
  const list = (allowed?.actions ?? []).filter((a) => a in ACTION_FIELDS);
  return list
    .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))
    .map((action) => ({
      action,
      fields: ACTION_FIELDS[action],
      primary: PRIMARY.has(action),
      needsForm: ACTION_FIELDS[action].length > 0,
    }));
}

/**
 * The POST body of an action from the form's raw values (strings / arrays / booleans): empty
 * optional fields left out, numbers as numbers. Returns {body} or {missing: fieldName}.
 */
export function actionBody(action, version, values = {}) {
  const body = { action, expectedVersion: version };
  for (const f of ACTION_FIELDS[action] ?? []) {
    let v = values[f.name];
    if (typeof v === 'string') v = v.trim();
    const empty =
      v === undefined ||
      v === null ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (f.kind === 'bool' && v === false);
    if (empty) {
      if (f.required) return { missing: f.name };
      continue;
    }
    if (f.kind === 'number' || f.name === 'satisfaction') v = Number(v);
    if (f.kind === 'datetime') {
      const at = new Date(v);
      if (Number.isNaN(at.getTime())) return { missing: f.name };
      v = at.toISOString();
    }
    body[f.name] = v;
  }
  return { body };
}

/**
 * Who holds a coordinated case up: its subtasks not done, overdue first, then by deadline
 * (case.subtasks of the incident; docs/workflow.md).
 */
export function holdUps(incident, now = Date.now()) {
  return (incident?.case?.subtasks ?? [])
    .filter((s) => s.state !== 'DONE')
    .map((s) => ({ ...s, overdue: s.dueAt != null && Date.parse(s.dueAt) < now }))
    .sort((a, b) => b.overdue - a.overdue || Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.id - b.id);
}

/**
 * The leaders' 督办 marks (case.supervisions): met (resolved by its deadline), missed (past it
 * and not met), or open.
 */
export function leaderMarks(incident, now = Date.now()) {
  return (incident?.case?.supervisions ?? []).map((s) => ({
    ...s,
    mark: s.metAt ? 'met' : Date.parse(s.dueAt) < now ? 'missed' : 'open',
  }));
}

/**
 * A board row's leaders' 督办 mark, from the list's brief case.leaderSupervision {open, missed,
 * nextDueAt}: 'missed' when one is past its deadline and not met (also one that fell due since the
 * list was read), 'open' while one runs, else null (none, or all met).
 */
export function leaderRowMark(row, now = Date.now()) {
  const s = row?.case?.leaderSupervision;
  if (!s) return null;
  if (s.missed > 0 || (s.open > 0 && s.nextDueAt && Date.parse(s.nextDueAt) < now)) return 'missed';
  return s.open > 0 ? 'open' : null;
}

/** Colour of a Gi* class (ArcGIS Hot Spot Analysis's usual ramp); null for none. */
export const HOTSPOT_COLORS = {
  hot99: 'rgba(178,24,43,0.75)',
  hot95: 'rgba(239,138,98,0.7)',
  hot90: 'rgba(253,219,199,0.7)',
  cold90: 'rgba(209,229,240,0.7)',
  cold95: 'rgba(103,169,207,0.7)',
  cold99: 'rgba(33,102,172,0.75)',
};

/** A sequential colour for a bin count against the largest count shown (log scale: a few dense cells do not wash out the rest). */
export function binColor(count, max) {
  const f = max <= 1 ? 1 : Math.log1p(count) / Math.log1p(max);
  const ramp = [
    [255, 255, 204],
    [254, 217, 118],
    [253, 141, 60],
    [227, 26, 28],
    [128, 0, 38],
  ];
  const x = Math.min(0.9999, Math.max(0, f)) * (ramp.length - 1);
  const i = Math.floor(x);
  const t = x - i;
  const c = ramp[i].map((v, k) => Math.round(v + (ramp[i + 1][k] - v) * t));
  return `rgba(${c[0]},${c[1]},${c[2]},0.7)`;
}

/** Applies a live event (GET /api/v1/events data) to the board's list: a new case, or a changed one's status/version. */
export function applyLiveEvent(cases, e) {
  const i = cases.findIndex((c) => c.id === e.incidentId);
  if (i >= 0) {
    const old = cases[i];
    if ((e.version ?? 0) < (old.version ?? 0)) return cases; // older than what we show
    const next = [...cases];
    next[i] = {
      ...old,
      status: e.status ?? e.toStatus ?? old.status,
      version: e.version ?? old.version,
      platform: e.platform ?? old.platform,
      fresh: old.fresh,
    };
    return next;
  }
  if (e.type !== 'REPORTED' && e.type !== 'ESCALATED' && (e.fromStatus ?? null) !== null) return cases; // a change of a case not on the board
  return [
    {
      id: e.incidentId,
      status: e.status ?? e.toStatus,
      version: e.version ?? 1,
      category: e.category,
      platform: e.platform,
      gridId: e.gridId,
      reportedAt: e.at,
      location: e.location,
      case: null,
      routing: null,
      fresh: true,
    },
    ...cases,
  ];
}

/** An axis label on two lines so that narrow category slots do not overlap: words at spaces, else CJK halves. */
export function twoLines(label) {
  const s = String(label ?? '');
  if (s.includes(' ')) {
    const mid = s.indexOf(' ', Math.floor(s.length / 2) - 1);
    const at = mid >= 0 ? mid : s.lastIndexOf(' ');
    return `${s.slice(0, at)}\n${s.slice(at + 1)}`;
  }
  if (s.length <= 3 || /^[\x20-\x7e]+$/.test(s)) return s; // one Latin word stays whole
  const half = Math.ceil(s.length / 2);
  return `${s.slice(0, half)}\n${s.slice(half)}`;
}

/**
 * The reporter line of the case panel, exactly as the API gave it: as given to the roles that call
 * back (people/AccessRules.REPORTER), masked (王**, 138****0000) to everyone else; null when the
 * report named nobody or the retention job erased it (docs/personal-data.md).
 */
export function reporterLine(reporter) {
  if (!reporter) return null;
  const text = [reporter.name, reporter.phone].filter((v) => v).join(' ');
  if (!text) return null;
  return { text, masked: reporter.masked !== false };
}

/**
 * The answers to an Open311 service's questions, kept on the REPORTED event's data
 * (data.attributes, docs/open311.md), as "question: answer" lines for the timeline. A list
 * answer shows its option's name, several joined; anything else its value.
 */
export function attributeLines(data) {
  const answers = Array.isArray(data?.attributes) ? data.attributes : [];
  return answers.map((a) => {
    const shown = a.name ?? a.value;
    return `${a.description}: ${Array.isArray(shown) ? shown.join('、') : shown}`;
  });
}

/**
 * Applies a live event to the "sent to district" list: a listed case changes, and leaves the list
 * once the district no longer holds it (returned, resolved); new cases are never the district's to
 * list here.
 */
export function applySentEvent(cases, e) {
  const listed = cases.find((c) => c.id === e.incidentId);
  if (!listed) return cases;
  const status = e.status ?? e.toStatus ?? listed.status;
  if (status !== 'ESCALATED') return cases.filter((c) => c.id !== e.incidentId);
  return applyLiveEvent(cases, e);
}

/**
 * What the case panel offers on a case the caller reads but may not act on — one their subdistrict
 * sent to the district that is the district's own now: GET …/actions refuses it (403), so no
 * action, and a read-only note instead of "outside your scope".
 */
export function readOnlyActions(incident) {
  return {
    incidentId: incident.id,
    version: incident.version,
    status: incident.status,
    inScope: true,
    readOnly: true,
    actions: [],
  };
}
