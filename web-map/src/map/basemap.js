// The base map every screen starts from: gridgov's OWN layers (no internet tiles) —
// subdistrict boundary (WMS /ows), communities with name labels, roads (the routing graph's
// edges, by class; the data has no road names, so no road labels) and grids (vector tiles
// /tiles/…), base units when the user may see them — plus an optional external base map
// (XYZ/WMTS URL template from the server setting GRIDGOV_BASEMAP_URL, off by default).
// Screens add their own layers on top: createBaseMap(target).then(({ map }) => map.addLayer(…)).
import Map from 'ol/Map.js';
import View from 'ol/View.js';
import TileLayer from 'ol/layer/Tile.js';
import ImageLayer from 'ol/layer/Image.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import XYZ from 'ol/source/XYZ.js';
import ImageWMS from 'ol/source/ImageWMS.js';
import MVT from 'ol/format/MVT.js';
import { defaults as defaultControls, ScaleLine } from 'ol/control.js';
import { transformExtent } from 'ol/proj.js';
import { authHeaders, webConfig } from '../api/client.js';
import { session, hasRole } from '../api/session.js';
import { communityStyle, gridStyle, baseUnitStyle, communityLabelStyle, roadStyle } from './styles.js';
// the roles that may see base units: the server's layers.yaml (base_units), read at build time
import BASE_UNIT_ROLES from '@server/org/gridgov/ogc/layers.yaml?pick=layers.base_units.roles';

export const GRIDS_RENDERED_MARK = 'gridgov:grids-rendered';

/** Tiles fetched with the session's token (restricted layers need it; public ones ignore it). */
function tileSource(layer) {
  return new VectorTileSource({
    format: new MVT(), // ST_AsMVT(…, 'id') makes the id the MVT feature id: feature.getId()
    url: `/tiles/${layer}/{z}/{x}/{y}.mvt`,
    maxZoom: 18,
    tileLoadFunction(tile, url) {
      tile.setLoader((extent, resolution, projection) => {
        fetch(url, { headers: authHeaders() })
          .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${r.status} ${url}`))))
          .then((data) => {
            tile.setFeatures(tile.getFormat().readFeatures(data, { extent, featureProjection: projection }));
          })
          .catch(() => tile.setFeatures([]));
      });
    },
  });
}

/**
 * Builds the map in target (an element). Options: { baseUnits: true|false (default: when the
 * user's roles allow), controls: extra OL controls }. Resolves to { map, layers, config } once
 * the server's web config is known; performance mark GRIDS_RENDERED_MARK and
 * target.dataset.gridsRendered = 'true' are set the first time grids are on screen.
 */
export async function createBaseMap(target, options = {}) {
  const config = await webConfig();
  const layers = {};
  if (config.baseMap?.url) {
    layers.external = new TileLayer({
      source: new XYZ({
        url: config.baseMap.url,
        attributions: config.baseMap.attribution || undefined,
        crossOrigin: 'anonymous',
      }),
      properties: { name: 'external' },
    });
  }
  layers.communities = new VectorTileLayer({
    source: tileSource('communities'),
    style: communityStyle,
    properties: { name: 'communities' },
    opacity: config.baseMap?.url ? 0.6 : 1,
  });
  const wantUnits = options.baseUnits ?? (session() !== null && hasRole(...BASE_UNIT_ROLES));
  if (wantUnits) {
    layers.baseUnits = new VectorTileLayer({
      source: tileSource('base_units'),
      style: baseUnitStyle,
      minZoom: 14,
      properties: { name: 'base_units' },
    });
  }
  // Roads under the grids, above the community fills (and base units) — public like the boundaries.
  layers.roads = new VectorTileLayer({
    source: tileSource('roads'),
    style: roadStyle,
    renderMode: 'hybrid',
    properties: { name: 'roads' },
  });
  layers.grids = new VectorTileLayer({ source: tileSource('grids'), style: gridStyle, properties: { name: 'grids' } });
  layers.subdistrict = new ImageLayer({
    source: new ImageWMS({
      url: '/ows',
      params: {
        LAYERS: 'subdistrict',
        STYLES: 'subdistrict_outline',
        VERSION: '1.3.0',
        TRANSPARENT: true,
        FORMAT: 'image/png',
      },
      ratio: 1,
    }),
    properties: { name: 'subdistrict' },
  });
  layers.labels = new VectorTileLayer({
    source: layers.communities.getSource(),
    style: communityLabelStyle,
    declutter: true,
    renderMode: 'hybrid',
    properties: { name: 'labels' },
  });

  const extent = transformExtent(config.extent, 'EPSG:4326', 'EPSG:3857');
  const map = new Map({
    target,
    layers: Object.values(layers),
    controls: defaultControls({ attribution: !!config.baseMap?.url }).extend([
      new ScaleLine(),
      ...(options.controls ?? []),
    ]),
    view: new View({ projection: 'EPSG:3857', maxZoom: 20 }),
  });
  map.getView().fit(extent, { padding: [16, 16, 16, 16] });
  target.olMap = map; // for the browser tests and the console
  watchGrids(map, layers.grids, target);
  return { map, layers, config };
}

/** Marks the first render with grid tiles loaded: what the web-map benchmark times. */
function watchGrids(map, gridLayer, target) {
  let loaded = 0;
  gridLayer.getSource().on('tileloadend', () => {
    loaded += 1;
  });
  const onRender = () => {
    if (loaded === 0) return;
    map.un('rendercomplete', onRender);
    if (performance.getEntriesByName(GRIDS_RENDERED_MARK).length === 0) performance.mark(GRIDS_RENDERED_MARK);
    target.dataset.gridsRendered = 'true';
  };
  map.on('rendercomplete', onRender);
}
