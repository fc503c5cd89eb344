// Pure logic of the planner screen (no DOM, no OpenLayers): the deviation colour ramp, the diff
// of two plans' unit assignments, progress and number formatting, the date sent on adoption.
// Unit-tested in test/planner.test.js.
import styles from '@styles/styles.yaml';

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
export const DEVIATION_CLASSES = deviationClassesOf(styles.styles.workload_diverging);

/** The class index of a deviation (signed fraction of the mean); -1 when unknown (e.g. special grids' null). */
export function deviationClass(deviation) {
  if (typeof deviation !== 'number' || Number.isNaN(deviation)) return -1;
  return DEVIATION_CLASSES.findIndex((c) => deviation < c.max);
}

/** '#rrggbb' of a deviation; grey when it has none. */
export function deviationColor(deviation) {
  const i = deviationClass(deviation);
  return i < 0 ? '#bdbdbd' : DEVIATION_CLASSES[i].color;
}

/** '#rrggbb' + alpha → 'rgba(…)'. */
export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
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

/** A validation report's problems grouped by type, in the server's order: [{type, problems}]. */
export function groupProblems(problems) {
  const groups = new Map();
  for (const p of problems ?? []) {
    if (!groups.has(p.type)) groups.set(p.type, []);
    groups.get(p.type).push(p);
  }
  return [...groups].map(([type, list]) => ({ type, problems: list }));
}
