// A report from the field: category, words, camera photos and the phone's GPS position, queued
// and sent as the multipart intake (POST /api/v1/incidents, docs/intake.md) with its
// Idempotency-Key: a report sent twice after a lost answer files one case. The categories are
// kept on the phone so the form works offline.
import { el } from '../../shared/dom.js';
import { api } from '../../api/client.js';
import { t, getLang } from '../../i18n/i18n.js';
import { groupByPlatform } from '../../shared/taxonomy.js';
import { reportBody, reportProblems } from './logic.js';
import { button, message, photoPicker } from './ui.js';
import { KIND } from './requests.js';

/** The categories, fresh when online (and kept for offline), else the kept copy. */
export async function categories(outbox) {
  try {
    const list = (await api('/api/v1/categories')).categories;
    await outbox.queue.cachePut('categories', list);
    return list;
  } catch (e) {
    if (e.status !== 0) throw e;
    return (await outbox.queue.cacheGet('categories')) ?? [];
  }
}

export async function renderReport(view, ctx) {
  view.replaceChildren(message('m-report-loading', t('app.loading')));
  const list = await categories(ctx.outbox);
  const category = el('select', { id: 'm-report-category', class: 'm-input' }, new Option(t('m.report.choose'), ''));
  for (const g of groupByPlatform(
    list.filter((c) => c.active !== false),
    getLang(),
  )) {
    const group = el('optgroup', { label: t(`app.platform.${g.platform}`) });
    for (const c of g.categories) group.append(new Option(c.label, c.code));
    category.append(group);
  }
  const description = el('textarea', {
    id: 'm-report-description',
    rows: 3,
    maxLength: 4000,
    placeholder: t('m.report.placeholder'),
  });
  const picker = photoPicker('m-report-photo', 'm.report.photo');
  const where = el('p', { id: 'm-report-where', class: 'm-note', role: 'status' });
  const errors = el('ul', { id: 'm-report-errors', class: 'm-error', role: 'alert' });
  const result = el('div', { id: 'm-report-result', role: 'status' });
  let position = null;

  function locate() {
    if (!navigator.geolocation) {
      where.textContent = t('m.report.noGps', { why: '—' });
      return;
    }
    where.textContent = t('m.report.locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        position = { lon: p.coords.longitude, lat: p.coords.latitude };
        where.textContent = t('m.report.located', {
          lon: position.lon.toFixed(5),
          lat: position.lat.toFixed(5),
          acc: Math.round(p.coords.accuracy ?? 0),
        });
        where.dataset.located = 'true';
      },
      (e) => {
        where.textContent = t('m.report.noGps', { why: e.message || e.code });
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  }

  async function submit() {
    const form = { category: category.value, description: description.value, position };
    const missing = reportProblems(form);
    errors.replaceChildren(...missing.map((k) => el('li', {}, t(k))));
    if (missing.length) return;
    const send = view.querySelector('#m-report-submit');
    send.disabled = true;
    try {
      await ctx.outbox.enqueue({ kind: KIND.REPORT, report: reportBody(form), photos: await picker.photos() });
      description.value = '';
      picker.reset();
      result.replaceChildren(message('m-report-queued', t('m.report.queued', { n: ctx.outbox.state().waiting })));
    } finally {
      send.disabled = false;
    }
  }

  view.replaceChildren(
    el(
      'div',
      { class: 'm-form', id: 'm-report' },
      el('h2', {}, t('m.report.title')),
      el('label', { htmlFor: 'm-report-category' }, t('m.report.category')),
      category,
      el('label', { htmlFor: 'm-report-description' }, t('m.report.description')),
      description,
      picker.element,
      button('m-report-locate', 'm.report.locate', locate, 'm-button m-secondary'),
      where,
      errors,
      button('m-report-submit', 'm.report.submit', submit),
      result,
    ),
    list.length ? '' : message('m-report-nocat', t('m.report.categoriesOffline'), 'm-note m-warn'),
  );
  locate();
}
