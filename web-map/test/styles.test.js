import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { communityStyle, gridStyle, roadStyle, baseUnitStyle } from '../src/map/styles.js';
import { DEVIATION_STROKE, withAlpha } from '../src/screens/planner/logic.js';

// styles.yaml read here on its own, not through the build's import, so that a wrong import would show
const yaml = parse(readFileSync(new URL('../../styles/styles.yaml', import.meta.url), 'utf8')).styles;
const feature = (props) => ({ get: (k) => props[k] });
const strokeOf = (style) => ({ color: style.getStroke().getColor(), width: style.getStroke().getWidth() });

describe("the web map draws gridgov's layers in styles.yaml's colours (what WMS clients see)", () => {
  it('communities: communities_by_kind, fill with its opacity and outline, per kind', () => {
    for (const c of yaml.communities_by_kind.classes) {
      const style = communityStyle(feature({ kind: c.where.kind }));
      expect(style.getFill().getColor()).toBe(withAlpha(c.fill, c.fillOpacity));
      expect(strokeOf(style)).toEqual({ color: c.stroke, width: c.width });
    }
  });

  it('grids: grids_outline', () => {
    const [c] = yaml.grids_outline.classes;
    expect(strokeOf(gridStyle)).toEqual({ color: c.stroke, width: c.width });
  });

  it("roads: roads_by_class, each class's line (main roads over the web map's own casing)", () => {
    for (const c of yaml.roads_by_class.classes) {
      const styles = roadStyle(feature({ road_class: c.where.road_class }), 1);
      expect(strokeOf(styles[styles.length - 1])).toEqual({ color: c.stroke, width: c.width });
    }
    const [casing, line] = roadStyle(feature({ road_class: 'MAIN' }), 1);
    expect(casing.getStroke().getWidth()).toBeGreaterThan(line.getStroke().getWidth());
    expect(casing.getZIndex()).toBeLessThan(line.getZIndex());
  });

  it('base units: the outline of base_units_by_land_use (the same for every land use)', () => {
    const outlines = yaml.base_units_by_land_use.classes.map((c) => ({ color: c.stroke, width: c.width }));
    expect(new Set(outlines.map(JSON.stringify)).size).toBe(1);
    expect(strokeOf(baseUnitStyle)).toEqual(outlines[0]);
  });

  it("the planner's grids: the outline of workload_diverging", () => {
    expect(new Set(yaml.workload_diverging.classes.map((c) => c.stroke))).toEqual(new Set([DEVIATION_STROKE]));
  });
});
