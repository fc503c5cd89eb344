// My cases: to handle (assigned to me, in hand) and to verify (resolved in my area), from
// GET /api/v1/incidents?status=… (the server cuts the list to the caller's scope). The last list is
// kept in IndexedDB and shown offline, with the actions still waiting applied on top.
import { el } from '../../shared/dom.js';
import { api } from '../../api/client.js';
import { t } from '../../i18n/i18n.js';
import { myCases, verifies, applyLocally, HANDLING, TO_VERIFY, shortTime } from './logic.js';
import { button, message } from './ui.js';
import { KIND } from './requests.js';

const STATUSES = [...HANDLING, ...TO_VERIFY].join(',');

/** The case list: fresh from the server, else the copy kept on the phone. */
export async function loadCases(outbox) {
  try {
    const fc = await api(`/api/v1/incidents?status=${STATUSES}&limit=500`);
    const copy = { at: new Date().toISOString(), features: fc.features ?? [] };
    await outbox.queue.cachePut('cases', copy);
    return { ...copy, offline: false };
  } catch (e) {
    if (e.status !== 0) throw e;
    const copy = (await outbox.queue.cacheGet('cases')) ?? { at: null, features: [] };
    return { ...copy, offline: true };
  }
}

/** The actions waiting in the queue, by case id, in order. */
export async function pendingByCase(outbox) {
  const map = new Map();
  for (const item of await outbox.queue.all()) {
    if (item.kind !== KIND.ACTION) continue;
    const list = map.get(item.incidentId) ?? [];
    list.push(item.body.action);
    map.set(item.incidentId, list);
  }
  return map;
}

export function withPending(row, actions = []) {
  return actions.reduce(applyLocally, row);
}

function caseItem(row, navigate) {
  const due = row.dueAt ? t('m.cases.due', { at: shortTime(row.dueAt) }) : '';
  return el(
    'li',
    { class: 'm-case', dataset: { id: row.id } },
    el(
      'button',
      { type: 'button', class: 'm-case-open', on: { click: () => navigate('m', { tab: 'case', id: row.id }) } },
      el(
        'span',
        { class: 'm-case-top' },
        el('strong', {}, `#${row.id}`),
        el('span', { class: `m-status m-status-${row.status}` }, t(`m.status.${row.status}`)),
        row.supervised ? el('span', { class: 'm-flag' }, t('m.cases.supervised')) : null,
        row.pending?.length ? el('span', { class: 'm-flag m-flag-pending' }, '⟳') : null,
      ),
      el('span', { class: 'm-case-text' }, row.description || row.category),
      el('span', { class: 'm-case-due' }, due),
    ),
  );
}

export async function renderCases(view, ctx) {
  view.replaceChildren(message('m-cases-loading', t('app.loading')));
  const list = await loadCases(ctx.outbox);
  const pending = await pendingByCase(ctx.outbox);
  const rows = list.features.map((f) => ({ ...f, properties: { ...f.properties } }));
  const { toHandle, toVerify } = myCases(rows, ctx.me, { verifies: verifies(ctx.roles) });
  const show = (r) => withPending(r, pending.get(r.id));
  const section = (id, key, items) =>
    el(
      'section',
      { class: 'm-section', id },
      el('h2', {}, `${t(key)} (${items.length})`),
      items.length
        ? el('ul', { class: 'm-list' }, ...items.map((r) => caseItem(show(r), ctx.navigate)))
        : el('p', { class: 'm-empty' }, t('m.cases.none')),
    );
  view.replaceChildren(
    list.offline
      ? message('m-cases-offline', t('m.cases.offlineCopy', { at: shortTime(list.at) }), 'm-note m-warn')
      : '',
    section('m-to-handle', 'm.cases.toHandle', toHandle),
    ...(verifies(ctx.roles) ? [section('m-to-verify', 'm.cases.toVerify', toVerify)] : []),
    button('m-cases-refresh', 'm.cases.refresh', () => renderCases(view, ctx), 'm-button m-secondary'),
  );
}
