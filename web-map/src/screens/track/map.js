// The small map of the tracking page: gridgov's own base layers (no internet tiles, as every
// screen) with the case's rounded location, drawn as the public cell it stands for.
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import Polygon from 'ol/geom/Polygon.js';
import { Style, Fill, Stroke } from 'ol/style.js';
import { fromLonLat } from 'ol/proj.js';
import { createBaseMap } from '../../map/basemap.js';
import { markerStyle } from '../../map/styles.js';
import { roundingCell } from './logic.js';

// the web map's own (no layer of styles.yaml shows a case's approximate place)
const CELL = new Style({
  fill: new Fill({ color: 'rgba(214, 39, 40, 0.15)' }),
  stroke: new Stroke({ color: '#d62728', width: 2 }),
});

/** Creates the map in target; resolves to show(location), which puts the place on it. */
export async function createTrackMap(target) {
  const { map } = await createBaseMap(target, { baseUnits: false });
  const source = new VectorSource();
  map.addLayer(
    new VectorLayer({
      source,
      style: (f) => (f.getGeometry() instanceof Point ? markerStyle('#d62728', 6) : CELL),
      properties: { name: 'case' },
    }),
  );
  return {
    map,
    show(location) {
      source.clear();
      if (!location) return;
      const cell = new Polygon([roundingCell(location).map((c) => fromLonLat(c))]);
      source.addFeatures([new Feature(cell), new Feature(new Point(fromLonLat([location.lon, location.lat])))]);
      map.getView().fit(cell.getExtent(), { padding: [40, 40, 40, 40], maxZoom: 17, duration: 0 });
    },
  };
}
