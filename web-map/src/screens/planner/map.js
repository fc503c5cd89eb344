// The planner's map: the base map with the open plan's grids coloured by deviation on top, the
// base plan's lines dashed, validation problems, the sketch layer of the drawing tools, unit
// styles (selected, moved), the hover tooltip and the legend.
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import { Fill, Stroke, Style, Text } from 'ol/style.js';
import { t } from '../../i18n/i18n.js';
import { el } from '../../shared/dom.js';
import { createBaseMap } from '../../map/basemap.js';
import { baseUnitStyle } from '../../map/styles.js';
import {
  DEVIATION_CLASSES,
  DEVIATION_STROKE,
  deviationColor,
  withAlpha,
  formatDeviation,
  formatNumber,
} from './logic.js';

export const geojson = new GeoJSON();
export const READ = { featureProjection: 'EPSG:3857' };

/** ctx: { $, state, mapEl, selectGrid (at call time) }. */
export async function createPlanMap(ctx) {
  const { $, state, mapEl } = ctx;
  const { map, layers } = await createBaseMap(mapEl);
  // the base map draws the plan in effect from tiles; here the open plan is drawn instead, so the
  // tile layer only loads (the "grids rendered" mark still fires) and draws nothing
  layers.grids.setStyle(() => null);

  // Fill colours and outline are styles.yaml workload_diverging's (logic.js). The planner's own:
  // a lighter fill (0.6, WMS draws 0.75) and a wider outline, so the selected and moved units
  // under the grids still show, and the selected grid's blue outline and name.
  const fills = new Map();
  function gridStyle(feature) {
    const id = feature.get('id');
    const selected = id === state.selectedGrid;
    const color = deviationColor(feature.get('kind') === 'SPECIAL' ? null : feature.get('deviation'));
    const key = `${color}|${selected}`;
    if (!fills.has(key)) {
      fills.set(
        key,
        new Style({
          fill: new Fill({ color: withAlpha(color, 0.6) }),
          stroke: new Stroke({ color: selected ? '#0b3d91' : DEVIATION_STROKE, width: selected ? 3 : 0.8 }),
          zIndex: selected ? 2 : 1,
        }),
      );
    }
    const style = fills.get(key);
    if (selected) {
      return [
        style,
        new Style({
          text: new Text({
            text: feature.get('name') ?? '',
            font: '600 13px sans-serif',
            fill: new Fill({ color: '#0b3d91' }),
            stroke: new Stroke({ color: '#fff', width: 3 }),
            overflow: true,
          }),
        }),
      ];
    }
    return style;
  }

  const selectedUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(31,119,180,0.55)' }),
    stroke: new Stroke({ color: '#1f77b4', width: 1.5 }),
  });
  // moved units: a strong outline and a light fill, so the grid's deviation colour still shows through
  const movedUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(255,127,14,0.3)' }),
    stroke: new Stroke({ color: '#e65c00', width: 2.2 }),
    zIndex: 2,
  });
  // a transparent fill so that a click inside a unit hits it, not only its outline
  const plainUnitStyle = new Style({
    fill: new Fill({ color: 'rgba(255,255,255,0.01)' }),
    stroke: baseUnitStyle.getStroke(),
  });
  function unitStyle(feature) {
    const id = feature.getId();
    if (state.selectedUnits.has(id)) return selectedUnitStyle;
    if (state.moved.has(id)) return movedUnitStyle;
    return plainUnitStyle;
  }

  const gridSource = new VectorSource();
  const gridLayer = new VectorLayer({ source: gridSource, style: gridStyle, properties: { name: 'plan-grids' } });
  const problemSource = new VectorSource();
  const problemLayer = new VectorLayer({
    source: problemSource,
    properties: { name: 'problems' },
    style: new Style({
      stroke: new Stroke({ color: '#d62728', width: 3, lineDash: [6, 4] }),
      fill: new Fill({ color: 'rgba(214,39,40,0.15)' }),
    }),
  });
  // the plan a proposal is compared with: its grid boundaries dashed over the proposal's colours
  const baseSource = new VectorSource();
  const baseLayer = new VectorLayer({
    source: baseSource,
    properties: { name: 'base-plan' },
    style: new Style({ stroke: new Stroke({ color: '#111', width: 2, lineDash: [8, 6] }) }),
  });
  const sketchSource = new VectorSource();
  const sketchLayer = new VectorLayer({ source: sketchSource, properties: { name: 'sketch' } });
  map.getLayers().insertAt(map.getLayers().getArray().indexOf(layers.grids) + 1, gridLayer);
  map.addLayer(baseLayer);
  map.addLayer(problemLayer);
  map.addLayer(sketchLayer);

  if (layers.baseUnits) {
    layers.baseUnits.setMinZoom(13);
    layers.baseUnits.setStyle(unitStyle);
  }

  /** The plan grid under a pixel, or undefined. */
  const gridAt = (pixel) => map.forEachFeatureAtPixel(pixel, (f) => f, { layerFilter: (l) => l === gridLayer });

  const tooltip = $('#planner-tooltip');
  map.on('pointermove', (e) => {
    if (e.dragging) return;
    const g = gridAt(e.pixel);
    if (!g) {
      tooltip.hidden = true;
      return;
    }
    tooltip.replaceChildren(
      el('strong', {}, g.get('name')),
      el('br'),
      `${t('planner.stat.workload')}: ${formatNumber(g.get('workload'))} · ${t('planner.stat.deviation')}: ${formatDeviation(g.get('deviation'))}`,
    );
    tooltip.style.left = `${e.pixel[0] + 14}px`;
    tooltip.style.top = `${e.pixel[1] + 14}px`;
    tooltip.hidden = false;
  });
  mapEl.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
  });

  function renderLegend() {
    const box = $('#planner-legend');
    box.replaceChildren(el('strong', {}, t('planner.legend')));
    for (const c of DEVIATION_CLASSES) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', { className: 'planner-swatch', style: `background:${withAlpha(c.color, 0.8)}` }),
          c.label,
        ),
      );
    }
    box.append(
      el(
        'div',
        { className: 'planner-legend-row' },
        el('span', { className: 'planner-swatch', style: 'background:#bdbdbd' }),
        t('planner.legend.special'),
      ),
    );
    if (baseSource.getFeatures().length) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', { className: 'planner-swatch', style: 'background:transparent;border:2px dashed #111' }),
          t('planner.legend.base', { plan: baseSource.get('planId') }),
        ),
      );
    }
    if (state.moved.size) {
      box.append(
        el(
          'div',
          { className: 'planner-legend-row' },
          el('span', {
            className: 'planner-swatch',
            style: 'background:rgba(255,127,14,0.3);border:2px solid #e65c00',
          }),
          t('planner.legend.moved'),
        ),
      );
    }
  }

  /** Draws a problem's location, zooms to it and picks its grid (validation and import reports). */
  function zoomTo(problem) {
    problemSource.clear();
    if (!problem.location) return;
    const f = geojson.readFeature({ type: 'Feature', geometry: problem.location, properties: {} }, READ);
    problemSource.addFeature(f);
    map.getView().fit(f.getGeometry().getExtent(), { padding: [60, 60, 60, 60], maxZoom: 17, duration: 250 });
    if (problem.gridId) ctx.selectGrid(problem.gridId);
  }

  return {
    map,
    layers,
    gridSource,
    gridLayer,
    problemSource,
    baseSource,
    baseLayer,
    sketchSource,
    gridAt,
    renderLegend,
    zoomTo,
  };
}
