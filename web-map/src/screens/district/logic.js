// The district command centre's decisions, free of the DOM so Vitest checks them: which actions a
// queue row offers, the bodies the three actions send (and what is missing before sending), the
// board's rows as shown, the KPI comparison, the colour of a case on the map, and the
// subdistricts' areas on the map: how each is drawn and which cases a click on one leaves shown.

/** The district's roles (Role.DISTRICT_CENTRE on the server). */
export const DISTRICT_ROLES = Object.freeze(['DISTRICT_OPERATOR', 'DISTRICT_COMMANDER']);

/** Whether a user with these roles belongs on the district screen after logging in. */
export function isDistrictUser(roles = []) {
  return roles.some((r) => DISTRICT_ROLES.includes(r));
}

/** The district's stages of an escalated case (incident.district_stage, WAITING when none). */
export const STAGES = Object.freeze(['WAITING', 'ACCEPTED', 'ASSIGNED']);

/**
 * The actions a queue row offers by its stage, as the server's engine allows them: accept a
 * waiting case; assign, return or resolve an accepted one; return needs a subdistrict to go to.
 */
export function actionsFor(item) {
  const out = [];
  if (item.stage === 'WAITING') out.push('district-accept');
  else out.push('district-assign');
  if (item.subdistrict) out.push('district-return');
  if (item.stage !== 'WAITING') out.push('district-resolve');
  return out;
}

/**
 * The body of an action, or the message keys of what is missing (nothing is sent then): assign
 * names a department, return a reason, resolve a note of what was done.
 */
export function actionBody(action, item, { department = '', reason = '', note = '' } = {}) {
  const errors = [];
  const body = { action, expectedVersion: item.version };
  const trimmed = { department: department.trim(), reason: reason.trim(), note: note.trim() };
  if (action === 'district-assign') {
    if (!trimmed.department) errors.push('district.invalid.department');
    else body.department = trimmed.department;
  } else if (action === 'district-return') {
    if (!trimmed.reason) errors.push('district.invalid.reason');
    else body.reason = trimmed.reason;
  } else if (action === 'district-resolve') {
    if (!trimmed.note) errors.push('district.invalid.note');
  }
  if (trimmed.note) body.note = trimmed.note;
  return errors.length ? { errors } : { body };
}

/** Oldest escalation first (the server's order), overdue ones marked. */
export function sortQueue(items) {
  return [...items].sort(
    (a, b) => (a.escalatedAt ?? '').localeCompare(b.escalatedAt ?? '') || a.incidentId - b.incidentId,
  );
}

/** Hours as shown: under a day in hours, else days with one decimal. */
export function ageText(hours, lang = 'zh-CN') {
  const zh = lang.startsWith('zh');
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '—';
  if (hours < 24) return zh ? `${Math.round(hours)} 小时` : `${Math.round(hours)} h`;
  const days = Math.round(hours / 2.4) / 10;
  return zh ? `${days} 天` : `${days} d`;
}

/** A rate 0..1 as a percentage with one decimal, '—' when there is none. */
export function percent(rate) {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/**
 * The board's rows as shown: subdistricts by code, the district's own cases last, with totals.
 * The total's on-time rate is over every closed case, not an average of the rates.
 */
export function boardRows(board) {
  const rows = [...(board?.subdistricts ?? [])].sort((a, b) => {
    if (a.districtOwn !== b.districtOwn) return a.districtOwn ? 1 : -1;
    return String(a.code ?? '').localeCompare(String(b.code ?? ''));
  });
  const total = { open: 0, overdue: 0, escalated: 0, closed: 0, closedOnTime: 0 };
  for (const r of rows) for (const k of Object.keys(total)) total[k] += r[k] ?? 0;
  total.onTimeRate = total.closed ? total.closedOnTime / total.closed : null;
  return { rows, total };
}

/**
 * The KPI comparison: one row per subdistrict with its score, on-time rate and satisfaction,
 * best score first, and its rank (ties share one).
 */
export function kpiComparison(answer, names = {}) {
  const units = (answer?.units ?? []).map((u) => ({
    code: u.unit,
    name: names[u.unit] ?? u.unit,
    reports: u.reports ?? 0,
    score: u.score?.total ?? null,
    max: u.score?.max ?? null,
    onTimeRate: u.onTimeRate ?? null,
    satisfaction: u.satisfaction ?? null,
    escalations: u.escalations ?? 0,
  }));
  units.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.code.localeCompare(b.code));
  let rank = 0;
  let last = null;
  units.forEach((u, i) => {
    if (u.score !== last) rank = i + 1;
    last = u.score;
    u.rank = rank;
  });
  return units;
}

/** Subdistrict code → name, from the board's rows (the KPIs name units by code only). */
export function namesOf(board) {
  const out = {};
  for (const r of board?.subdistricts ?? []) if (r.code) out[r.code] = r.name;
  return out;
}

/** The colour of a queue case on the map: overdue red, else by stage. */
export function caseColour(item) {
  if (item.overdue) return '#c62828';
  return { WAITING: '#ef6c00', ACCEPTED: '#1565c0', ASSIGNED: '#2e7d32' }[item.stage] ?? '#616161';
}

/**
 * A subdistrict's fill by its open cases, relative to the busiest (five steps of one hue), for
 * when the map has the subdistricts' boundaries.
 */
export function openShade(open, maxOpen) {
  const steps = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];
  if (!maxOpen || !open) return steps[0];
  const i = Math.min(steps.length - 1, Math.ceil((open / maxOpen) * (steps.length - 1)));
  return steps[i];
}

/**
 * The map's selection after a click: the clicked subdistrict's id, or none when the click was on
 * the selected one again or outside every subdistrict (so a second click shows everything again).
 */
export function nextSelection(selected, clicked) {
  if (clicked === null || clicked === undefined || clicked === selected) return null;
  return clicked;
}

/** The queue's cases of the selected subdistrict (every case when none is selected). */
export function queueOf(items, selected) {
  if (selected === null || selected === undefined) return items;
  return items.filter((i) => i.subdistrict?.id === selected);
}

/** The board's open cases by subdistrict id, and the largest of them (the shading's scale). */
export function openBySubdistrict(board) {
  const open = new Map();
  for (const r of board?.subdistricts ?? []) if (!r.districtOwn && r.id !== null) open.set(r.id, r.open ?? 0);
  return { open, max: Math.max(0, ...open.values()) };
}

/**
 * How a subdistrict's area is drawn: filled by its open cases relative to the busiest, outlined
 * thicker and darker when selected, labelled with its name and open cases.
 */
export function areaLook(area, { open, max }, selected) {
  const n = open.get(area.id) ?? 0;
  const isSelected = area.id === selected;
  return {
    fill: withAlpha(openShade(n, max), 0.55), // the streets show through
    stroke: isSelected ? '#0d47a1' : '#5d4037',
    width: isSelected ? 4 : 1.5,
    label: n ? `${area.name} · ${n}` : area.name,
    selected: isSelected,
  };
}

/** '#rrggbb' with an opacity, as 'rgba(r, g, b, a)'. */
export function withAlpha(hex, alpha) {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}
