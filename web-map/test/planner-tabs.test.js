// What the planner's tabs compute before they draw or send (src/screens/planner/logic.js).
import { describe, it, expect } from 'vitest';
import {
  TABS,
  tabOf,
  startPlan,
  statusKey,
  communityNames,
  formatNumber,
  formatSpread,
  deviationSummary,
  gridLabel,
  mergeTargets,
  shortcutOf,
  ASSIGNMENTS,
  assignmentChoices,
  assignmentEdit,
  staffName,
  formatMetric,
  formatMoved,
  rebalanceBody,
  bandOf,
  importPath,
  isAreaImport,
  committedPlanId,
  EXPORT_FORMATS,
  exportFileName,
} from '../src/screens/planner/logic.js';

describe('opening the screen', () => {
  it('opens the tab the URL names, else the first', () => {
    expect(tabOf('history')).toBe('history');
    expect(tabOf('nope')).toBe('grid');
    expect(tabOf(undefined)).toBe('grid');
    expect(TABS[0]).toBe('grid');
  });
  it('opens the plan the URL names, else the one in effect, else the first', () => {
    const plans = [
      { id: 1, inEffect: false },
      { id: 2, inEffect: true },
      { id: 3, inEffect: false },
    ];
    expect(startPlan(plans, 3).id).toBe(3);
    expect(startPlan(plans, Number.NaN).id).toBe(2);
    expect(startPlan(plans, 99).id).toBe(2);
    expect(startPlan([{ id: 7 }, { id: 8 }], 1).id).toBe(7);
    expect(startPlan([], 1)).toBeUndefined();
  });
  it('names a plan in effect as such, others by their status', () => {
    expect(statusKey({ status: 'ACTIVE', inEffect: true })).toBe('planner.status.inEffect');
    expect(statusKey({ status: 'ACTIVE', inEffect: false })).toBe('planner.status.ACTIVE');
    expect(statusKey({ status: 'DRAFT' })).toBe('planner.status.DRAFT');
  });
  it('indexes community names by id, from properties or the feature id', () => {
    const names = communityNames([
      { properties: { id: 5, name: '东湖村' } },
      { id: 6, properties: { name: '湖滨社区' } },
    ]);
    expect(names.get(5)).toBe('东湖村');
    expect(names.get(6)).toBe('湖滨社区');
    expect(names.size).toBe(2);
  });
});

describe('numbers on the grid tab', () => {
  it('formats numbers with fixed decimals in a locale, a dash for none', () => {
    expect(formatNumber(1234.5, 0, 'en-US')).toBe('1,235');
    expect(formatNumber(0.5, 2, 'en-US')).toBe('0.50');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber('12')).toBe('—');
  });
  it('shows a spread of deviations with ±', () => {
    expect(formatSpread(0.25)).toBe('±25.0%');
    expect(formatSpread(0)).toBe('0.0%');
    expect(formatSpread(null)).toBe('—');
  });
  it('summarises the basic grids with a deviation: count and the largest either way', () => {
    const grids = [
      { kind: 'BASIC', deviation: 0.1 },
      { kind: 'BASIC', deviation: -0.4 },
      { kind: 'SPECIAL', deviation: 0.9 },
      { kind: 'BASIC', deviation: null },
    ];
    expect(deviationSummary(grids)).toEqual({ grids: 2, maxDeviation: 0.4 });
    expect(deviationSummary([{ kind: 'SPECIAL', deviation: 1 }])).toBeNull();
    expect(deviationSummary([])).toBeNull();
  });
});

describe('the edit tab', () => {
  it('labels a grid by name and the end of its code', () => {
    expect(gridLabel({ name: '东湖一网格', code: '330108001201007' })).toBe('东湖一网格 (007)');
  });
  it('offers to merge into the other grids of the same community only', () => {
    const grids = [
      { id: 1, communityId: 5 },
      { id: 2, communityId: 5 },
      { id: 3, communityId: 6 },
      { id: 4, communityId: 5 },
    ];
    expect(mergeTargets(grids, grids[0]).map((g) => g.id)).toEqual([2, 4]);
    expect(mergeTargets(grids, grids[2])).toEqual([]);
  });
  it("offers as worker and as backup worker the active grid workers, not the grid's other one", () => {
    const workers = [
      { id: 1, name: '甲', username: 'a' },
      { id: 2, name: '乙', username: 'b' },
      { id: 3, name: '丙', username: 'c', active: false },
      { id: 4, name: '丁', username: 'd' },
    ];
    const grid = { workerId: 1, backupWorkerId: 2 };
    expect(ASSIGNMENTS).toEqual(['worker', 'backup']);
    expect(assignmentChoices(workers, grid, 'worker').map((c) => c.value)).toEqual(['1', '4']);
    expect(assignmentChoices(workers, grid, 'backup').map((c) => c.value)).toEqual(['2', '4']);
    expect(assignmentChoices(workers, grid, 'backup')[0]).toEqual({ value: '2', label: '乙 (b)' });
    // no grid picked, or a grid naming nobody: every active worker
    expect(assignmentChoices(workers, null, 'backup').map((c) => c.value)).toEqual(['1', '2', '4']);
    expect(assignmentChoices(workers, {}, 'worker')).toHaveLength(3);
  });
  it('sends set-worker or set-backup-worker; the empty choice names nobody', () => {
    expect(assignmentEdit('worker', 7, '12')).toEqual({ op: 'set-worker', gridId: 7, workerId: 12 });
    expect(assignmentEdit('backup', 7, '13')).toEqual({ op: 'set-backup-worker', gridId: 7, backupWorkerId: 13 });
    expect(assignmentEdit('backup', 7, '')).toEqual({ op: 'set-backup-worker', gridId: 7, backupWorkerId: null });
    expect(assignmentEdit('worker', 7, '')).toEqual({ op: 'set-worker', gridId: 7, workerId: null });
  });
  it('names staff by id, a dash for none or an unknown id', () => {
    const workers = [{ id: 1, name: '甲' }];
    expect(staffName(workers, 1)).toBe('甲');
    expect(staffName(workers, 9)).toBe('—');
    expect(staffName(workers, null)).toBe('—');
  });
  it('reads Ctrl/Cmd+Z as undo and Ctrl/Cmd+Y or Ctrl/Cmd+Shift+Z as redo', () => {
    expect(shortcutOf({ ctrlKey: true, key: 'z' })).toBe('undo');
    expect(shortcutOf({ metaKey: true, key: 'z' })).toBe('undo');
    expect(shortcutOf({ ctrlKey: true, key: 'y' })).toBe('redo');
    expect(shortcutOf({ ctrlKey: true, shiftKey: true, key: 'Z' })).toBe('redo');
    expect(shortcutOf({ metaKey: true, shiftKey: true, key: 'z' })).toBe('redo');
  });
  it('ignores keys without Ctrl/Cmd and other letters', () => {
    expect(shortcutOf({ key: 'z' })).toBeNull();
    expect(shortcutOf({ shiftKey: true, key: 'Z' })).toBeNull();
    expect(shortcutOf({ ctrlKey: true, key: 'x' })).toBeNull();
    expect(shortcutOf({ ctrlKey: true, key: 'Z' })).toBeNull(); // caps lock, no shift: neither
  });
});

describe('the rebalance tab', () => {
  it('shows each metric in its own way', () => {
    expect(formatMetric('maxDeviation', 0.123)).toBe('±12.3%');
    expect(formatMetric('contiguousShare', 0.987, 'en-US')).toBe('99%');
    expect(formatMetric('contiguousShare', undefined, 'en-US')).toBe('0%');
    expect(formatMetric('meanPolsbyPopper', 0.41234, 'en-US')).toBe('0.412');
    expect(formatMetric('meanWorkload', 1830.6, 'en-US')).toBe('1,831');
    expect(formatMetric('grids', undefined)).toBe('—');
  });
  it('shows the units moved with their share', () => {
    expect(formatMoved({ unitsMoved: 12, unitsMovedShare: 0.0345 })).toBe('12 (3.5%)');
    expect(formatMoved({ unitsMoved: 0, unitsMovedShare: 0 })).toBe('0 (0.0%)');
  });
  it('builds the rebalance body, capacity only in capacity mode, defaults for empty fields', () => {
    expect(rebalanceBody('keepCount', '0.1', '500')).toEqual({ mode: 'keepCount', tolerance: 0.1 });
    expect(rebalanceBody('capacity', '', '500')).toEqual({ mode: 'capacity', tolerance: 0.05, capacityPerWorker: 500 });
    expect(rebalanceBody('capacity', '0', '')).toEqual({ mode: 'capacity', tolerance: 0.05, capacityPerWorker: 2000 });
  });
  it('sends the band only when it is positive', () => {
    expect(bandOf('0.5')).toEqual({ band: 0.5 });
    expect(bandOf('')).toEqual({});
    expect(bandOf('0')).toEqual({});
    expect(bandOf('-1')).toEqual({});
    expect(bandOf('abc')).toEqual({});
  });
});

describe('the import tab', () => {
  it('uploads to the kind, with an encoded CRS only when one is chosen', () => {
    expect(importPath('plan', '')).toBe('/api/v1/imports?kind=plan');
    expect(importPath('units', 'EPSG:4549')).toBe('/api/v1/imports?kind=units&srs=EPSG%3A4549');
  });
  it('tells base-data imports (which need a confirmation) from plan imports', () => {
    expect(isAreaImport({ kind: 'units' })).toBe(true);
    expect(isAreaImport({ kind: 'communities' })).toBe(true);
    expect(isAreaImport({ kind: 'plan' })).toBe(false);
    expect(isAreaImport({})).toBe(false);
    expect(isAreaImport(null)).toBe(false);
  });
  it('opens the draft a commit made, else the plan it names', () => {
    expect(committedPlanId({ draftPlanId: 9, id: 3 })).toBe(9);
    expect(committedPlanId({ id: 3, planId: 4 })).toBe(3);
    expect(committedPlanId({ planId: 4 })).toBe(4);
    expect(committedPlanId({})).toBeUndefined();
  });
  it("saves an export under the server's file name, else plan.<format>", () => {
    expect(exportFileName('attachment; filename="plan-12.gpkg"', 'gpkg')).toBe('plan-12.gpkg');
    expect(exportFileName('attachment; filename=plan-12.zip', 'shp')).toBe('plan-12.zip');
    expect(exportFileName(null, 'geojson')).toBe('plan.geojson');
    expect(EXPORT_FORMATS.map(([f]) => f)).toEqual(['geojson', 'gpkg', 'shp']);
  });
});
