// Grid planning (网格规划): placeholder — the base map and a heading; plan editing and rebalancing arrive here.
import './messages.js';
import { createBaseMap } from '../../map/basemap.js';

export async function mount(root) {
  root.innerHTML = '<h1 class="gg-screen-title" data-i18n="planner.title"></h1><div class="gg-map" id="planner-map"></div>';
  const { map } = await createBaseMap(root.querySelector('#planner-map'));
  return () => map.setTarget(null);
}
