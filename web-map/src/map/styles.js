// Styles of gridgov's own layers, close to styles/styles.yaml (what WMS clients see).
import { Fill, Stroke, Style, Text, Circle } from 'ol/style.js';

const communityFill = {
  URBAN: new Style({
    fill: new Fill({ color: 'rgba(253,235,208,0.7)' }),
    stroke: new Stroke({ color: '#a0522d', width: 1.2 }),
  }),
  VILLAGE: new Style({
    fill: new Fill({ color: 'rgba(213,245,227,0.7)' }),
    stroke: new Stroke({ color: '#1e8449', width: 1.2 }),
  }),
};

export function communityStyle(feature) {
  return communityFill[feature.get('kind')] ?? communityFill.VILLAGE;
}

export const gridStyle = new Style({ stroke: new Stroke({ color: 'rgba(31,78,121,0.85)', width: 1 }) });

// Roads (styles.yaml roads_by_class): main roads always, streets from about z14, lanes from z15
// (resolutions in m/px of EPSG:3857), so the subdistrict view is not a hatch of lanes.
const roadStyles = {
  MAIN: [
    new Style({ stroke: new Stroke({ color: '#c98a2e', width: 4.5 }), zIndex: 2 }),
    new Style({ stroke: new Stroke({ color: '#f4c26b', width: 3 }), zIndex: 3 }),
  ],
  STREET: [new Style({ stroke: new Stroke({ color: '#b9b9b9', width: 1.6 }), zIndex: 1 })],
  LANE: [new Style({ stroke: new Stroke({ color: '#d5d5d5', width: 0.8 }) })],
};

export function roadStyle(feature, resolution) {
  const cls = feature.get('road_class');
  if (cls === 'LANE' && resolution > 5) return null;
  if (cls === 'STREET' && resolution > 10) return null;
  return roadStyles[cls] ?? roadStyles.LANE;
}

export const baseUnitStyle = new Style({ stroke: new Stroke({ color: 'rgba(120,120,120,0.35)', width: 0.5 }) });

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

/** A point marker; color as CSS. */
export function markerStyle(color = '#d62728', radius = 8) {
  return new Style({
    image: new Circle({ radius, fill: new Fill({ color }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
  });
}
