// Pure logic of the planner screen (no DOM, no OpenLayers): the deviation colour ramp, the diff
// of two plans' unit assignments, progress and number formatting, the date sent on adoption, and
// what the tabs compute before they draw (summaries, request bodies, shortcuts). Unit-tested in
// test/planner.test.js.
import { STYLES, firstClass, withAlpha } from '../../map/palette.js';

export { withAlpha }; // the planner's screens and tests take it from here

export const TABS = ['grid', 'edit', 'rebalance', 'import', 'history'];
export const TOOLS = ['grid', 'units', 'lasso', 'claim', 'split'];
/** Tools that draw on the map: there a click is part of the drawing, not a pick. */
export const DRAW_TOOLS = ['lasso', 'claim', 'split'];

/** The tab the URL asks for (?tab=), else the first. */
export function tabOf(param) {
  return TABS.includes(param) ? param : 'grid';
}

/** The plan opened first: the one the URL names (?plan=), else the one in effect, else the first listed. */
export function startPlan(plans, wanted) {
  return plans.find((p) => p.id === wanted) ?? plans.find((p) => p.inEffect) ?? plans[0];
}

/** The i18n key of a plan's status: being in effect says more than ACTIVE. */
export function statusKey(plan) {
  return plan.inEffect ? 'planner.status.inEffect' : `planner.status.${plan.status}`;
}

/** Community id → name, from the features of GET /api/v1/communities. */
export function communityNames(features) {
  return new Map(features.map((f) => [f.properties?.id ?? f.id, f.properties?.name]));
}

/**
 * Classes of a styles.yaml vector style that colours by ranges of `deviation` → [{min, max, color,
 * label}] in the file's order. Ranges are [min, max); the ends are left open (the file closes
 * them at ±1000 because MapServer needs numbers). Labels get a real minus sign, as numbers on the
 * screen have (formatDeviation).
 */
export function deviationClassesOf(style) {
  const classes = style.classes.map((c) => {
    const [min, max] = c.where.deviation;
    return { min, max, color: c.fill, label: c.name.replaceAll('-', '−') };
  });
  classes[0].min = -Infinity;
  classes[classes.length - 1].max = Infinity;
  return classes;
}

/**
 * The diverging ramp around 0 of styles/styles.yaml `workload_diverging` (what WMS clients see for
 * the `workload` layer), read from that file at build time: blue below the mean, red above,
 * near-white within ±10%.
 */
export const DEVIATION_CLASSES = deviationClassesOf(STYLES.workload_diverging);
/** The grid outline of the same style (one colour for every class). */
export const DEVIATION_STROKE = firstClass('workload_diverging').stroke;

/** The class index of a deviation (signed fraction of the mean); -1 when unknown (e.g. special grids' null). */
export function deviationClass(deviation) {
  if (typeof deviation !== 'number' || Number.isNaN(deviation)) return -1;
  return DEVIATION_CLASSES.findIndex((c) => deviation < c.max);
}

/** '#rrggbb' of a deviation; grey when it has none (the web map's own: WMS draws no class for it). */
export function deviationColor(deviation) {
  const i = deviationClass(deviation);
  return i < 0 ? '#bdbdbd' : DEVIATION_CLASSES[i].color;
}

/** 0.1234 → '+12.3%', -0.05 → '−5.0%' (a real minus sign), null → '—'. */
export function formatDeviation(d) {
  if (typeof d !== 'number' || Number.isNaN(d)) return '—';
  const pct = (d * 100).toFixed(1);
  if (d > 0) return `+${pct}%`;
  if (d < 0) return `−${pct.slice(1)}%`;
  return '0.0%';
}

/** 0..1 → '42%' for the progress bar's text. */
export function formatProgress(p) {
  const v = Math.max(0, Math.min(1, Number(p) || 0));
  return `${Math.floor(v * 100)}%`;
}

/** A number in the locale (the browser's when none is given) with `digits` decimals; '—' when none. */
export function formatNumber(n, digits = 0, locale = undefined) {
  return typeof n === 'number'
    ? n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';
}

/** A deviation without direction (≥ 0, e.g. the largest either way): 0.25 → '±25.0%'. */
export function formatSpread(d) {
  return formatDeviation(d).replace('+', '±');
}

/**
 * The summary line's numbers: how many basic grids have a deviation and the largest deviation
 * either way ({grids, maxDeviation}); null when there are none (special grids have no deviation).
 */
export function deviationSummary(grids) {
  const basic = grids.filter((g) => g.kind !== 'SPECIAL' && typeof g.deviation === 'number');
  if (!basic.length) return null;
  return { grids: basic.length, maxDeviation: Math.max(...basic.map((g) => Math.abs(g.deviation))) };
}

/** A grid in lists and choosers: its name and the last three digits of its code. */
export function gridLabel(g) {
  return `${g.name} (${g.code.slice(-3)})`;
}

/** The grids a grid may merge into: the others of its village/community. */
export function mergeTargets(grids, grid) {
  return grids.filter((g) => g.id !== grid.id && g.communityId === grid.communityId);
}

/** The two people a grid names: its worker and its backup worker (the "AB pair", 网格员 A/B角). */
export const ASSIGNMENTS = ['worker', 'backup'];

/**
 * The staff a grid's worker or backup worker (role: 'worker' | 'backup') may be chosen from:
 * active grid workers, without the one who holds the other role of the same grid (the server
 * refuses a backup who is the worker) → [{value, label}] in the list's order.
 */
export function assignmentChoices(workers, grid, role) {
  const other = role === 'worker' ? grid?.backupWorkerId : grid?.workerId;
  return workers
    .filter((w) => w.active !== false && w.id !== other)
    .map((w) => ({ value: String(w.id), label: `${w.name} (${w.username})` }));
}

/** The edit that names a grid's worker or backup worker; an empty choice ('') names nobody. */
export function assignmentEdit(role, gridId, value) {
  const id = value ? Number(value) : null;
  return role === 'worker'
    ? { op: 'set-worker', gridId, workerId: id }
    : { op: 'set-backup-worker', gridId, backupWorkerId: id };
}

/** A staff member's name by id from the grid-worker list; '—' for none or an unknown id. */
export function staffName(workers, id) {
  return (id != null && workers.find((w) => w.id === id)?.name) || '—';
}

/** What a key press asks of the draft: 'undo' (Ctrl/Cmd+Z), 'redo' (Ctrl/Cmd+Y or Ctrl/Cmd+Shift+Z) or null. */
export function shortcutOf(e) {
  if (!(e.ctrlKey || e.metaKey)) return null;
  if (e.key === 'z' && !e.shiftKey) return 'undo';
  if (e.key === 'y' || (e.key === 'Z' && e.shiftKey) || (e.key === 'z' && e.shiftKey)) return 'redo';
  return null;
}

/**
 * Index of GET /api/v1/plans/{id}/units ({unitIds, gridIds, gridCodes}) → Map unitId → {gridId, code}.
 */
export function unitIndex(answer) {
  const m = new Map();
  const { unitIds = [], gridIds = [], gridCodes = [] } = answer ?? {};
  for (let i = 0; i < unitIds.length; i++) m.set(unitIds[i], { gridId: gridIds[i], code: gridCodes[i] });
  return m;
}

/**
 * The units two plans put in different grids. Grids are matched by code (a grid's identity across
 * plans, as the server's /compare does), so a unit whose grid kept its code but got a new id in a
 * copy has not moved. A unit in one plan only counts as moved. → [{unitId, from, to}] by unit id.
 */
export function movedUnits(before, after) {
  const out = [];
  const ids = new Set([...before.keys(), ...after.keys()]);
  for (const id of ids) {
    const a = before.get(id)?.code ?? null;
    const b = after.get(id)?.code ?? null;
    if (a !== b) out.push({ unitId: id, from: a, to: b });
  }
  return out.sort((x, y) => x.unitId - y.unitId);
}

/** The grid ids holding the given units in a plan (for "which grids does this selection touch"). */
export function gridsOfUnits(index, unitIds) {
  const out = new Set();
  for (const u of unitIds) {
    const g = index.get(u);
    if (g) out.add(g.gridId);
  }
  return out;
}

/**
 * The one village/community that the units' grids belong to (communityOfGrid: grid id → its
 * community), or null when they span several or none: a new grid lies in one community.
 */
export function communityOfUnits(index, unitIds, communityOfGrid) {
  const communities = new Set();
  for (const u of unitIds) {
    const g = index.get(u);
    if (g) communities.add(communityOfGrid(g.gridId));
  }
  return communities.size === 1 ? ([...communities][0] ?? null) : null;
}

/** Grids of the plan with no units left: nothing to click on the map, so the panel lists them to delete. */
export function emptyGrids(grids) {
  return grids.filter((g) => g.units === 0);
}

/**
 * The before/after rows of a comparison ({before, after} of /compare): [{key, before, after, better}]
 * where better is true/false/null (lower max deviation and higher compactness and contiguity are better).
 */
export function metricRows(compare) {
  const b = compare?.before ?? {};
  const a = compare?.after ?? {};
  const rows = [
    { key: 'grids', higherIsBetter: null },
    { key: 'basicGrids', higherIsBetter: null },
    { key: 'meanWorkload', higherIsBetter: null },
    { key: 'maxDeviation', higherIsBetter: false },
    { key: 'meanPolsbyPopper', higherIsBetter: true },
    { key: 'contiguousShare', higherIsBetter: true },
  ];
  return rows.map(({ key, higherIsBetter }) => {
    const x = b[key];
    const y = a[key];
    let better = null;
    if (higherIsBetter !== null && typeof x === 'number' && typeof y === 'number' && x !== y) {
      better = higherIsBetter ? y > x : y < x;
    }
    return { key, before: x, after: y, better };
  });
}

/** One cell of the before/after table: spreads as ±%, shares as whole %, compactness to 3 places. */
export function formatMetric(key, v, locale = undefined) {
  if (key === 'maxDeviation') return formatSpread(v);
  if (key === 'contiguousShare') return `${formatNumber((v ?? 0) * 100, 0, locale)}%`;
  if (key === 'meanPolsbyPopper') return formatNumber(v, 3, locale);
  return formatNumber(v, 0, locale);
}

/** The comparison's units moved with their share: '12 (3.4%)'. */
export function formatMoved(compare) {
  return `${compare.unitsMoved} (${(compare.unitsMovedShare * 100).toFixed(1)}%)`;
}

/** The body of POST …/rebalance from the form's fields; an empty or zero field takes the default. */
export function rebalanceBody(mode, tolerance, capacity) {
  const body = { mode, tolerance: Number(tolerance) || 0.05 };
  if (mode === 'capacity') body.capacityPerWorker = Number(capacity) || 2000;
  return body;
}

/** The validation band the user set, as body fields: { band } when positive, else nothing (the server's default). */
export function bandOf(value) {
  const band = Number(value);
  return band > 0 ? { band } : {};
}

/**
 * A <input type="datetime-local"> value ('2098-01-01T00:00') read in the browser's zone → ISO-8601
 * with the zone's offset ('2098-01-01T00:00:00+08:00'), what the adopt endpoint wants. null if empty/bad.
 */
export function localInputToIso(value, offsetMinutes) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const date = new Date(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(date.getTime())) return null;
  const off = offsetMinutes ?? -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n) => String(n).padStart(2, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Plans newest first for the history list; drafts after the plans that were adopted. */
export function sortPlans(plans) {
  const rank = { ACTIVE: 0, RETIRED: 1, DRAFT: 2 };
  return [...plans].sort((a, b) => {
    if (a.inEffect !== b.inEffect) return a.inEffect ? -1 : 1;
    const r = (rank[a.status] ?? 3) - (rank[b.status] ?? 3);
    if (r !== 0) return r;
    const ta = a.effectiveFrom ?? a.createdAt ?? '';
    const tb = b.effectiveFrom ?? b.createdAt ?? '';
    return tb.localeCompare(ta) || b.id - a.id;
  });
}

/**
 * A validation report's problems grouped by type, in the server's order: [{type, severity,
 * problems}]. A type has one severity ('error' blocks adoption, 'warning' does not); a report
 * from before severities counts as errors.
 */
export function groupProblems(problems) {
  const groups = new Map();
  for (const p of problems ?? []) {
    if (!groups.has(p.type)) groups.set(p.type, []);
    groups.get(p.type).push(p);
  }
  return [...groups].map(([type, list]) => ({
    type,
    severity: list[0].severity ?? 'error',
    problems: list,
  }));
}

/** The path a file of this kind is uploaded to, with the CRS when the user chose one (else the file's). */
export function importPath(kind, srs) {
  return `/api/v1/imports?kind=${kind}${srs ? `&srs=${encodeURIComponent(srs)}` : ''}`;
}

/** Whether an import report is of base data of the whole system (units, communities) rather than a plan. */
export function isAreaImport(report) {
  return Boolean(report?.kind) && report.kind !== 'plan';
}

/** The plan a committed import opens: the draft it made, else the plan it names; undefined when none. */
export function committedPlanId(answer) {
  return answer.draftPlanId ?? answer.id ?? answer.planId;
}

/** The export links: [format, label]. */
export const EXPORT_FORMATS = [
  ['geojson', 'GeoJSON'],
  ['gpkg', 'GeoPackage'],
  ['shp', 'Shapefile (zip)'],
];

/** The name an export is saved under: the server's Content-Disposition filename, else plan.<format>. */
export function exportFileName(disposition, format) {
  return /filename="?([^";]+)"?/.exec(disposition ?? '')?.[1] ?? `plan.${format}`;
}
