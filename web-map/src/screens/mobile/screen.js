// #/m, the phone screen for grid workers, handlers and village cadres (docs/field-app.md): a top
// bar (online state, the queue badge, language, log out), the part the `tab` parameter names
// (cases, case, tasks, report, patrol, queue) and a bottom tab bar within a thumb's reach.
// Everything the user does goes through the outbox (./outbox.js) and survives being offline.
// Mounting it registers the service worker (public/sw.js) that caches the app shell.
import './messages.js';
import './mobile.css';
import { el } from '../../shared/dom.js';
import { t, getLang, setLang, onLangChange } from '../../i18n/i18n.js';
import { session } from '../../api/session.js';
import { logout } from '../../api/client.js';
import { getOutbox } from './outbox.js';
import { renderCases } from './cases.js';
import { renderCase } from './detail.js';
import { renderTasks } from './tasks.js';
import { renderReport, categories } from './report.js';
import { renderPatrol, onPatrol } from './patrol.js';
import { renderQueue } from './queueView.js';
import { describeProblem } from './ui.js';
import { settlesCase } from './logic.js';

const TABS = [
  ['cases', 'm.tab.cases', '▤'],
  ['tasks', 'm.tab.tasks', '✓'],
  ['report', 'm.tab.report', '＋'],
  ['patrol', 'm.tab.patrol', '◎'],
];

/** The service worker, for the whole origin (scope /): registered from here, the phone's load path. */
export function registerWorker() {
  if (!('serviceWorker' in navigator) || !globalThis.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // no worker (private mode, an old browser): the screen works online as any other
  });
}

export async function mount(root, { params, navigate }) {
  registerWorker();
  const outbox = await getOutbox();
  const s = session();
  const ctx = {
    navigate,
    outbox,
    me: Number(s?.claims?.sub ?? s?.claims?.id ?? NaN),
    roles: s?.claims?.roles ?? [],
  };
  const tab = params.get('tab') || 'cases';
  // the report form must work offline: keep the categories on the phone while the network is here
  if (navigator.onLine) categories(outbox).catch(() => {});

  const online = el('span', { id: 'm-online', class: 'm-online' });
  const badge = el('button', {
    type: 'button',
    id: 'm-queue-badge',
    class: 'm-badge',
    on: { click: () => navigate('m', { tab: 'queue' }) },
  });
  const lang = el('button', {
    type: 'button',
    id: 'm-lang',
    class: 'm-top-button',
    on: { click: () => setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN') },
  });
  const out = el('button', {
    type: 'button',
    id: 'm-logout',
    class: 'm-top-button',
    on: {
      click: async () => {
        await logout();
        navigate('login', { next: 'm' });
      },
    },
  });
  const title = el('h1', { class: 'm-title', id: 'm-title' });
  const problems = el('div', { id: 'm-problems', class: 'm-problems', role: 'alert' });
  const view = el('div', { id: 'm-view', class: 'm-view', dataset: { tab } });
  const tabs = el(
    'nav',
    { class: 'm-tabs', id: 'm-tabs' },
    ...TABS.map(([name, key, icon]) =>
      el(
        'a',
        {
          href: `#/m?tab=${name}`,
          id: `m-tab-${name}`,
          class: tab === name || (tab === 'case' && name === 'cases') ? 'active' : '',
        },
        el('span', { class: 'm-tab-icon', 'aria-hidden': 'true' }, icon),
        el('span', { class: 'm-tab-label', dataset: { i18n: key } }, t(key)),
      ),
    ),
  );
  root.replaceChildren(
    el(
      'div',
      { class: 'm-app', id: 'm-app' },
      el('header', { class: 'm-top' }, title, online, badge, lang, out),
      problems,
      view,
      tabs,
    ),
  );

  function drawTop(state = outbox.state()) {
    title.textContent = t('m.title');
    online.textContent = navigator.onLine ? t('m.online') : t('m.offline');
    online.classList.toggle('off', !navigator.onLine);
    badge.textContent =
      state.syncing && state.waiting
        ? t('m.queue.syncing')
        : state.waiting || !state.problems.length
          ? t('m.queue.badge', { n: state.waiting })
          : `${t('m.queue.problems')} ${state.problems.length}`;
    badge.dataset.count = String(state.waiting);
    badge.hidden = state.waiting === 0 && !state.problems.length;
    lang.textContent = t('m.language');
    out.textContent = t('m.logout');
    problems.replaceChildren(
      ...state.problems.map((p) =>
        el(
          'div',
          { class: 'm-problem', dataset: { seq: p.seq, outcome: p.problem?.outcome } },
          el('span', {}, describeProblem(p)),
          el(
            'button',
            { type: 'button', class: 'm-top-button', on: { click: () => outbox.dismiss(p.seq) } },
            t('m.queue.dismiss'),
          ),
        ),
      ),
    );
    for (const a of tabs.querySelectorAll('[data-i18n]')) a.textContent = t(a.dataset.i18n);
    tabs.querySelector('#m-tab-patrol').classList.toggle('on', onPatrol());
  }

  let stopPart = null;
  async function draw() {
    stopPart?.();
    stopPart = null;
    drawTop();
    try {
      if (tab === 'case') await renderCase(view, ctx, Number(params.get('id')));
      else if (tab === 'tasks') await renderTasks(view, ctx);
      else if (tab === 'report') await renderReport(view, ctx);
      else if (tab === 'patrol') stopPart = renderPatrol(view, ctx);
      else if (tab === 'queue') stopPart = await renderQueue(view, ctx);
      else await renderCases(view, ctx);
    } catch (e) {
      view.replaceChildren(el('p', { class: 'm-error', role: 'alert' }, e.problem?.title ?? String(e.message ?? e)));
    }
  }

  const stopOutbox = outbox.subscribe(drawTop);
  // the case on screen follows what the sync did with its queued items
  const stopItems = outbox.onItem((change) => {
    if (tab === 'case' && settlesCase(change, Number(params.get('id')), ctx.acting > 0)) draw();
  });
  const netChange = () => drawTop();
  window.addEventListener('online', netChange);
  window.addEventListener('offline', netChange);
  const stopLang = onLangChange(draw);
  await draw();
  return () => {
    stopPart?.();
    stopOutbox();
    stopItems();
    stopLang();
    window.removeEventListener('online', netChange);
    window.removeEventListener('offline', netChange);
  };
}
