import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  DEVIATION_CLASSES,
  deviationClassesOf,
  deviationClass,
  deviationColor,
  withAlpha,
  formatDeviation,
  formatProgress,
  unitIndex,
  movedUnits,
  gridsOfUnits,
  metricRows,
  localInputToIso,
  sortPlans,
  groupProblems,
  communityOfUnits,
  emptyGrids,
} from '../src/screens/planner/logic.js';

describe('deviation ramp from styles/styles.yaml', () => {
  // read here on its own, not through the build's import, so that a wrong import would show
  const yaml = parse(readFileSync(new URL('../../styles/styles.yaml', import.meta.url), 'utf8'));
  const style = yaml.styles.workload_diverging;

  it("is the yaml's workload_diverging: the same colours and bounds, in order", () => {
    expect(DEVIATION_CLASSES.map((c) => c.color)).toEqual(style.classes.map((c) => c.fill));
    expect(DEVIATION_CLASSES.slice(1).map((c) => c.min)).toEqual(
      style.classes.slice(1).map((c) => c.where.deviation[0]),
    );
    expect(DEVIATION_CLASSES.slice(0, -1).map((c) => c.max)).toEqual(
      style.classes.slice(0, -1).map((c) => c.where.deviation[1]),
    );
  });
  it('has contiguous ranges, open at both ends', () => {
    expect(DEVIATION_CLASSES[0].min).toBe(-Infinity);
    expect(DEVIATION_CLASSES.at(-1).max).toBe(Infinity);
    for (let i = 1; i < DEVIATION_CLASSES.length; i++)
      expect(DEVIATION_CLASSES[i].min).toBe(DEVIATION_CLASSES[i - 1].max);
  });
  it("labels the legend with the yaml's names, in real minus signs", () => {
    expect(DEVIATION_CLASSES.map((c) => c.label)).toEqual(['≤ −30%', '−30% … −10%', '±10%', '+10% … +30%', '≥ +30%']);
  });
  it('reads any deviation style the same way', () => {
    const classes = deviationClassesOf({
      classes: [
        { name: '< -5%', where: { deviation: [-1, -0.05] }, fill: '#000001' },
        { name: 'ok', where: { deviation: [-0.05, 0.05] }, fill: '#000002' },
        { name: '> 5%', where: { deviation: [0.05, 1] }, fill: '#000003' },
      ],
    });
    expect(classes).toEqual([
      { min: -Infinity, max: -0.05, color: '#000001', label: '< −5%' },
      { min: -0.05, max: 0.05, color: '#000002', label: 'ok' },
      { min: 0.05, max: Infinity, color: '#000003', label: '> 5%' },
    ]);
  });
});

describe('deviation → colour', () => {
  it('is a diverging ramp around 0, as styles.yaml workload_diverging', () => {
    expect(deviationColor(0)).toBe('#f7f7f7');
    expect(deviationColor(0.0999)).toBe('#f7f7f7');
    expect(deviationColor(-0.0999)).toBe('#f7f7f7');
    expect(deviationColor(0.1)).toBe('#ef8a62'); // ranges are [min, max)
    expect(deviationColor(0.35)).toBe('#b2182b');
    expect(deviationColor(-0.1)).toBe('#f7f7f7');
    expect(deviationColor(-0.2)).toBe('#67a9cf');
    expect(deviationColor(-0.5)).toBe('#2166ac');
    expect(deviationColor(5)).toBe('#b2182b');
  });
  it('greys grids without a deviation', () => {
    expect(deviationClass(null)).toBe(-1);
    expect(deviationClass(Number.NaN)).toBe(-1);
    expect(deviationColor(undefined)).toBe('#bdbdbd');
  });
  it('is symmetric: as many classes below as above', () => {
    const mid = DEVIATION_CLASSES.findIndex((c) => c.color === '#f7f7f7');
    expect(mid).toBe((DEVIATION_CLASSES.length - 1) / 2);
  });
  it('adds alpha', () => {
    expect(withAlpha('#b2182b', 0.5)).toBe('rgba(178,24,43,0.5)');
  });
});

describe('formatting', () => {
  it('signs deviations with a real minus', () => {
    expect(formatDeviation(0.1234)).toBe('+12.3%');
    expect(formatDeviation(-0.05)).toBe('−5.0%');
    expect(formatDeviation(0)).toBe('0.0%');
    expect(formatDeviation(null)).toBe('—');
  });
  it('clamps progress', () => {
    expect(formatProgress(0.426)).toBe('42%');
    expect(formatProgress(1.5)).toBe('100%');
    expect(formatProgress(undefined)).toBe('0%');
  });
});

describe('diff of two plans', () => {
  const before = unitIndex({ unitIds: [1, 2, 3, 4], gridIds: [10, 10, 11, 11], gridCodes: ['A', 'A', 'B', 'B'] });
  it('finds units whose grid code changed, not those whose grid got a new id in the copy', () => {
    const after = unitIndex({ unitIds: [1, 2, 3, 4], gridIds: [20, 21, 21, 21], gridCodes: ['A', 'B', 'B', 'B'] });
    expect(movedUnits(before, after)).toEqual([{ unitId: 2, from: 'A', to: 'B' }]);
  });
  it('counts units present in one plan only as moved, sorted by id', () => {
    const after = unitIndex({ unitIds: [4, 1, 2, 5], gridIds: [1, 1, 1, 2], gridCodes: ['B', 'A', 'A', 'C'] });
    expect(movedUnits(before, after)).toEqual([
      { unitId: 3, from: 'B', to: null },
      { unitId: 5, from: null, to: 'C' },
    ]);
  });
  it('is empty for the same plan', () => {
    expect(movedUnits(before, before)).toEqual([]);
  });
  it('tells the grids a selection touches', () => {
    expect([...gridsOfUnits(before, [1, 3, 99])].sort()).toEqual([10, 11]);
  });
});

describe('before/after metrics', () => {
  it('marks what got better', () => {
    const rows = metricRows({
      before: { grids: 16, maxDeviation: 0.4, meanPolsbyPopper: 0.5, contiguousShare: 1 },
      after: { grids: 16, maxDeviation: 0.05, meanPolsbyPopper: 0.45, contiguousShare: 1 },
    });
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.maxDeviation.better).toBe(true);
    expect(by.meanPolsbyPopper.better).toBe(false);
    expect(by.contiguousShare.better).toBe(null);
    expect(by.grids.better).toBe(null);
    expect(by.maxDeviation).toMatchObject({ before: 0.4, after: 0.05 });
  });
});

describe('effective time', () => {
  it('sends the local time with its offset', () => {
    expect(localInputToIso('2098-01-01T00:00', 480)).toBe('2098-01-01T00:00:00+08:00');
    expect(localInputToIso('2098-06-30T23:45:10', -330)).toBe('2098-06-30T23:45:10-05:30');
    expect(localInputToIso('2098-01-01T00:00', 0)).toBe('2098-01-01T00:00:00+00:00');
  });
  it('uses the browser zone by default and refuses junk', () => {
    expect(localInputToIso('2098-01-01T00:00')).toMatch(/^2098-01-01T00:00:00[+-]\d\d:\d\d$/);
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow')).toBeNull();
  });
});

describe('plans and problems', () => {
  it('lists the plan in effect first, then adopted, then drafts, newest first', () => {
    const plans = [
      { id: 1, status: 'RETIRED', inEffect: false, effectiveFrom: '2020-01-01T00:00:00Z' },
      { id: 5, status: 'DRAFT', inEffect: false, createdAt: '2026-01-01T00:00:00Z' },
      { id: 6, status: 'DRAFT', inEffect: false, createdAt: '2026-02-01T00:00:00Z' },
      { id: 2, status: 'ACTIVE', inEffect: true, effectiveFrom: '2024-01-01T00:00:00Z' },
      { id: 3, status: 'ACTIVE', inEffect: false, effectiveFrom: '2090-01-01T00:00:00Z' },
    ];
    expect(sortPlans(plans).map((p) => p.id)).toEqual([2, 3, 1, 6, 5]);
  });
  it('groups problems by type in order', () => {
    const g = groupProblems([
      { type: 'a', message: '1' },
      { type: 'b', message: '2' },
      { type: 'a', message: '3' },
    ]);
    expect(g.map((x) => [x.type, x.problems.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(groupProblems(undefined)).toEqual([]);
    const sev = groupProblems([
      { type: 'grid-without-backup-worker', severity: 'warning', message: 'x' },
      { type: 'grid-without-worker', severity: 'error', message: 'y' },
      { type: 'old', message: 'z' },
    ]);
    expect(sev.map((x) => [x.type, x.severity])).toEqual([
      ['grid-without-backup-worker', 'warning'],
      ['grid-without-worker', 'error'],
      ['old', 'error'],
    ]);
  });
});

describe('planner text', () => {
  it('has every key the screen names, in both languages', async () => {
    // the screen and its parts (map, plans, picker, tabs/*, logic): every module but the messages
    const fs = await import('node:fs');
    const dir = new URL('../src/screens/planner/', import.meta.url);
    const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js') && f !== 'messages.js');
    expect(files).toEqual(expect.arrayContaining(['screen.js', 'tabs/edit.js', 'tabs/rebalance.js']));
    const src = files.map((f) => fs.readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const { default: msgs } = await import('../src/screens/planner/messages.js');
    const prefixes = new Set([...src.matchAll(/tk\('planner\.([\w.]+)'/g)].map((m) => m[1]));
    const used = [...src.matchAll(/['"`]planner\.([\w.-]+\w)['"`]/g)].map((m) => m[1]).filter((k) => !prefixes.has(k));
    // keys built from a template: planner.tab.${k} etc.
    const built = {
      tab: ['grid', 'edit', 'rebalance', 'import', 'history'],
      tool: ['grid', 'units', 'lasso', 'claim', 'split'],
      toolHint: ['grid', 'units', 'lasso', 'claim', 'split'],
      mode: ['keepCount', 'keepEachCommunity', 'capacity'],
      job: ['RUNNING', 'DONE', 'FAILED', 'CANCELLED'],
      kind: ['BASIC', 'SPECIAL'],
      status: ['DRAFT', 'ACTIVE', 'RETIRED'],
      metric: metricRows({}).map((r) => r.key),
      severity: ['error', 'warning'],
      'import.kind': ['plan', 'units', 'communities'],
    };
    const all = [...used, ...Object.entries(built).flatMap(([p, list]) => list.map((x) => `${p}.${x}`))];
    expect(all.length).toBeGreaterThan(100);
    for (const lang of ['zh-CN', 'en']) {
      expect(
        all.filter((k) => !(k in msgs[lang])),
        lang,
      ).toEqual([]);
    }
  });
});

describe('new and empty grids', () => {
  const index = unitIndex({ unitIds: [1, 2, 3], gridIds: [10, 11, 20], gridCodes: ['a', 'b', 'c'] });
  const communityOf = (g) => ({ 10: 5, 11: 5, 20: 6 })[g];
  it('a new grid takes the one community of the selected units', () => {
    expect(communityOfUnits(index, [1, 2], communityOf)).toBe(5);
    expect(communityOfUnits(index, [3], communityOf)).toBe(6);
  });
  it('units of two communities, or unknown units, give no community', () => {
    expect(communityOfUnits(index, [1, 3], communityOf)).toBeNull();
    expect(communityOfUnits(index, [99], communityOf)).toBeNull();
    expect(communityOfUnits(index, [], communityOf)).toBeNull();
  });
  it('lists grids with no units left', () => {
    expect(emptyGrids([{ id: 1, units: 3 }, { id: 2, units: 0 }, { id: 3 }]).map((g) => g.id)).toEqual([2]);
  });
});
