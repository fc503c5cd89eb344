// Command centre (指挥中心): placeholder — the base map and a heading; heatmaps, live incidents and the case board arrive here.
import './messages.js';
import { createBaseMap } from '../../map/basemap.js';

export async function mount(root) {
  root.innerHTML = '<h1 class="gg-screen-title" data-i18n="command.title"></h1><div class="gg-map" id="command-map"></div>';
  const { map } = await createBaseMap(root.querySelector('#command-map'));
  return () => map.setTarget(null);
}
