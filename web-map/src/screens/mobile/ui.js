// Small DOM pieces the phone's parts share: big buttons, a photo picker that opens the camera, a
// status line, and what a queued item or a kept-aside problem says.
import { el } from '../../shared/dom.js';
import { t } from '../../i18n/i18n.js';
import { checkPhotos } from '../../shared/media.js';
import { photoRecord } from './queue.js';

export function button(id, key, onClick, cls = 'm-button') {
  return el('button', { type: 'button', id, class: cls, dataset: { i18n: key }, on: { click: onClick } }, t(key));
}

/**
 * A camera input (accept=image/*, capture=environment: the back camera on a phone, a file chooser
 * on a desk) with the names of the photos taken; photos() answers them as queue records.
 */
export function photoPicker(id, labelKey, params = {}) {
  const input = el('input', { type: 'file', id, accept: 'image/*', multiple: true, class: 'm-file' });
  input.setAttribute('capture', 'environment');
  const list = el('ul', { class: 'm-photos', id: `${id}-list` });
  let chosen = [];
  input.addEventListener('change', () => {
    const { ok, refused } = checkPhotos([...input.files]);
    chosen = ok;
    list.replaceChildren(
      ...ok.map((f) => el('li', {}, f.name)),
      ...refused.map((r) => el('li', { class: 'm-error' }, t(r.why, { name: r.file.name, max: 5, mb: 10 }))),
    );
  });
  const label = el('label', { class: 'm-camera', htmlFor: id }, t(labelKey, params));
  return {
    element: el('div', { class: 'm-picker' }, label, input, list),
    count: () => chosen.length,
    reset() {
      chosen = [];
      input.value = '';
      list.replaceChildren();
    },
    photos: () => Promise.all(chosen.map(photoRecord)),
  };
}

export function message(id, text, cls = 'm-note') {
  return el('p', { id, class: cls, role: 'status' }, text);
}

/** One line for a queued item. */
export function describeItem(item) {
  const p = {
    id: item.incidentId ?? item.taskId ?? '',
    action: item.body?.action ? t(`m.action.${item.body.action}`) : '',
    n: item.photos?.length ?? item.positions?.length ?? 0,
    text: (item.report?.description ?? '').slice(0, 20),
  };
  return t(`m.kind.${item.kind}`, p);
}

/** What a kept-aside problem says: someone acted first (with the case now), or the refusal. */
export function describeProblem(p) {
  if (p.problem?.outcome === 'conflict') {
    const now = p.problem.current;
    return now?.status
      ? t('m.queue.conflict', { id: p.incidentId, status: t(`m.status.${now.status}`), version: now.version ?? '?' })
      : t('m.queue.conflictUnknown', { id: p.incidentId ?? p.taskId });
  }
  return `${describeItem(p)} — ${t('m.queue.refused', { title: p.problem?.problem?.title ?? p.problem?.status })}`;
}
