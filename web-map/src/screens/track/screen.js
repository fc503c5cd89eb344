// The public tracking page (办理进度查询, docs/tracking.md): ticket number + lookup code → the
// case in plain public wording from POST /api/v1/track, its timeline, photos and rounded place,
// and the rating form once it is handled. A message link opens it filled in:
// #/track?ticket=…&code=… (the hash never reaches the server).
import './messages.js';
import { api } from '../../api/client.js';
import { t, getLang, onLangChange, applyI18n, formatDateTime } from '../../i18n/i18n.js';
import { showProblem } from '../../app/problem.js';
import { el } from '../../shared/dom.js';
import { fromParams, validateLookup, lookupBody, ratingBody, describeProblem, timelineRows } from './logic.js';
import { createTrackMap } from './map.js';
import { ratingForm } from './rating.js';
import './track.css';

const TEMPLATE = `
  <div class="track">
    <form class="gg-form track-form" id="track-form" novalidate>
      <h1 class="gg-screen-title" data-i18n="track.title"></h1>
      <p class="gg-hint" data-i18n="track.hint"></p>
      <label for="track-ticket" data-i18n="track.ticket"></label>
      <input id="track-ticket" inputmode="numeric" autocomplete="off" data-i18n-attr="placeholder:track.ticket.placeholder">
      <label for="track-code" data-i18n="track.code"></label>
      <input id="track-code" autocomplete="off" autocapitalize="characters" spellcheck="false"
             data-i18n-attr="placeholder:track.code.placeholder">
      <p class="track-error" id="track-error" role="status"></p>
      <div id="track-problem" hidden></div>
      <button type="submit" id="track-submit" data-i18n="track.submit"></button>
    </form>
    <section class="track-case" id="track-case" hidden aria-live="polite"></section>
    <div class="track-place" id="track-place" hidden>
      <h3 data-i18n="track.location"></h3>
      <div class="gg-map track-map" id="track-map"></div>
    </div>
  </div>`;

export async function mount(root, { params } = {}) {
  root.innerHTML = TEMPLATE;
  applyI18n(root);
  const $ = (sel) => root.querySelector(sel);
  const state = { lookup: null, view: null, note: null, map: null };

  async function mapReady() {
    if (!state.map) {
      $('#track-place').hidden = false;
      state.map = await createTrackMap($('#track-map'));
    }
    return state.map;
  }

  function fail(err) {
    const mine = describeProblem(err?.problem);
    if (mine) {
      showProblem($('#track-problem'), null);
      $('#track-error').textContent = t(mine.key, mine.params);
    } else {
      $('#track-error').textContent = '';
      showProblem($('#track-problem'), err);
    }
  }

  async function look(lookup) {
    const errors = validateLookup(lookup);
    $('#track-error').textContent = Object.values(errors)
      .map((k) => t(k))
      .join(' ');
    if (Object.keys(errors).length) return;
    $('#track-submit').disabled = true;
    try {
      const view = await api('/api/v1/track', { method: 'POST', body: lookupBody(lookup, getLang()) });
      state.lookup = lookup;
      state.note = null;
      showProblem($('#track-problem'), null);
      $('#track-error').textContent = '';
      await render(view);
    } catch (err) {
      fail(err);
    } finally {
      $('#track-submit').disabled = false;
    }
  }

  async function rate(fields) {
    try {
      const view = await api('/api/v1/track/rating', {
        method: 'POST',
        body: ratingBody(state.lookup, fields, getLang()),
      });
      state.note = fields.notSolved ? 'track.rate.reopened' : 'track.rate.thanks';
      await render(view);
    } catch (err) {
      fail(err);
    }
  }

  function facts(view) {
    const dl = el('dl', { class: 'gg-facts' });
    const row = (key, value, id) => dl.append(el('dt', {}, t(key)), el('dd', { id }, value));
    row('track.status', view.status.text, 'track-status');
    row('track.category', view.category.name, 'track-category');
    row('track.reportedAt', formatDateTime(view.reportedAt), 'track-reported');
    return dl;
  }

  function timeline(view) {
    const ol = el('ol', { class: 'track-timeline', id: 'track-timeline' });
    for (const r of timelineRows(view, formatDateTime)) {
      ol.append(
        el('li', { dataset: { step: r.step } }, el('span', { class: 'track-step' }, r.text), el('time', {}, r.at)),
      );
    }
    return ol;
  }

  function photos(view) {
    if (!view.photos.length) return el('p', { class: 'gg-hint', id: 'track-photos' }, t('track.photos.none'));
    return el(
      'div',
      { class: 'track-photos', id: 'track-photos' },
      ...view.photos.map((p) =>
        el(
          'a',
          { href: p.url, target: '_blank', rel: 'noopener' },
          el('img', { src: p.thumbnailUrl ?? p.url, alt: '' }),
        ),
      ),
    );
  }

  function rating(view) {
    if (view.rating) {
      const text =
        t('track.rated', { n: view.rating.satisfaction }) + (view.rating.notSolved ? t('track.rated.notSolved') : '');
      return el('p', { id: 'track-rated' }, text);
    }
    return view.canRate ? ratingForm(rate) : null;
  }

  async function render(view) {
    state.view = view;
    const slot = $('#track-case');
    const parts = [
      el('h2', { id: 'track-ticket-title', dataset: { ticket: view.ticket } }, `${t('track.ticket')} ${view.ticket}`),
      state.note ? el('p', { class: 'track-note', id: 'track-note', role: 'status' }, t(state.note)) : null,
      view.merged ? el('p', { class: 'gg-hint' }, t('track.merged')) : null,
      facts(view),
      el('h3', {}, t('track.timeline')),
      timeline(view),
      el('h3', {}, t('track.photos')),
      photos(view),
      rating(view),
    ];
    slot.replaceChildren(...parts.filter((p) => p !== null));
    slot.hidden = false;
    (await mapReady()).show(view.location);
  }

  $('#track-form').addEventListener('submit', (e) => {
    e.preventDefault();
    look({ ticket: $('#track-ticket').value, code: $('#track-code').value });
  });

  // the server words the case in the reader's language: ask again after a switch
  const stop = onLangChange(() => {
    if (state.lookup) look(state.lookup);
  });

  const fromLink = fromParams(params);
  $('#track-ticket').value = fromLink.ticket;
  $('#track-code').value = fromLink.code;
  if (fromLink.ticket && fromLink.code) await look(fromLink);

  return () => {
    stop();
    state.map?.map.setTarget(null);
  };
}
