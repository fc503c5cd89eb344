// The colours of gridgov's layers as styles/styles.yaml gives them, read at build time through
// @styles (vite.config.js): the file the server generates its WMS styles from, so the web map and
// WMS clients draw a layer alike and a restyle is one edit there. Pure (no OpenLayers): map/styles.js
// and the screens build their OpenLayers styles from it.
import styles from '@styles/styles.yaml';

/** The styles of styles.yaml by name. */
export const STYLES = styles.styles;

/** '#rrggbb' + alpha → 'rgba(…)'. */
export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * A styles.yaml class as the web map draws it: {fill, stroke, width}. The fill carries the
 * class's fillOpacity ('rgba(…)'; '#rrggbb' when it has none; null when the class has no fill).
 */
export function drawnClass(c) {
  let fill = c.fill ?? null;
  if (fill && c.fillOpacity !== undefined) fill = withAlpha(fill, c.fillOpacity);
  return { fill, stroke: c.stroke ?? null, width: c.width ?? 1 };
}

/** The classes of a style that sorts features by one attribute → { value: drawnClass } (kind → …). */
export function classesBy(name, attribute) {
  return Object.fromEntries(STYLES[name].classes.map((c) => [c.where[attribute], drawnClass(c)]));
}

/** The first class of a style: the whole style when it has one class (an outline). */
export function firstClass(name) {
  return drawnClass(STYLES[name].classes[0]);
}
