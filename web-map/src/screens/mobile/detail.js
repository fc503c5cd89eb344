// One case on the phone: its facts, 督办 and subtasks when the case JSON carries them, and the
// actions GET /api/v1/incidents/{id}/actions allows now (offline: the next steps by state). An
// action goes through the outbox: photos first (POST …/media with the action's stage), then the
// action with the version the screen shows — the version after the actions still waiting.
import { el } from '../../shared/dom.js';
import { api } from '../../api/client.js';
import { t, getLang, formatDateTime } from '../../i18n/i18n.js';
import {
  phoneActions,
  offlineActions,
  actionBody,
  actionProblem,
  supervisionsOf,
  subtasksOf,
  overdue,
  caseRow,
  PHOTO_STAGE,
} from './logic.js';
import { button, message, photoPicker } from './ui.js';
import { pendingByCase, withPending } from './cases.js';
import { KIND } from './requests.js';

/** The case from the server (kept for offline), else the kept copy or the list's row. */
async function loadCase(outbox, id) {
  try {
    const [kase, allowed] = await Promise.all([api(`/api/v1/incidents/${id}`), api(`/api/v1/incidents/${id}/actions`)]);
    await outbox.queue.cachePut(`case:${id}`, kase);
    return { kase, allowed: allowed.actions ?? [], offline: false };
  } catch (e) {
    if (e.status !== 0) throw e;
    let kase = await outbox.queue.cacheGet(`case:${id}`);
    if (!kase) {
      const list = await outbox.queue.cacheGet('cases');
      const f = list?.features?.find((x) => (x.properties?.id ?? x.id) === id);
      if (f) kase = { ...f.properties, routing: f.properties.routing, case: f.properties.case };
    }
    return { kase, allowed: null, offline: true };
  }
}

function facts(kase, categories) {
  const c = categories.find((x) => x.code === kase.category);
  const row = [
    ['m.case.status', t(`m.status.${kase.status}`), 'm-case-status'],
    ['m.case.category', (getLang() === 'en' ? c?.nameEn : c?.nameZh) || kase.category],
    ['m.case.due', formatDateTime(kase.case?.stepDueAt ?? kase.routing?.dueAt)],
    ['m.case.reported', formatDateTime(kase.reportedAt)],
    ['m.case.description', kase.description ?? ''],
  ];
  return el(
    'dl',
    { class: 'm-facts' },
    ...row.flatMap(([k, v, id]) => [el('dt', {}, t(k)), el('dd', id ? { id } : {}, v ?? '')]),
  );
}

function supervisions(kase) {
  const list = supervisionsOf(kase);
  if (!list.length) return null;
  return el(
    'section',
    { class: 'm-section m-supervision', id: 'm-supervisions' },
    el('h2', {}, t('m.case.supervisions')),
    el(
      'ul',
      {},
      ...list.map((s) =>
        el(
          'li',
          { class: s.open ? (overdue(s.dueAt) ? 'm-overdue' : 'm-open') : 'm-met' },
          t('m.case.supervision', { reason: s.reason ?? '', due: formatDateTime(s.dueAt) }),
          s.open ? null : ` · ${t('m.case.supervisionMet')}`,
        ),
      ),
    ),
  );
}

function subtasks(kase, me) {
  const list = subtasksOf(kase, me);
  if (!list.length) return null;
  return el(
    'section',
    { class: 'm-section', id: 'm-subtasks' },
    el('h2', {}, t('m.case.subtasks')),
    el(
      'ul',
      {},
      ...list.map((s) =>
        el(
          'li',
          { class: s.mine ? 'm-mine' : '' },
          `${t(`app.platform.${s.platform}`)} · ${t(`m.subtask.${s.state}`)} · ${formatDateTime(s.dueAt)}`,
          s.mine ? ` · ${t('m.case.subtaskMine')}` : null,
        ),
      ),
    ),
  );
}

export async function renderCase(view, ctx, id) {
  view.replaceChildren(message('m-case-loading', t('app.loading')));
  const { kase: raw, allowed, offline } = await loadCase(ctx.outbox, id);
  if (!raw) {
    view.replaceChildren(message('m-case-missing', t('m.cases.none')));
    return;
  }
  const pending = (await pendingByCase(ctx.outbox)).get(id) ?? [];
  const kase = withPending(raw, pending);
  const actions = phoneActions(offline || pending.length ? offlineActions(kase, ctx.roles) : allowed);
  const slot = el('div', { id: 'm-action-form' });
  const status = el('div', { id: 'm-action-status', role: 'status' });

  function openForm(action) {
    status.replaceChildren();
    const stages =
      action === 'resolve'
        ? ['BEFORE', 'AFTER']
        : PHOTO_STAGE[action] && action !== 'start'
          ? [PHOTO_STAGE[action]]
          : [];
    const pickers = stages.map((s) => [
      s,
      photoPicker(`m-photo-${s}`, 'm.case.photos', { stage: t(`media.stage.${s}`) }),
    ]);
    const note = el('textarea', { id: 'm-note', rows: 3, maxLength: 2000, placeholder: t('m.case.note') });
    const error = el('p', { class: 'm-error', id: 'm-action-error', role: 'alert' });
    const send = async () => {
      const why = actionProblem(action, note.value);
      if (why) {
        error.textContent = t(why);
        return;
      }
      await act(action, note.value, pickers);
    };
    slot.replaceChildren(
      el(
        'div',
        { class: 'm-form' },
        el('h3', {}, t(`m.action.${action}`)),
        ...pickers.map(([, p]) => p.element),
        note,
        error,
        el(
          'div',
          { class: 'm-row' },
          button('m-action-send', 'm.case.send', send),
          button('m-action-cancel', 'm.case.cancel', () => slot.replaceChildren(), 'm-button m-secondary'),
        ),
      ),
    );
    slot.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }

  async function act(action, note, pickers = []) {
    ctx.acting = (ctx.acting ?? 0) + 1; // this screen redraws the case itself (screen.js)
    try {
      await acting(action, note, pickers);
    } finally {
      ctx.acting -= 1;
    }
  }

  async function acting(action, note, pickers) {
    for (const b of view.querySelectorAll('button')) b.disabled = true;
    for (const [stage, p] of pickers) {
      if (!p.count()) continue;
      await ctx.outbox.enqueue({ kind: KIND.MEDIA, incidentId: id, stage, photos: await p.photos() });
    }
    const item = await ctx.outbox.enqueue({
      kind: KIND.ACTION,
      incidentId: id,
      body: actionBody(action, kase.version, note),
    });
    // wait briefly for the sync to answer; offline it stays queued and the case shows it pending
    const answered = await new Promise((resolve) => {
      const stop = ctx.outbox.onItem((c) => {
        if (c.item.key !== item.key) return;
        stop();
        resolve(c);
      });
      setTimeout(
        () => {
          stop();
          resolve(null);
        },
        navigator.onLine ? 8000 : 0,
      );
    });
    await renderCase(view, ctx, id);
    const text = !answered
      ? t('m.case.queued')
      : answered.outcome === 'done'
        ? t('m.case.done', { action: t(`m.action.${action}`) })
        : null;
    if (text) view.querySelector('#m-action-status')?.replaceChildren(message('m-action-result', text));
  }

  view.replaceChildren(
    el(
      'div',
      { class: 'm-case-head' },
      button('m-back', 'm.case.back', () => ctx.navigate('m', { tab: 'cases' }), 'm-button m-secondary m-back'),
      el('h2', { id: 'm-case-title' }, t('m.case.title', { id })),
    ),
    offline ? message('m-case-offline', t('m.offline'), 'm-note m-warn') : '',
    facts(kase, (await ctx.outbox.queue.cacheGet('categories')) ?? []),
    pending.length
      ? message(
          'm-case-pending',
          t('m.case.pending', { actions: pending.map((a) => t(`m.action.${a}`)).join('、') }),
          'm-note m-warn',
        )
      : '',
    supervisions(raw) ?? '',
    subtasks(raw, ctx.me) ?? '',
    el(
      'section',
      { class: 'm-section m-actions', id: 'm-actions' },
      el('h2', {}, t('m.case.actions')),
      actions.length
        ? el(
            'div',
            { class: 'm-action-buttons' },
            ...actions.map((a) =>
              button(`m-act-${a}`, `m.action.${a}`, () => (a === 'start' ? act('start', '') : openForm(a))),
            ),
          )
        : el('p', { class: 'm-empty' }, t('m.case.noActions')),
      slot,
      status,
    ),
    raw.location?.coordinates ? mapLink(raw.location.coordinates) : '',
  );
}

/** A link that opens the phone's map app at the case (geo: URI). */
function mapLink([lon, lat]) {
  return el(
    'a',
    { class: 'm-button m-secondary m-map-link', href: `geo:${lat},${lon}?q=${lat},${lon}` },
    t('m.case.map'),
  );
}

export { caseRow };
