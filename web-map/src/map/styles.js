// Styles of gridgov's own layers, close to styles/styles.yaml (what WMS clients see).
import { Fill, Stroke, Style, Text, Circle } from 'ol/style.js';

const communityFill = {
  URBAN: new Style({ fill: new Fill({ color: 'rgba(253,235,208,0.7)' }), stroke: new Stroke({ color: '#a0522d', width: 1.2 }) }),
  VILLAGE: new Style({ fill: new Fill({ color: 'rgba(213,245,227,0.7)' }), stroke: new Stroke({ color: '#1e8449', width: 1.2 }) }),
};

export function communityStyle(feature) {
  return communityFill[feature.get('kind')] ?? communityFill.VILLAGE;
}

export const gridStyle = new Style({ stroke: new Stroke({ color: 'rgba(31,78,121,0.85)', width: 1 }) });

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
