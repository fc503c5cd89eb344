// Styles of gridgov's own layers. Every colour and width that styles/styles.yaml gives for a layer
// comes from there (map/palette.js), so the web map draws a layer as WMS clients see it; what the
// yaml has no style for (the main roads' casing, the community labels, point markers) is the web
// map's own and says so below.
import { Fill, Stroke, Style, Text, Circle } from 'ol/style.js';
import { classesBy, firstClass } from './palette.js';

// communities: styles.yaml communities_by_kind (the layer's default style), fill and outline by kind
const communityFill = Object.fromEntries(
  Object.entries(classesBy('communities_by_kind', 'kind')).map(([kind, c]) => [
    kind,
    new Style({ fill: new Fill({ color: c.fill }), stroke: new Stroke({ color: c.stroke, width: c.width }) }),
  ]),
);

export function communityStyle(feature) {
  return communityFill[feature.get('kind')] ?? communityFill.VILLAGE;
}

// grids: styles.yaml grids_outline (the web map draws the lines only; the planner colours grids itself)
const gridOutline = firstClass('grids_outline');
export const gridStyle = new Style({ stroke: new Stroke({ color: gridOutline.stroke, width: gridOutline.width }) });

// Roads (styles.yaml roads_by_class): main roads always, streets from about z14, lanes from z15
// (resolutions in m/px of EPSG:3857), so the subdistrict view is not a hatch of lanes.
const road = classesBy('roads_by_class', 'road_class');
const roadLine = (c, zIndex) => new Style({ stroke: new Stroke({ color: c.stroke, width: c.width }), zIndex });
// The web map's own: a darker casing under the main roads, 1.5 px wider than the yaml's line, so
// they stand out over the community fills (styles.yaml has no casing; WMS draws the line alone).
const MAIN_ROAD_CASING = '#c98a2e';
const roadStyles = {
  MAIN: [
    new Style({ stroke: new Stroke({ color: MAIN_ROAD_CASING, width: road.MAIN.width + 1.5 }), zIndex: 2 }),
    roadLine(road.MAIN, 3),
  ],
  STREET: [roadLine(road.STREET, 1)],
  LANE: [roadLine(road.LANE)],
};

export function roadStyle(feature, resolution) {
  const cls = feature.get('road_class');
  if (cls === 'LANE' && resolution > 5) return null;
  if (cls === 'STREET' && resolution > 10) return null;
  return roadStyles[cls] ?? roadStyles.LANE;
}

// base units: the outline of styles.yaml base_units_by_land_use (the same for every land use).
// The web map leaves out the land-use fills, so the community fills under the units show through.
const unitOutline = firstClass('base_units_by_land_use');
export const baseUnitStyle = new Style({ stroke: new Stroke({ color: unitOutline.stroke, width: unitOutline.width }) });

// The web map's own: community names (WMS has no label style for them).
const labelStyle = new Style({
  text: new Text({
    font: '13px "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
    fill: new Fill({ color: '#333' }),
    stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
    overflow: true,
  }),
});

export function communityLabelStyle(feature) {
  labelStyle.getText().setText(feature.get('name') ?? '');
  return labelStyle;
}

/** A point marker; color as CSS. The web map's own (the intake screen's picks), no WMS layer's style. */
export function markerStyle(color = '#d62728', radius = 8) {
  return new Style({
    image: new Circle({ radius, fill: new Fill({ color }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
  });
}
