// The rosters tab's decisions, free of the DOM so Vitest checks them: the week shown (dates in the
// area's time zone), which people a grid or community filter shows, shifts and leave by person and
// day, the forms' checks and bodies, where a problem is shown, and times with the area's offset.
// Server side: roster/RosterRoutes (docs/rosters.md).
import { t, getLang } from '../../i18n/i18n.js';

/** roster/LeaveKind, in its order. */
export const LEAVE_KINDS = ['ANNUAL', 'SICK', 'PERSONAL', 'TRAINING', 'OTHER'];
/** roster/ShiftPattern.Days: which days of the range a roster covers (WORKING by default). */
export const SHIFT_DAYS = ['WORKING', 'NON_WORKING', 'ALL'];
/** The on-duty rule's reasons (roster/DutyRule), for words. */
export const DUTY_REASONS = ['WORKER', 'SUBSTITUTE', 'BACKUP_WORKER', 'GRID_LEADER', 'NOBODY'];

const DAY = 86400000;

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → the Monday of its week ('YYYY-MM-DD'); date arithmetic in UTC, no zone. */
export function weekStart(date) {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${date}`);
  const dow = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
  return isoDate(ms - dow * DAY);
}

/** The seven dates of the week starting on a Monday. */
export function weekDays(monday) {
  const ms = Date.parse(`${monday}T00:00:00Z`);
  return Array.from({ length: 7 }, (_, i) => isoDate(ms + i * DAY));
}

/** A date moved by whole days. */
export function addDays(date, n) {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + n * DAY);
}

/** Today's date in a time zone ('Asia/Shanghai'). */
export function todayIn(zone, now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/** The zone's offset from UTC at a local date-time, '+08:00'. */
export function offsetAt(zone, local) {
  const guess = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const minutes = Math.round((asUtc - guess) / 60000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A local date-time ('2026-12-07T10:00', as <input type=datetime-local> gives it) with the zone's offset. */
export function zoned(local, zone) {
  const full = local.length === 16 ? `${local}:00` : local;
  return `${full}${offsetAt(zone, full)}`;
}

/**
 * GET /api/v1/rosters and /api/v1/leave for a week: a day either side, so every shift starting on
 * the week's dates in the area's zone is in (rows are then placed by their own local date).
 */
export function weekQuery(monday) {
  return `from=${addDays(monday, -1)}T00:00:00Z&to=${addDays(monday, 8)}T00:00:00Z`;
}

/** An answer's time ('2026-12-07T09:00+08:00', in the area's offset) → its local date. */
export function localDate(iso) {
  return String(iso ?? '').slice(0, 10);
}

/** An answer's time as the area's local clock: '2026-12-07 09:00'. */
export function localText(iso) {
  return String(iso ?? '')
    .slice(0, 16)
    .replace('T', ' ');
}

/** An answer's time of day: '09:00'. */
export function clockText(iso) {
  return String(iso ?? '').slice(11, 16);
}

/** Whether a member of staff belongs to a grid (scope of the grid) or to a community (its scope, or a grid of it). */
export function inPlace(s, { gridId = '', communityId = '' } = {}, grids = new Map()) {
  const scope = s?.scope ?? {};
  if (gridId) return Number(scope.gridId) === Number(gridId);
  if (communityId) {
    if (Number(scope.communityId) === Number(communityId)) return true;
    const g = grids.get(Number(scope.gridId));
    return Boolean(g) && Number(g.communityId) === Number(communityId);
  }
  return true;
}

/**
 * The week's rows: one per person with a shift or leave in the week, and with a filter every person
 * of the grid or community too; each {staffId, days: {date: {shifts, leave}}}, by name.
 */
export function weekRows({
  shifts = [],
  leave = [],
  staff = [],
  days,
  filter = {},
  grids = new Map(),
  lang = getLang(),
}) {
  const byId = new Map(staff.map((s) => [s.id, s]));
  const filtered = Boolean(filter.gridId || filter.communityId);
  const ids = new Set();
  const keep = (id) => !filtered || (byId.has(id) && inPlace(byId.get(id), filter, grids));
  for (const s of shifts) if (days.includes(localDate(s.start)) && keep(s.staffId)) ids.add(s.staffId);
  for (const l of leave) if (overlapsDays(l, days) && keep(l.staffId)) ids.add(l.staffId);
  if (filtered) for (const s of staff) if (s.active !== false && inPlace(s, filter, grids)) ids.add(s.id);
  const rows = [...ids].map((staffId) => {
    const cells = Object.fromEntries(days.map((d) => [d, { shifts: [], leave: [] }]));
    for (const s of shifts)
      if (s.staffId === staffId && cells[localDate(s.start)]) cells[localDate(s.start)].shifts.push(s);
    for (const l of leave)
      if (l.staffId === staffId) for (const d of days) if (overlapsDay(l, d)) cells[d].leave.push(l);
    for (const c of Object.values(cells)) c.shifts.sort((a, b) => String(a.start).localeCompare(String(b.start)));
    return { staffId, name: byId.get(staffId)?.name ?? `#${staffId}`, days: cells };
  });
  return rows.sort((a, b) => a.name.localeCompare(b.name, lang) || a.staffId - b.staffId);
}

function overlapsDay(l, day) {
  return localDate(l.start) <= day && day <= localDate(endForDays(l.end));
}

function overlapsDays(l, days) {
  return days.some((d) => overlapsDay(l, d));
}

// leave ending at midnight does not cover the day it ends on
function endForDays(end) {
  return /T00:00/.test(String(end)) ? `${addDays(localDate(end), -1)}T23:59` : end;
}

// ---- the forms

/** The shift form's fields, in order (the body's names): where a problem is shown. */
export const SHIFT_FIELDS = ['staffId', 'from', 'to', 'start', 'end', 'days', 'note'];
/** The leave form's fields, in order. */
export const LEAVE_FIELDS = ['staffId', 'kind', 'start', 'end', 'substituteId', 'note'];

/** The shift form's checks before sending: [{field, key}], empty when ready. */
export function validateShifts(form) {
  const errors = [];
  if (!form.staffId) errors.push({ field: 'staffId', key: 'admin.roster.invalid.person' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.from ?? '')) errors.push({ field: 'from', key: 'admin.roster.invalid.date' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.to ?? '')) errors.push({ field: 'to', key: 'admin.roster.invalid.date' });
  else if (form.from && form.to < form.from) errors.push({ field: 'to', key: 'admin.roster.invalid.toBeforeFrom' });
  if (!/^\d{2}:\d{2}$/.test(form.start ?? '')) errors.push({ field: 'start', key: 'admin.roster.invalid.time' });
  if (!/^\d{2}:\d{2}$/.test(form.end ?? '')) errors.push({ field: 'end', key: 'admin.roster.invalid.time' });
  else if (form.start === form.end) errors.push({ field: 'end', key: 'admin.roster.invalid.emptyShift' });
  if (!SHIFT_DAYS.includes(form.days)) errors.push({ field: 'days', key: 'admin.roster.invalid.days' });
  return errors;
}

/** POST /api/v1/rosters's body. */
export function shiftsBody(form) {
  const body = {
    staffId: Number(form.staffId),
    from: form.from,
    to: form.to,
    start: form.start,
    end: form.end,
    days: form.days,
  };
  if (form.note?.trim()) body.note = form.note.trim();
  return body;
}

/** The leave form's checks before sending. */
export function validateLeave(form) {
  const errors = [];
  const dt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  if (!form.staffId) errors.push({ field: 'staffId', key: 'admin.roster.invalid.person' });
  if (!LEAVE_KINDS.includes(form.kind)) errors.push({ field: 'kind', key: 'admin.roster.invalid.kind' });
  if (!dt.test(form.start ?? '')) errors.push({ field: 'start', key: 'admin.roster.invalid.dateTime' });
  if (!dt.test(form.end ?? '')) errors.push({ field: 'end', key: 'admin.roster.invalid.dateTime' });
  else if (dt.test(form.start ?? '') && form.end <= form.start)
    errors.push({ field: 'end', key: 'admin.roster.invalid.endBeforeStart' });
  if (form.substituteId && form.substituteId === form.staffId)
    errors.push({ field: 'substituteId', key: 'admin.roster.invalid.selfSubstitute' });
  return errors;
}

/** POST /api/v1/leave's body: local times (the server reads them in the area's zone). */
export function leaveBody(form) {
  const body = { staffId: Number(form.staffId), kind: form.kind, start: form.start, end: form.end };
  if (form.substituteId) body.substituteId = Number(form.substituteId);
  if (form.note?.trim()) body.note = form.note.trim();
  return body;
}

/**
 * The form field a problem names ('/staffId', '/from'; 403 forbidden at '/substituteId'), or null
 * when it names none of the fields (the problem is then shown above the form's buttons).
 */
export function problemField(problem, fields) {
  const pointer = problem?.field;
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return null;
  const first = pointer.slice(1).split('/')[0];
  return fields.includes(first) ? first : null;
}

/** A leave kind, day pattern or duty reason in words. */
export function rosterWord(group, value, lang = getLang()) {
  const s = t(`admin.roster.${group}.${value}`, {}, lang);
  return s.startsWith('⟦') ? String(value) : s;
}

// ---- the admin log

/**
 * What a roster entry of the admin log says: { action (shiftsAdded, shiftDeleted, leaveRecorded,
 * leaveCancelled), staffId, shifts: [{id, start, end}], leave: {id, kind, start, end, substituteId,
 * note} | null, note }.
 */
export function describeRoster(entry) {
  const c = entry?.change ?? {};
  return {
    action: c.action ?? '',
    staffId: c.staffId ?? null,
    shifts: c.shifts ?? (c.shift ? [c.shift] : []),
    leave: c.leave ?? null,
    note: c.note ?? c.leave?.note ?? c.shift?.note ?? '',
  };
}
