// Login against POST /api/v1/auth/token; then on to ?next= (default: the command centre).
// A 403 password-change-required opens the new-password form (POST /api/v1/auth/password).
// What to say for each problem, and the checks before sending, live in logic.js.
import './messages.js';
import './login.css';
import { api } from '../../api/client.js';
import { session, setSession } from '../../api/session.js';
import { findRoute } from '../../app/routes.js';
import { t, getLang, setLang, onLangChange, LANGUAGES } from '../../i18n/i18n.js';
import { describeLoginProblem, nextPath, passwordChangeUnavailable, retryAdvice } from './logic.js';
import { validateLogin, validatePasswordChange } from './logic.js';

const LANGUAGE_NAMES = { 'zh-CN': '中文', en: 'English' };

/** The problem an error carries, or one made of a programming error. */
function problemOf(err) {
  return err?.problem ?? { title: err?.name ?? 'Error', detail: String(err?.message ?? err) };
}

function field(id, labelKey, attrs) {
  return `
    <label for="${id}" data-i18n="${labelKey}"></label>
    <input id="${id}" ${attrs} aria-describedby="${id}-error">
    <p class="login-field-error" id="${id}-error"></p>`;
}

function passwordField(id, labelKey, attrs) {
  return `
    <label for="${id}" data-i18n="${labelKey}"></label>
    <div class="login-secret">
      <input id="${id}" type="password" ${attrs} aria-describedby="${id}-error">
      <button type="button" class="login-reveal" id="${id}-toggle" aria-controls="${id}"></button>
    </div>
    <p class="login-field-error" id="${id}-error"></p>`;
}

export function mount(root, { params, navigate }) {
  root.innerHTML = `
    <div class="login">
      <section class="login-card" aria-labelledby="login-app-title">
        <div class="login-top">
          <div class="login-brand">
            <span class="login-product" lang="en">gridgov</span>
            <h1 class="login-app-title" id="login-app-title" data-i18n="app.title"></h1>
          </div>
          <div class="login-langs" role="group" data-i18n-attr="aria-label:login.languages">
            ${LANGUAGES.map((l) => `<button type="button" lang="${l}" data-lang="${l}">${LANGUAGE_NAMES[l]}</button>`).join('')}
          </div>
        </div>
        <form class="gg-form login-form" id="login-form" novalidate>
          <h2 class="login-heading" data-i18n="login.title"></h2>
          ${field('login-username', 'login.username', 'name="username" autocomplete="username" autocapitalize="off" autocorrect="off" spellcheck="false" required')}
          ${passwordField('login-password', 'login.password', 'name="password" autocomplete="current-password" required')}
          <div id="login-problem" class="login-problem" hidden></div>
          <button type="submit" id="login-submit" class="login-submit"><span class="login-spinner" aria-hidden="true"></span><span class="login-submit-label"></span></button>
          <p class="gg-hint login-hint" data-i18n="login.hint"></p>
        </form>
        <form class="gg-form login-form" id="login-change-form" novalidate hidden>
          <h2 class="login-heading" data-i18n="login.change.title"></h2>
          <p class="login-explain" id="login-change-explain"></p>
          ${passwordField('login-new-password', 'login.change.newPassword', 'name="newPassword" autocomplete="new-password" required')}
          ${passwordField('login-confirm-password', 'login.change.confirm', 'name="confirm" autocomplete="new-password" required')}
          <div id="login-change-problem" class="login-problem" hidden></div>
          <button type="submit" id="login-change-submit" class="login-submit"><span class="login-spinner" aria-hidden="true"></span><span class="login-submit-label"></span></button>
          <button type="button" class="login-back" id="login-change-back" data-i18n="login.change.back"></button>
        </form>
      </section>
    </div>`;

  const loginForm = root.querySelector('#login-form');
  const changeForm = root.querySelector('#login-change-form');
  // what is showing, kept so a language switch can say it again
  const state = {
    busy: null, // the form being sent
    revealed: new Set(), // ids of password fields shown as text
    loginErrors: [],
    changeErrors: [],
    problem: null, // { described, at } of the login form
    changeProblem: null, // { described, at } of the new-password form
    changeFor: null, // the username and old password that got 403 password-change-required
  };

  function renderSubmit(form, idleKey, busyKey) {
    const button = form.querySelector('.login-submit');
    const busy = state.busy === form;
    button.disabled = busy;
    button.classList.toggle('busy', busy);
    button.querySelector('.login-submit-label').textContent = t(busy ? busyKey : idleKey);
    form.setAttribute('aria-busy', String(busy));
  }

  function renderReveal(id) {
    const input = root.querySelector(`#${id}`);
    const toggle = root.querySelector(`#${id}-toggle`);
    const shown = state.revealed.has(id);
    input.type = shown ? 'text' : 'password';
    toggle.textContent = t(shown ? 'login.hide' : 'login.show');
    toggle.setAttribute('aria-label', t(shown ? 'login.hideLabel' : 'login.showLabel'));
  }

  function renderErrors(form, errors, ids) {
    for (const [name, id] of Object.entries(ids)) {
      const error = errors.find((e) => e.field === name);
      const input = form.querySelector(`#${id}`);
      if (error) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      form.querySelector(`#${id}-error`).textContent = error ? t(error.key, error.params) : '';
    }
  }

  // The alert: the screen's words for problems it knows, else the server's title; the server's
  // detail under it; for a 429 when to try again. role=alert so a screen reader says it at once.
  function renderProblem(slot, shown) {
    slot.replaceChildren();
    slot.hidden = !shown;
    if (!shown) return;
    const { described: d, at } = shown;
    const box = document.createElement('div');
    box.className = 'gg-problem';
    box.setAttribute('role', 'alert');
    const title = document.createElement('strong');
    title.className = 'gg-problem-title';
    title.textContent = d.titleKey ? t(d.titleKey) : d.title;
    box.append(title);
    if (d.detail || d.detailKey) {
      const detail = document.createElement('span');
      detail.className = 'gg-problem-detail';
      detail.textContent = d.detailKey ? t(d.detailKey) : d.detail;
      box.append(detail);
    }
    if (d.kind === 'too-many-logins') {
      const advice = retryAdvice(d.retryInSeconds, at, getLang());
      const retry = document.createElement('span');
      retry.className = 'login-retry';
      retry.textContent = t(advice.key, advice.params);
      box.append(retry);
    }
    if (d.field) {
      const f = document.createElement('div');
      f.className = 'gg-field';
      f.textContent = d.field;
      box.append(f);
    }
    slot.append(box);
  }

  let mounted = true;
  function render() {
    if (!mounted) return;
    renderSubmit(loginForm, 'login.submit', 'login.submitting');
    renderSubmit(changeForm, 'login.change.submit', 'login.change.submitting');
    for (const id of ['login-password', 'login-new-password', 'login-confirm-password']) renderReveal(id);
    renderErrors(loginForm, state.loginErrors, { username: 'login-username', password: 'login-password' });
    renderErrors(changeForm, state.changeErrors, {
      newPassword: 'login-new-password',
      confirm: 'login-confirm-password',
    });
    renderProblem(root.querySelector('#login-problem'), state.problem);
    renderProblem(root.querySelector('#login-change-problem'), state.changeProblem);
    root.querySelector('#login-change-explain').textContent = state.changeFor
      ? t('login.change.explain', { username: state.changeFor.username })
      : '';
    for (const b of root.querySelectorAll('[data-lang]'))
      b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  }

  function showChangeForm(show) {
    changeForm.hidden = !show;
    loginForm.hidden = show;
    root.querySelector(show ? '#login-new-password' : '#login-password').focus();
  }

  function focusFirstError(form, errors, ids) {
    if (errors.length) form.querySelector(`#${ids[errors[0].field]}`).focus();
  }

  async function loggedIn(answer) {
    setSession(answer);
    navigate(
      nextPath(params.get('next'), findRoute, {
        roles: session()?.claims?.roles ?? [],
        width: document.documentElement.clientWidth || window.innerWidth,
      }),
    );
  }

  for (const button of root.querySelectorAll('.login-reveal')) {
    button.addEventListener('click', () => {
      const id = button.getAttribute('aria-controls');
      if (state.revealed.has(id)) state.revealed.delete(id);
      else state.revealed.add(id);
      render();
    });
  }
  for (const button of root.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => setLang(button.dataset.lang));
  }

  loginForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (state.busy) return;
    const username = loginForm.username.value.trim();
    const password = loginForm.password.value;
    state.loginErrors = validateLogin({ username, password });
    state.problem = null;
    if (state.loginErrors.length) {
      render();
      focusFirstError(loginForm, state.loginErrors, { username: 'login-username', password: 'login-password' });
      return;
    }
    state.busy = loginForm;
    render();
    try {
      await loggedIn(await api('/api/v1/auth/token', { method: 'POST', body: { username, password } }));
      return; // busy until the next screen replaces this one
    } catch (err) {
      const described = describeLoginProblem(problemOf(err));
      if (described.changePassword) {
        state.changeFor = { username, password };
        state.changeErrors = [];
        state.changeProblem = { described, at: Date.now() };
      } else {
        state.problem = { described, at: Date.now() };
      }
    }
    state.busy = null;
    render();
    if (state.changeFor) showChangeForm(true);
  });

  changeForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (state.busy || !state.changeFor) return;
    const { username, password } = state.changeFor;
    const newPassword = changeForm.newPassword.value;
    const confirm = changeForm.confirm.value;
    state.changeErrors = validatePasswordChange({ password, newPassword, confirm });
    if (state.changeErrors.length) {
      render();
      focusFirstError(changeForm, state.changeErrors, {
        newPassword: 'login-new-password',
        confirm: 'login-confirm-password',
      });
      return;
    }
    state.busy = changeForm;
    state.changeProblem = null;
    render();
    let changed = false;
    try {
      const answer = await api('/api/v1/auth/password', {
        method: 'POST',
        body: { username, password, newPassword },
      });
      changed = true;
      // the endpoint may answer with a token; if not, log in with the new password
      const login = { method: 'POST', body: { username, password: newPassword } };
      await loggedIn(answer?.token ? answer : await api('/api/v1/auth/token', login));
      return;
    } catch (err) {
      const problem = problemOf(err);
      const described =
        !changed && passwordChangeUnavailable(problem)
          ? { kind: 'unavailable', titleKey: 'login.change.unavailable', detailKey: 'login.change.unavailableDetail' }
          : describeLoginProblem(problem);
      state.changeProblem = { described, at: Date.now() };
    }
    state.busy = null;
    render();
  });

  root.querySelector('#login-change-back').addEventListener('click', () => {
    state.changeFor = null;
    state.changeProblem = null;
    state.changeErrors = [];
    changeForm.reset();
    loginForm.password.value = '';
    render();
    showChangeForm(false);
  });

  render();
  const stop = onLangChange(render);
  loginForm.username.focus();
  return () => {
    mounted = false;
    stop();
  };
}
