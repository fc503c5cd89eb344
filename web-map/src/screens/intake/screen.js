// Intake (受理) for hotline operators and grid workers, on a desk or a phone: place (map click,
// typed coordinates or a community), category grouped by platform, channel, description; the
// routing preview (POST /api/v1/incidents/preview) before submitting; submit with an
// Idempotency-Key (a retry after a lost answer cannot file the report twice); the result on the map.
// An address is searched as the user types (GET /api/v1/geocode, debounced: ./address.js); a picked
// door plate places the report and is sent as its address; an address without a match is sent as
// it is, and the server queues it for the command centre to place (202, docs/addresses.md).
import './messages.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import { getCenter } from 'ol/extent.js';
import { fromLonLat, toLonLat } from 'ol/proj.js';
import { api, newIdempotencyKey } from '../../api/client.js';
import { session } from '../../api/session.js';
import { t, getLang, onLangChange, applyI18n, formatDateTime } from '../../i18n/i18n.js';
import { createBaseMap } from '../../map/basemap.js';
import { markerStyle } from '../../map/styles.js';
import { showProblem } from '../../app/problem.js';
import { CHANNELS, groupByPlatform } from '../../shared/taxonomy.js';
import { parseCoordinates, formatCoordinates, searchCommunities } from './place.js';
import { checkPhotos, intakeForm, MAX_PHOTOS, MAX_PHOTO_BYTES } from '../../shared/media.js';
import { createTypeahead, pickedCandidate } from './address.js';
import { el } from '../../shared/dom.js';
import { trackHash } from '../track/logic.js';
import './intake.css';

const TEMPLATE = `
  <div class="intake">
    <div class="gg-map intake-map" id="intake-map"></div>
    <form class="gg-form intake-form" id="intake-form" novalidate>
      <h1 class="gg-screen-title" data-i18n="intake.title"></h1>
      <p class="gg-hint" data-i18n="intake.place.hint"></p>
      <label for="intake-address" data-i18n="intake.address"></label>
      <input id="intake-address" list="intake-address-list" autocomplete="off" maxlength="200" data-i18n-attr="placeholder:intake.address.placeholder">
      <datalist id="intake-address-list"></datalist>
      <div class="gg-hint" id="intake-address-hint" role="status"></div>
      <label for="intake-lonlat" data-i18n="intake.coordinates"></label>
      <input id="intake-lonlat" inputmode="decimal" autocomplete="off" data-i18n-attr="placeholder:intake.coordinates.placeholder">
      <div class="intake-coords-error gg-hint" id="intake-coords-error" role="status"></div>
      <label for="intake-community" data-i18n="intake.community"></label>
      <input id="intake-community" list="intake-community-list" autocomplete="off" data-i18n-attr="placeholder:intake.community.placeholder">
      <datalist id="intake-community-list"></datalist>
      <label for="intake-category" data-i18n="intake.category"></label>
      <select id="intake-category"></select>
      <label for="intake-channel" data-i18n="intake.channel"></label>
      <select id="intake-channel"></select>
      <label for="intake-description" data-i18n="intake.description"></label>
      <textarea id="intake-description" rows="3" maxlength="4000" data-i18n-attr="placeholder:intake.description.placeholder"></textarea>
      <label for="intake-photos" id="intake-photos-label"></label>
      <input type="file" id="intake-photos" multiple accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp">
      <ul class="intake-photos gg-hint" id="intake-photos-list" aria-live="polite"></ul>
      <section class="intake-routing" aria-live="polite">
        <h2 data-i18n="intake.routing"></h2>
        <div id="intake-preview"></div>
      </section>
      <div id="intake-problem" hidden></div>
      <button type="submit" id="intake-submit" data-i18n="intake.submit"></button>
      <section id="intake-result" hidden aria-live="polite"></section>
    </form>
  </div>`;

export async function mount(root) {
  root.innerHTML = TEMPLATE;
  applyI18n(root);
  const $ = (sel) => root.querySelector(sel);
  const state = {
    place: null,
    categories: [],
    communities: [],
    preview: null,
    result: null,
    key: newIdempotencyKey(),
    previewSeq: 0,
    photos: [],
    candidates: [],
    // the door plate's address the place came from; sent as the report's address
    addressPlaced: null,
  };

  // photos: checked here for the user's sake (type, size, count); the server checks their content
  function renderPhotos(refused = []) {
    $('#intake-photos-label').textContent = t('media.attach', {
      max: MAX_PHOTOS,
      mb: MAX_PHOTO_BYTES / 1024 / 1024,
    });
    const items = state.photos.map((f) => {
      const li = document.createElement('li');
      li.textContent = f.name;
      return li;
    });
    for (const r of refused) {
      const li = document.createElement('li');
      li.className = 'intake-photo-refused';
      li.textContent = t(r.why, { name: r.file.name, max: MAX_PHOTOS, mb: MAX_PHOTO_BYTES / 1024 / 1024 });
      items.push(li);
    }
    $('#intake-photos-list').replaceChildren(...items);
  }
  $('#intake-photos').addEventListener('change', (e) => {
    const { ok, refused } = checkPhotos([...e.target.files]);
    state.photos = ok;
    renderPhotos(refused);
  });

  const { map } = await createBaseMap($('#intake-map'));
  const chosen = new VectorSource();
  const filed = new VectorSource();
  map.addLayer(new VectorLayer({ source: filed, style: markerStyle('#d62728', 7), properties: { name: 'filed' } }));
  map.addLayer(new VectorLayer({ source: chosen, style: markerStyle('#1f77b4', 9), properties: { name: 'chosen' } }));

  const [categories, communities] = await Promise.all([
    api('/api/v1/categories').then((b) => b.categories),
    api('/api/v1/communities').then((fc) => new GeoJSON().readFeatures(fc, { featureProjection: 'EPSG:3857' })),
  ]);
  state.categories = categories;
  state.communities = communities.map((f) => ({
    id: f.get('id'),
    code: f.get('code'),
    name: f.get('name'),
    feature: f,
  }));

  function renderChoices() {
    const category = $('#intake-category');
    const keep = category.value;
    category.replaceChildren(new Option(t('intake.category.choose'), ''));
    for (const g of groupByPlatform(state.categories, getLang())) {
      const group = document.createElement('optgroup');
      group.label = t(`app.platform.${g.platform}`);
      for (const c of g.categories) group.append(new Option(c.label, c.code));
      category.append(group);
    }
    category.value = keep;
    const channel = $('#intake-channel');
    // without a login only the public channel is accepted (docs/intake.md)
    const keepChannel = channel.value || (session() ? 'GRID_PATROL' : 'PUBLIC_ONLINE');
    channel.replaceChildren(...CHANNELS.map((c) => new Option(t(`app.channel.${c}`), c)));
    channel.value = keepChannel;
    $('#intake-community-list').replaceChildren(...state.communities.map((c) => new Option(c.code, c.name)));
    renderPreview();
    if (state.result) renderResult(state.result);
    renderPhotos();
  }

  function setPlace(lonLat, { typed = false, address = null } = {}) {
    state.place = lonLat;
    state.addressPlaced = address;
    chosen.clear();
    chosen.addFeature(new Feature(new Point(fromLonLat([lonLat.lon, lonLat.lat]))));
    if (!typed) $('#intake-lonlat').value = formatCoordinates(lonLat);
    $('#intake-coords-error').textContent = '';
    requestPreview();
  }

  map.on('singleclick', (e) => {
    const [lon, lat] = toLonLat(e.coordinate);
    setPlace({ lon, lat });
  });

  $('#intake-lonlat').addEventListener('change', (e) => {
    const p = parseCoordinates(e.target.value);
    if (p.error) {
      $('#intake-coords-error').textContent = t(p.error);
      return;
    }
    setPlace(p, { typed: true });
    map
      .getView()
      .animate({ center: fromLonLat([p.lon, p.lat]), zoom: Math.max(map.getView().getZoom(), 16), duration: 300 });
  });

  $('#intake-community').addEventListener('change', (e) => {
    const hit = searchCommunities(state.communities, e.target.value, 1)[0];
    if (!hit) return;
    const geom = hit.feature.getGeometry();
    const inside = geom.getInteriorPoints
      ? geom.getInteriorPoints().getPoint(0).getCoordinates()
      : getCenter(geom.getExtent());
    const [lon, lat] = toLonLat(inside);
    e.target.value = hit.name;
    map.getView().fit(geom.getExtent(), { padding: [24, 24, 24, 24], duration: 300 });
    setPlace({ lon, lat });
  });

  const typeahead = createTypeahead({
    search: (path) => api(path),
    onResults: (candidates, text) => {
      state.candidates = candidates;
      $('#intake-address-list').replaceChildren(
        ...candidates.map((c) => new Option(c.address, c.address + (c.community ? ` · ${c.community.name}` : ''))),
      );
      $('#intake-address-hint').textContent = candidates.length || !text.trim() ? '' : t('intake.address.none');
      // the whole address typed out is as good as picked
      const hit = pickedCandidate(candidates, $('#intake-address').value);
      if (hit && state.addressPlaced !== hit.address) placeAtCandidate(hit);
    },
    onError: (err) => showProblem($('#intake-problem'), err),
  });
  $('#intake-address').addEventListener('input', (e) => {
    const hit = pickedCandidate(state.candidates, e.target.value);
    if (hit) return placeAtCandidate(hit);
    typeahead.input(e.target.value);
  });
  function placeAtCandidate(c) {
    setPlace({ lon: c.location.lon, lat: c.location.lat }, { address: c.address });
    map.getView().animate({
      center: fromLonLat([c.location.lon, c.location.lat]),
      zoom: Math.max(map.getView().getZoom(), 17),
      duration: 300,
    });
  }

  $('#intake-category').addEventListener('change', requestPreview);

  /** The report; for submitting, an address stands for the place when it is where the place came from. */
  function body({ submit = false } = {}) {
    const b = { channel: $('#intake-channel').value, description: $('#intake-description').value };
    if ($('#intake-category').value) b.category = $('#intake-category').value;
    const typed = $('#intake-address').value.trim();
    if (submit && typed && (!state.place || state.addressPlaced === typed)) b.address = typed;
    else if (state.place) b.location = { lon: state.place.lon, lat: state.place.lat };
    return b;
  }

  async function requestPreview() {
    state.preview = null;
    const seq = ++state.previewSeq;
    if (!state.place || !$('#intake-category').value) {
      renderPreview();
      return;
    }
    try {
      const preview = await api('/api/v1/incidents/preview', { method: 'POST', body: body() });
      if (seq !== state.previewSeq) return;
      state.preview = preview;
      showProblem($('#intake-problem'), null);
      renderPreview();
      await addWorkerName(preview, seq);
    } catch (err) {
      if (seq !== state.previewSeq) return;
      renderPreview();
      showProblem($('#intake-problem'), err);
    }
  }

  /** The worker's name when the user may list staff; otherwise the id stays. */
  async function addWorkerName(preview, seq) {
    const r = preview.routing;
    if (!session() || !r.assigneeId || !r.gridId) return;
    try {
      const staff = await api(`/api/v1/staff?grid=${r.gridId}`);
      const person = (staff.staff ?? staff.items ?? []).find((s) => s.id === r.assigneeId);
      if (person && seq === state.previewSeq) {
        r.assigneeName = person.name;
        renderPreview();
      }
    } catch {
      // not allowed to list staff: the id is shown
    }
  }

  function routingFacts(r, firstStep) {
    const community = state.communities.find((c) => c.id === r.communityId);
    const rows = [
      ['grid', r.gridCode ?? t('intake.routing.none'), 'preview-grid'],
      ['community', community?.name ?? r.communityId ?? t('intake.routing.none'), 'preview-community'],
      ['platform', t(`app.platform.${r.platform}`), 'preview-platform'],
      ['worker', r.assigneeName ?? (r.assigneeId ? `#${r.assigneeId}` : t('intake.routing.none')), 'preview-worker'],
      ['due', formatDateTime(r.dueAt), 'preview-due'],
    ];
    if (firstStep?.dueAt) rows.push(['firstStep', formatDateTime(firstStep.dueAt), 'preview-first-step']);
    const dl = document.createElement('dl');
    dl.className = 'gg-facts';
    for (const [key, value, id] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = t(`intake.routing.${key}`);
      const dd = document.createElement('dd');
      dd.id = id;
      dd.textContent = value;
      dl.append(dt, dd);
    }
    if (r.jurisdiction === 'DISTRICT') {
      const note = document.createElement('p');
      note.className = 'intake-district';
      note.textContent = t('intake.routing.district');
      return [dl, note];
    }
    return [dl];
  }

  function renderPreview() {
    const slot = $('#intake-preview');
    if (!state.preview) {
      const p = document.createElement('p');
      p.className = 'gg-hint';
      p.textContent = t('intake.routing.wait');
      slot.replaceChildren(p);
      return;
    }
    slot.replaceChildren(...routingFacts(state.preview.routing, state.preview.firstStep));
  }

  function renderResult(incident) {
    state.result = incident;
    const slot = $('#intake-result');
    const h = document.createElement('h2');
    h.id = 'result-title';
    const queued = incident.placementId !== undefined;
    if (queued) h.dataset.placementId = incident.placementId;
    else h.dataset.incidentId = incident.id;
    h.textContent = queued
      ? t('intake.queued', { id: incident.placementId })
      : t('intake.submitted', { id: incident.id });
    const again = document.createElement('button');
    again.type = 'button';
    again.className = 'gg-button';
    again.textContent = t('intake.another');
    again.addEventListener('click', () => {
      state.result = null;
      slot.hidden = true;
      $('#intake-description').value = '';
      chosen.clear();
      state.place = null;
      state.addressPlaced = null;
      $('#intake-lonlat').value = '';
      $('#intake-address').value = '';
      requestPreview();
    });
    // the reporter's receipt: ticket number and lookup code open the tracking page (#/track)
    const track = incident.lookupCode
      ? el(
          'p',
          { id: 'result-track' },
          t('intake.lookupCode', { code: incident.lookupCode }),
          ' ',
          el('a', { href: trackHash(incident.id, incident.lookupCode), id: 'result-track-link' }, t('intake.track')),
        )
      : null;
    slot.replaceChildren(h, ...(track ? [track] : []), ...(queued ? [] : routingFacts(incident.routing, null)), again);
    slot.hidden = false;
  }

  $('#intake-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('#intake-submit');
    button.disabled = true;
    try {
      // The server validates (one set of rules); its problem is shown as it is.
      const incident = await api('/api/v1/incidents', {
        method: 'POST',
        // photos need a case at once: with photos and a place, the report goes by its point
        ...(state.photos.length
          ? { form: intakeForm(body({ submit: !state.place }), state.photos) }
          : { body: body({ submit: true }) }),
        headers: { 'Idempotency-Key': state.key },
      });
      state.key = newIdempotencyKey();
      state.photos = [];
      $('#intake-photos').value = '';
      renderPhotos();
      showProblem($('#intake-problem'), null);
      if (incident.location) {
        const [lon, lat] = incident.location.coordinates;
        const f = new Feature({ geometry: new Point(fromLonLat([lon, lat])), id: incident.id });
        f.setId(incident.id);
        filed.addFeature(f);
      }
      renderResult(incident);
    } catch (err) {
      showProblem($('#intake-problem'), err);
    } finally {
      button.disabled = false;
    }
  });

  renderChoices();
  const stopLang = onLangChange(renderChoices);
  return () => {
    stopLang();
    typeahead.cancel();
    map.setTarget(null);
  };
}
