// The application frame: header (title, nav, language, user menu) and the screen area, driven
// by the hash router. A screen module exports mount(element, { params, navigate }) and may
// return an unmount function; the shell calls it before the next screen mounts.
import './messages.js';
import { t, applyI18n, getLang, setLang, onLangChange, LANGUAGES } from '../i18n/i18n.js';
import { session, onSessionChange } from '../api/session.js';
import { logout } from '../api/client.js';
import { parseHash, findRoute, hashOf, navRoutes, allowed } from './routes.js';

let unmount = null;
let generation = 0;

export function navigate(path, params) {
  location.hash = hashOf(path, params);
}

function header() {
  const el = document.createElement('header');
  el.className = 'gg-header';
  el.innerHTML = `
    <a class="gg-brand" href="#/command" data-i18n="app.title"></a>
    <nav class="gg-nav" id="gg-nav"></nav>
    <label class="gg-lang"><span class="gg-sr" data-i18n="app.language"></span>
      <select id="gg-lang">${LANGUAGES.map((l) => `<option value="${l}">${l === 'zh-CN' ? '中文' : 'English'}</option>`).join('')}</select>
    </label>
    <span class="gg-user" id="gg-user"></span>`;
  const select = el.querySelector('#gg-lang');
  select.value = getLang();
  select.addEventListener('change', () => setLang(select.value));
  return el;
}

/** The links the user's roles allow (the admin screen only for ADMIN), the current one marked. */
function renderNav(nav) {
  const { path } = parseHash(location.hash);
  nav.replaceChildren(
    ...navRoutes(session()?.claims?.roles).map((r) => {
      const a = document.createElement('a');
      a.href = `#/${r.path}`;
      a.dataset.route = r.path;
      a.dataset.i18n = r.nav;
      a.textContent = t(r.nav);
      a.classList.toggle('active', r.path === path);
      return a;
    }),
  );
}

function renderUser(slot) {
  const s = session();
  slot.replaceChildren();
  if (s) {
    const name = document.createElement('span');
    name.className = 'gg-username';
    name.id = 'gg-username';
    name.textContent = s.username ?? '';
    const out = document.createElement('button');
    out.type = 'button';
    out.id = 'gg-logout';
    out.dataset.i18n = 'app.logout';
    out.textContent = t('app.logout');
    out.addEventListener('click', async () => {
      await logout();
      navigate('login');
    });
    slot.append(name, out);
  } else {
    const a = document.createElement('a');
    a.href = '#/login';
    a.id = 'gg-login-link';
    a.dataset.i18n = 'app.nav.login';
    a.textContent = t('app.nav.login');
    slot.append(a);
  }
}

async function show(main, nav) {
  const { path, params } = parseHash(location.hash);
  const mine = ++generation;
  unmount?.();
  unmount = null;
  for (const a of nav.querySelectorAll('[data-route]')) a.classList.toggle('active', a.dataset.route === path);
  const route = findRoute(path);
  main.replaceChildren();
  main.dataset.screen = path;
  if (!route) {
    const p = document.createElement('p');
    p.className = 'gg-notfound';
    p.textContent = t('app.notFound', { path });
    main.append(p);
    return;
  }
  if (route.login && !session()) {
    navigate('login', { next: path });
    return;
  }
  if (!allowed(route, session()?.claims?.roles)) {
    const p = document.createElement('p');
    p.className = 'gg-notfound';
    p.id = 'gg-forbidden';
    p.textContent = t('app.forbidden');
    main.append(p);
    return;
  }
  main.innerHTML = `<p class="gg-loading">${t('app.loading')}</p>`;
  const module = await route.load();
  if (mine !== generation) return; // another navigation won
  main.replaceChildren();
  unmount = (await module.mount(main, { params, navigate })) ?? null;
  applyI18n(main);
}

export function startApp(root) {
  document.documentElement.lang = getLang();
  const head = header();
  const main = document.createElement('main');
  main.className = 'gg-main';
  main.id = 'gg-screen';
  root.replaceChildren(head, main);
  const userSlot = head.querySelector('#gg-user');
  const nav = head.querySelector('#gg-nav');
  renderUser(userSlot);
  renderNav(nav);
  applyI18n(head);
  const retitle = () => {
    document.title = `gridgov · ${t('app.title')}`;
  };
  retitle();
  onLangChange((lang) => {
    head.querySelector('#gg-lang').value = lang; // a screen may switch the language too (login)
    applyI18n(document);
    retitle();
  });
  onSessionChange(() => {
    renderUser(userSlot);
    renderNav(nav);
  });
  window.addEventListener('hashchange', () => show(main, head));
  show(main, head);
}
