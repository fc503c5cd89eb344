// Login against POST /api/v1/auth/token; then on to ?next= (default: the command centre).
import './messages.js';
import { api } from '../../api/client.js';
import { setSession } from '../../api/session.js';
import { showProblem } from '../../app/problem.js';
import { findRoute } from '../../app/routes.js';

export function mount(root, { params, navigate }) {
  root.innerHTML = `
    <form class="gg-form gg-login" id="login-form" novalidate>
      <h1 class="gg-screen-title" data-i18n="login.title"></h1>
      <label for="login-username" data-i18n="login.username"></label>
      <input id="login-username" name="username" autocomplete="username" autocapitalize="off" required>
      <label for="login-password" data-i18n="login.password"></label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required>
      <div id="login-problem" hidden></div>
      <button type="submit" id="login-submit" data-i18n="login.submit"></button>
      <p class="gg-hint" data-i18n="login.hint"></p>
    </form>`;
  const form = root.querySelector('#login-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('#login-submit');
    button.disabled = true;
    try {
      const answer = await api('/api/v1/auth/token', {
        method: 'POST',
        body: { username: form.username.value.trim(), password: form.password.value },
      });
      setSession(answer);
      const next = params.get('next');
      navigate(findRoute(next) && next !== 'login' ? next : 'command');
    } catch (err) {
      showProblem(root.querySelector('#login-problem'), err);
    } finally {
      button.disabled = false;
    }
  });
}
