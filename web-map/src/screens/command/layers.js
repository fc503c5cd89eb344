// The command centre's map layers on top of the base map: the WMS heatmap, square/hex bins and
// Gi* hot spots (analytics GeoJSON for the view), live incidents (clustered when dense, new ones
// ringed) and the selected case's responders with their routes.
import ImageLayer from 'ol/layer/Image.js';
import ImageWMS from 'ol/source/ImageWMS.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Cluster from 'ol/source/Cluster.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import { fromLonLat, transformExtent } from 'ol/proj.js';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style.js';
import { api, authHeaders } from '../../api/client.js';
import { heatmapParams, analyticsParams, binSizeFor, binColor, HOTSPOT_COLORS } from './logic.js';

const geojson = new GeoJSON({ featureProjection: 'EPSG:3857' });

export function createLayers(map) {
  // With the token: without one the server draws the coarse public heatmap (docs/analytics.md).
  const heatSource = new ImageWMS({
    url: '/ows',
    params: { LAYERS: 'heatmap' },
    ratio: 1,
    imageLoadFunction(image, src) {
      const img = image.getImage();
      fetch(src, { headers: authHeaders() })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`${r.status} ${src}`))))
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
          img.src = url;
        })
        .catch(() => {
          img.src = src;
        });
    },
  });
  const heatmap = new ImageLayer({ source: heatSource, opacity: 0.75, properties: { name: 'heatmap' } });
  const analyticsSource = new VectorSource();
  let maxCount = 1;
  const analytics = new VectorLayer({
    source: analyticsSource,
    properties: { name: 'analytics' },
    style: (f) => {
      const cls = f.get('class');
      if (cls !== undefined) {
        const c = HOTSPOT_COLORS[cls];
        return c
          ? new Style({
              fill: new Fill({ color: c }),
              stroke: new Stroke({ color: 'rgba(255,255,255,0.5)', width: 0.5 }),
            })
          : null;
      }
      return new Style({
        fill: new Fill({ color: binColor(f.get('count'), maxCount) }),
        stroke: new Stroke({ color: 'rgba(255,255,255,0.4)', width: 0.5 }),
      });
    },
  });

  const liveSource = new VectorSource();
  const cluster = new Cluster({ source: liveSource, distance: 28, minDistance: 8 });
  const styleCache = new Map();
  const live = new VectorLayer({
    source: cluster,
    properties: { name: 'live' },
    zIndex: 10,
    style: (f) => {
      const members = f.get('features');
      const fresh = members.some((m) => m.get('fresh'));
      const selected = members.some((m) => m.get('selected'));
      if (members.length === 1) {
        const m = members[0];
        const color = m.get('overdue') ? '#c0392b' : '#1f77b4';
        return new Style({
          image: new Circle({
            radius: selected ? 10 : fresh ? 9 : 6,
            fill: new Fill({ color: fresh ? '#ff7f0e' : color }),
            stroke: new Stroke({
              color: selected ? '#000' : fresh ? '#ffd54f' : '#fff',
              width: fresh || selected ? 4 : 2,
            }),
          }),
        });
      }
      const key = `${members.length}/${fresh}/${selected}`;
      if (!styleCache.has(key)) {
        styleCache.set(
          key,
          new Style({
            image: new Circle({
              radius: Math.min(24, 10 + Math.sqrt(members.length) * 1.5),
              fill: new Fill({ color: fresh ? 'rgba(255,127,14,0.85)' : 'rgba(31,78,121,0.8)' }),
              stroke: new Stroke({ color: fresh ? '#ffd54f' : '#fff', width: fresh ? 4 : 2 }),
            }),
            text: new Text({
              text: String(members.length),
              fill: new Fill({ color: '#fff' }),
              font: 'bold 12px sans-serif',
            }),
          }),
        );
      }
      return styleCache.get(key);
    },
  });

  const respondersSource = new VectorSource();
  const responders = new VectorLayer({
    source: respondersSource,
    properties: { name: 'responders' },
    zIndex: 11,
    style: (f) =>
      f.getGeometry().getType() === 'Point'
        ? new Style({
            image: new Circle({
              radius: 7,
              fill: new Fill({ color: '#2ca02c' }),
              stroke: new Stroke({ color: '#fff', width: 2 }),
            }),
            text: new Text({
              text: f.get('label') ?? '',
              offsetY: -16,
              font: '12px sans-serif',
              fill: new Fill({ color: '#1b5e20' }),
              stroke: new Stroke({ color: '#fff', width: 3 }),
            }),
          })
        : new Style({ stroke: new Stroke({ color: 'rgba(44,160,44,0.8)', width: 3, lineDash: [6, 4] }) }),
  });

  for (const l of [heatmap, analytics, responders, live]) map.addLayer(l);

  let analyticsSeq = 0;
  return {
    heatmap,
    heatSource,
    analytics,
    analyticsSource,
    live,
    liveSource,
    cluster,
    responders,
    respondersSource,

    /** Shows the layer of `mode` with `filters`; resolves when its data is requested (bins/hot spots: loaded). */
    async show(mode, filters) {
      heatmap.setVisible(mode === 'heatmap');
      analytics.setVisible(mode === 'square' || mode === 'hex' || mode === 'hotspots');
      if (mode === 'heatmap') {
        heatSource.updateParams(heatmapParams(filters));
        return;
      }
      if (!analytics.getVisible()) return;
      const seq = ++analyticsSeq;
      const view = map.getView();
      const bbox = transformExtent(view.calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326')
        .map((v) => v.toFixed(5))
        .join(',');
      const size = binSizeFor(view.getResolution() * 0.85, mode === 'hotspots' ? 28 : 22);
      const path =
        mode === 'hotspots'
          ? `/api/v1/analytics/hotspots?${analyticsParams(filters, { size: Math.max(25, size), bbox })}`
          : `/api/v1/analytics/bins?${analyticsParams(filters, { shape: mode, size: Math.max(10, size), bbox })}`;
      const fc = await api(path);
      if (seq !== analyticsSeq) return;
      const features = geojson.readFeatures(fc);
      maxCount = Math.max(1, ...features.map((f) => f.get('count') ?? 0));
      analyticsSource.clear(true);
      analyticsSource.addFeatures(features.filter((f) => mode !== 'hotspots' || HOTSPOT_COLORS[f.get('class')]));
      analytics.set('maxCount', maxCount);
    },

    /** The board's cases as points (replacing what was shown), keeping the fresh marks. */
    setCases(cases, now = Date.now()) {
      const byId = new Map(liveSource.getFeatures().map((f) => [f.getId(), f]));
      const keep = new Set();
      for (const c of cases) {
        const coords = c.location?.coordinates;
        if (!coords) continue;
        keep.add(c.id);
        let f = byId.get(c.id);
        if (!f) {
          f = new Feature(new Point(fromLonLat(coords)));
          f.setId(c.id);
          liveSource.addFeature(f);
        }
        const due = c.case?.stepDueAt ?? c.routing?.dueAt;
        f.setProperties({ fresh: !!c.fresh, overdue: due ? new Date(due).getTime() < now : false }, true);
      }
      for (const [id, f] of byId) if (!keep.has(id)) liveSource.removeFeature(f);
      liveSource.changed();
    },

    select(id) {
      for (const f of liveSource.getFeatures()) f.set('selected', f.getId() === id, true);
      liveSource.changed();
    },

    setResponders(answer) {
      respondersSource.clear(true);
      for (const r of answer?.responders ?? []) {
        if (r.route) {
          const route = geojson.readFeature({ type: 'Feature', geometry: r.route, properties: {} });
          respondersSource.addFeature(route);
        }
        if (r.position) {
          const p = geojson.readFeature({
            type: 'Feature',
            geometry: r.position,
            properties: { label: r.name ?? `#${r.staffId}` },
          });
          p.setId(`staff-${r.staffId}`);
          respondersSource.addFeature(p);
        }
      }
    },
  };
}
