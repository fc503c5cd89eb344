// Administration (系统管理), for ADMIN: one tab per topic — staff and accounts, rosters and leave,
// reference data, the admin log — under #/admin?tab=… Server side: StaffRoutes
// (docs/access.md#staff-accounts), RosterRoutes (docs/rosters.md), ReferenceRoutes
// (docs/reference-data.md).
//
// This file composes the screen. The tabs share one context `ctx`:
//   root, $, state          the screen's element and what it has loaded (staff, grids, communities)
//   loadStaff(), loadPlaces() what several tabs need, loaded once and shared
//   lookups()               names for ids (logic.js lookupsOf)
//   notice(key, params)     the status line above the tabs (said again in a new language)
//   dialogs                 ./dialogs.js: confirm, the one-time password
//   onStaffChange(fn)       called after the staff list changed (a create, an edit)
// A tab is a module in ./tabs/ exporting create(ctx) → { panel, show(), render(), dispose?() }.
// To add a topic: its id in logic.js TABS, its module in TAB_MODULES below, 'admin.tab.<id>' in
// messages.js. Pure helpers: ./logic.js (unit-tested).
import './messages.js';
import './admin.css';
import { api } from '../../api/client.js';
import { applyI18n, onLangChange, t } from '../../i18n/i18n.js';
import { hashOf } from '../../app/routes.js';
import { TABS, tabOf, lookupsOf, nextStaffPage } from './logic.js';
import { subdistrictList } from '../../shared/subdistricts.js';
import { createDialogs } from './dialogs.js';
import * as staffTab from './tabs/staff.js';
import * as rostersTab from './tabs/rosters.js';
import * as referenceTab from './tabs/reference.js';
import * as logTab from './tabs/log.js';

const TAB_MODULES = { staff: staffTab, log: logTab, rosters: rostersTab, reference: referenceTab };
const PAGE = 5000; // GET /api/v1/staff's largest page

export function mount(root, { params } = {}) {
  root.innerHTML = `
    <div class="admin" id="admin">
      <div class="admin-inner">
        <h1 class="gg-screen-title admin-title" data-i18n="admin.title"></h1>
        <div class="admin-tabs" role="tablist" data-i18n-attr="aria-label:admin.tabs">
          ${TABS.map(
            (id) =>
              `<button type="button" role="tab" id="admin-tab-${id}" data-tab="${id}" aria-controls="admin-panel-${id}" data-i18n="admin.tab.${id}"></button>`,
          ).join('')}
        </div>
        <p class="admin-notice" id="admin-notice" role="status" hidden></p>
        <div class="admin-panels" id="admin-panels"></div>
      </div>
    </div>`;
  const $ = (sel) => root.querySelector(sel);
  const state = {
    staff: [],
    staffLoaded: null,
    grids: [],
    communities: [],
    subdistricts: [], // [{id, code, name}] (shared/subdistricts.js): the staff form's picker
    placesLoaded: null,
    notice: null,
    disposed: false,
  };
  const staffListeners = new Set();

  function renderNotice() {
    const p = $('#admin-notice');
    p.textContent = state.notice ? t(state.notice.key, state.notice.params) : '';
    p.hidden = !state.notice;
  }

  const ctx = {
    root,
    $,
    state,
    lookups: () => lookupsOf(state),
    /** Every page of GET /api/v1/staff (disabled accounts too); again when fresh is true. */
    loadStaff(fresh = false) {
      if (!fresh && state.staffLoaded) return state.staffLoaded;
      state.staffLoaded = (async () => {
        const all = [];
        for (let path = `/api/v1/staff?limit=${PAGE}`; path;) {
          const answer = await api(path);
          all.push(...answer.staff);
          path = nextStaffPage(answer, PAGE);
        }
        state.staff = all;
        for (const fn of staffListeners) fn();
        return all;
      })();
      state.staffLoaded.catch(() => (state.staffLoaded = null));
      return state.staffLoaded;
    },
    /**
     * The grids of the plan in effect, the communities and the subdistricts the caller sees, for
     * scopes; ids stay ids if this fails.
     */
    loadPlaces() {
      state.placesLoaded ??= Promise.all([
        api('/api/v1/grids').then((fc) => (state.grids = fc.features ?? [])),
        api('/api/v1/communities').then((fc) => (state.communities = fc.features ?? [])),
        api('/api/v1/subdistricts').then((fc) => (state.subdistricts = subdistrictList(fc))),
      ])
        .then(() => {
          for (const fn of staffListeners) fn();
        })
        .catch(() => {
          state.placesLoaded = null;
        });
      return state.placesLoaded;
    },
    setStaff(list) {
      state.staff = list;
      for (const fn of staffListeners) fn();
    },
    onStaffChange(fn) {
      staffListeners.add(fn);
    },
    /** The status line above the tabs: a message key and its parameters (null clears it). */
    notice(key, params = {}) {
      state.notice = key ? { key, params } : null;
      renderNotice();
    },
  };
  ctx.dialogs = createDialogs(ctx);

  const tabs = {};
  for (const id of TABS) {
    tabs[id] = TAB_MODULES[id].create(ctx);
    tabs[id].panel.id = `admin-panel-${id}`;
    tabs[id].panel.setAttribute('role', 'tabpanel');
    tabs[id].panel.setAttribute('aria-labelledby', `admin-tab-${id}`);
    $('#admin-panels').append(tabs[id].panel);
  }

  function setTab(id, { focus = false } = {}) {
    for (const b of root.querySelectorAll('[data-tab]')) {
      const on = b.dataset.tab === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const [tid, tab] of Object.entries(tabs)) tab.panel.hidden = tid !== id;
    ctx.notice(null); // what was done on one tab is not news on another
    // the address says the tab (a reload or a link opens it) without a hashchange re-mounting the screen
    history.replaceState(null, '', hashOf('admin', { tab: id }));
    tabs[id].show();
  }

  const tabButtons = [...root.querySelectorAll('[data-tab]')];
  for (const b of tabButtons) {
    b.addEventListener('click', () => setTab(b.dataset.tab));
    // arrow keys move between tabs, as a tablist does
    b.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const i = (tabButtons.indexOf(b) + step + tabButtons.length) % tabButtons.length;
      setTab(tabButtons[i].dataset.tab, { focus: true });
    });
  }

  const stopLang = onLangChange(() => {
    applyI18n(root);
    renderNotice();
    for (const tab of Object.values(tabs)) tab.render();
  });

  applyI18n(root);
  setTab(tabOf(params?.get?.('tab')));
  ctx.loadPlaces();

  return () => {
    state.disposed = true;
    stopLang();
    ctx.dialogs.dispose();
    for (const tab of Object.values(tabs)) tab.dispose?.();
    staffListeners.clear();
  };
}
