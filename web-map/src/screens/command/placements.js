// The placement queue (docs/addresses.md): reports given by an address the geocoder could not place
// well enough, waiting for the command centre. Pick one, click the map where it is: POST
// /api/v1/placements/{id}/place makes it a case, as intake does. Only for command-centre roles.
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import { fromLonLat, toLonLat } from 'ol/proj.js';
import { api } from '../../api/client.js';
import { t, formatDateTime } from '../../i18n/i18n.js';
import { markerStyle } from '../../map/styles.js';
import { showProblem } from '../../app/problem.js';

/** The body that places a report at a map coordinate (EPSG:3857). */
export function placeBody(coordinate) {
  const [lon, lat] = toLonLat(coordinate);
  return { location: { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 } };
}

/**
 * Mounts the queue into `section` (hidden until it has something to show) over `map`.
 * @param {(text: string) => void} toast tells the user what happened
 * @param {(incident: object) => void} onPlaced a new case
 */
export function mountPlacements(section, map, { toast, onPlaced }) {
  const hint = new VectorSource();
  map.addLayer(new VectorLayer({ source: hint, style: markerStyle('#ff7f0e', 8), properties: { name: 'placement' } }));
  const st = { items: [], armed: null };

  async function load() {
    try {
      const answer = await api('/api/v1/placements');
      st.items = answer.placements;
      render();
    } catch {
      // not a command-centre role (403), or nothing to show: the section stays hidden
      section.hidden = true;
    }
  }

  function render() {
    section.hidden = st.items.length === 0;
    const h = document.createElement('h2');
    h.textContent = t('command.placements.title', { n: st.items.length });
    const p = document.createElement('p');
    p.className = 'gg-hint';
    p.id = 'placements-hint';
    p.textContent = st.armed ? t('command.placements.click') : t('command.placements.pick');
    const problem = document.createElement('div');
    problem.id = 'placements-problem';
    problem.hidden = true;
    const list = document.createElement('ul');
    list.className = 'board-list';
    for (const item of st.items) {
      const li = document.createElement('li');
      li.dataset.placementId = item.id;
      li.className = st.armed?.id === item.id ? 'selected' : '';
      const strong = document.createElement('strong');
      strong.textContent = item.address;
      const small = document.createElement('div');
      small.className = 'gg-hint';
      small.textContent = `${formatDateTime(item.receivedAt)} · ${item.category}${
        item.candidate ? ` · ${t('command.placements.candidate', { address: item.candidate.address })}` : ''
      }`;
      li.append(strong, small);
      li.addEventListener('click', () => arm(item));
      list.append(li);
    }
    section.replaceChildren(h, p, problem, list);
  }

  function arm(item) {
    st.armed = st.armed?.id === item.id ? null : item;
    hint.clear();
    const loc = st.armed?.candidate?.location;
    if (loc) {
      const at = fromLonLat([loc.lon, loc.lat]);
      hint.addFeature(new Feature(new Point(at)));
      map.getView().animate({ center: at, zoom: Math.max(map.getView().getZoom(), 16), duration: 300 });
    }
    render();
  }

  const onClick = async (e) => {
    if (!st.armed) return;
    const item = st.armed;
    try {
      const incident = await api(`/api/v1/placements/${item.id}/place`, {
        method: 'POST',
        body: placeBody(e.coordinate),
      });
      st.armed = null;
      hint.clear();
      toast(t('command.placements.placed', { id: incident.id }));
      onPlaced?.(incident);
      await load();
    } catch (err) {
      showProblem(section.querySelector('#placements-problem'), err);
    }
  };
  map.on('singleclick', onClick);
  load();
  return { reload: load, render, stop: () => map.un('singleclick', onClick) };
}
