// The screens. To add one: a folder under src/screens/ with screen.js (export mount) and
// messages.js (its text), and a line here. Screens load lazily, each in its own chunk.
// roles: only users with one of them see the link and open the screen (the server refuses the
// others anyway); without roles, everyone sees it.
export const ROUTES = [
  { path: 'command', nav: 'app.nav.command', login: true, load: () => import('../screens/command/screen.js') },
  { path: 'planner', nav: 'app.nav.planner', login: true, load: () => import('../screens/planner/screen.js') },
  { path: 'intake', nav: 'app.nav.intake', login: false, load: () => import('../screens/intake/screen.js') },
  // the reporter's tracking page (docs/tracking.md), for the public
  { path: 'track', nav: 'app.nav.track', login: false, load: () => import('../screens/track/screen.js') },
  {
    path: 'admin',
    nav: 'app.nav.admin',
    login: true,
    roles: ['ADMIN'],
    load: () => import('../screens/admin/screen.js'),
  },
  // the phone screen for field staff (docs/field-app.md); no header link: it is opened on a phone
  { path: 'm', nav: null, login: true, load: () => import('../screens/mobile/screen.js') },
  // the discipline committee's findings over the event log (docs/accountability.md)
  {
    path: 'accountability',
    nav: 'app.nav.accountability',
    login: true,
    roles: ['AUDITOR', 'ADMIN'],
    load: () => import('../screens/accountability/screen.js'),
  },
  // the district command centre (docs/district.md): escalated cases of every subdistrict
  {
    path: 'district',
    nav: 'app.nav.district',
    login: true,
    roles: ['DISTRICT_OPERATOR', 'DISTRICT_COMMANDER', 'ADMIN', 'AUDITOR'],
    load: () => import('../screens/district/screen.js'),
  },
  { path: 'login', nav: null, login: false, load: () => import('../screens/login/screen.js') },
];

export const DEFAULT_PATH = 'intake';

/** '#/intake?lon=120.1&lat=30.2' → { path: 'intake', params: URLSearchParams } */
export function parseHash(hash) {
  const h = (hash ?? '').replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)).replace(/\/+$/, '');
  return { path: path || DEFAULT_PATH, params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

export function hashOf(path, params = {}) {
  const q = new URLSearchParams(params).toString();
  return `#/${path}${q ? `?${q}` : ''}`;
}

export function findRoute(path) {
  return ROUTES.find((r) => r.path === path) ?? null;
}

/** Whether a user with these roles may open the route (null roles: not logged in). */
export function allowed(route, roles) {
  return !route.roles || route.roles.some((r) => (roles ?? []).includes(r));
}

/** The header's links for a user with these roles. */
export function navRoutes(roles) {
  return ROUTES.filter((r) => r.nav && allowed(r, roles));
}
