import { describe, it, expect } from 'vitest';
import '../src/app/messages.js';
import '../src/screens/login/messages.js';
import { t } from '../src/i18n/i18n.js';
import { problemOf } from '../src/api/client.js';
import {
  KIND,
  problemKind,
  retryAfterSeconds,
  retryAdvice,
  describeLoginProblem,
  passwordChangeUnavailable,
  validateLogin,
  validatePasswordChange,
  nextPath,
} from '../src/screens/login/logic.js';

const TYPE = 'https://gridgov.org/problems/';
const NOW = Date.parse('2026-12-05T11:30:00Z');

describe('problemKind', () => {
  it('names the problems the login screen answers itself', () => {
    expect(problemKind({ status: 401, type: TYPE + 'invalid-credentials' })).toBe(KIND.INVALID_CREDENTIALS);
    expect(problemKind({ status: 429, type: TYPE + 'too-many-logins' })).toBe(KIND.TOO_MANY);
    expect(problemKind({ status: 403, type: TYPE + 'password-change-required' })).toBe(KIND.PASSWORD_CHANGE);
    expect(problemKind({ status: 0, type: 'network' })).toBe(KIND.NETWORK);
  });
  it('takes any 429 as too many attempts, and leaves the rest to the server', () => {
    expect(problemKind({ status: 429, type: TYPE + 'rate-limited' })).toBe(KIND.TOO_MANY);
    expect(problemKind({ status: 400, type: TYPE + 'invalid-field' })).toBeNull();
    expect(problemKind({ status: 500 })).toBeNull();
    expect(problemKind(null)).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds', () => {
    expect(retryAfterSeconds('60', NOW)).toBe(60);
    expect(retryAfterSeconds(' 0 ', NOW)).toBe(0);
  });
  it('reads an HTTP-date, rounding up, never below zero', () => {
    expect(retryAfterSeconds('Sat, 05 Dec 2026 11:32:00 GMT', NOW)).toBe(120);
    expect(retryAfterSeconds('Sat, 05 Dec 2026 11:30:00 GMT', NOW + 500)).toBe(0);
    expect(retryAfterSeconds('Sat, 05 Dec 2026 11:29:00 GMT', NOW)).toBe(0);
  });
  it('gives null for none or nonsense', () => {
    expect(retryAfterSeconds(null, NOW)).toBeNull();
    expect(retryAfterSeconds(undefined, NOW)).toBeNull();
    expect(retryAfterSeconds('-5', NOW)).toBeNull();
    expect(retryAfterSeconds('1.5', NOW)).toBeNull();
    expect(retryAfterSeconds('soon', NOW)).toBeNull();
  });
});

describe('retryAdvice', () => {
  it('says seconds and the clock time for a short wait', () => {
    const a = retryAdvice(60, NOW, 'en', 'UTC');
    expect(a).toEqual({ key: 'login.retry.seconds', params: { seconds: 60, time: '11:31' } });
    expect(t(a.key, a.params, 'en')).toBe('Try again in 60 seconds (11:31).');
    expect(t(a.key, a.params, 'zh-CN')).toBe('请在 60 秒后（11:31）再试。');
  });
  it('says whole minutes, rounded up, for a long wait', () => {
    expect(retryAdvice(301, NOW, 'en', 'UTC')).toEqual({
      key: 'login.retry.minutes',
      params: { minutes: 6, time: '11:35' },
    });
  });
  it('says later without a usable Retry-After, and now when it has passed', () => {
    expect(retryAdvice(null, NOW, 'en', 'UTC')).toEqual({ key: 'login.retry.later' });
    expect(retryAdvice(0, NOW, 'en', 'UTC')).toEqual({ key: 'login.retry.now' });
  });
});

describe('describeLoginProblem', () => {
  it('gives a wrong password its own words and keeps the server detail', () => {
    const d = describeLoginProblem({
      status: 401,
      type: TYPE + 'invalid-credentials',
      title: 'Wrong username or password',
      detail: 'no account matches this username and password',
    });
    expect(d.titleKey).toBe('login.problem.invalidCredentials');
    expect(d.detail).toBe('no account matches this username and password');
    expect(d.changePassword).toBe(false);
    expect(d.retryInSeconds).toBeNull();
  });
  it('carries the wait of a 429 from its Retry-After', () => {
    const d = describeLoginProblem({ status: 429, type: TYPE + 'too-many-logins', title: 'x', retryAfter: '60' }, NOW);
    expect(d.titleKey).toBe('login.problem.tooMany');
    expect(d.retryInSeconds).toBe(60);
    expect(describeLoginProblem({ status: 429, title: 'x' }, NOW).retryInSeconds).toBeNull();
  });
  it('offers the new-password form on 403 password-change-required', () => {
    const d = describeLoginProblem({ status: 403, type: TYPE + 'password-change-required', title: 'x' });
    expect(d.changePassword).toBe(true);
    expect(d.titleKey).toBe('login.problem.passwordChange');
  });
  it("shows an unknown problem with the server's title and field", () => {
    const d = describeLoginProblem({
      status: 400,
      type: TYPE + 'invalid-field',
      title: 'Invalid field',
      detail: "'username' is required",
      field: '/username',
    });
    expect(d.titleKey).toBeNull();
    expect(d.title).toBe('Invalid field');
    expect(d.field).toBe('/username');
  });
  it('every title key it uses has text in both languages', () => {
    for (const type of ['invalid-credentials', 'too-many-logins', 'password-change-required']) {
      const key = describeLoginProblem({ status: 400, type: TYPE + type }).titleKey;
      for (const lang of ['zh-CN', 'en']) expect(t(key, {}, lang)).not.toMatch(/⟦/);
    }
    expect(t(describeLoginProblem({ status: 0 }).titleKey, {}, 'en')).toBe('Cannot reach the server');
  });
});

describe('passwordChangeUnavailable', () => {
  it('is a missing endpoint, not a refused password', () => {
    expect(passwordChangeUnavailable({ status: 404 })).toBe(true);
    expect(passwordChangeUnavailable({ status: 405 })).toBe(true);
    expect(passwordChangeUnavailable({ status: 400 })).toBe(false);
    expect(passwordChangeUnavailable({ status: 401 })).toBe(false);
    expect(passwordChangeUnavailable(undefined)).toBe(false);
  });
});

describe('validateLogin', () => {
  it('passes a filled-in form', () => {
    expect(validateLogin({ username: 'operator', password: 'demo' })).toEqual([]);
  });
  it('asks for each empty field, a blank username counting as empty', () => {
    expect(validateLogin({ username: '  ', password: '' })).toEqual([
      { field: 'username', key: 'login.invalid.usernameRequired' },
      { field: 'password', key: 'login.invalid.passwordRequired' },
    ]);
  });
  it('refuses what the server would: longer than its limits', () => {
    expect(validateLogin({ username: 'a'.repeat(65), password: 'p' })).toEqual([
      { field: 'username', key: 'login.invalid.tooLong', params: { max: 64 } },
    ]);
    expect(validateLogin({ username: ` ${'a'.repeat(64)} `, password: 'p'.repeat(200) })).toEqual([]);
    expect(validateLogin({ username: 'a', password: 'p'.repeat(201) })[0].params).toEqual({ max: 200 });
  });
});

describe('validatePasswordChange', () => {
  it('passes a new password typed twice', () => {
    expect(validatePasswordChange({ password: 'old', newPassword: 'n3w-secret', confirm: 'n3w-secret' })).toEqual([]);
  });
  it('wants a new password, different from the old, typed the same twice', () => {
    expect(validatePasswordChange({ password: 'old', newPassword: '', confirm: '' })).toEqual([
      { field: 'newPassword', key: 'login.invalid.newPasswordRequired' },
    ]);
    expect(validatePasswordChange({ password: 'old', newPassword: 'old', confirm: 'old' })).toEqual([
      { field: 'newPassword', key: 'login.invalid.sameAsOld' },
    ]);
    expect(validatePasswordChange({ password: 'old', newPassword: 'n3w', confirm: 'n3W' })).toEqual([
      { field: 'confirm', key: 'login.invalid.mismatch' },
    ]);
  });
});

describe('nextPath', () => {
  const isRoute = (p) => ['command', 'planner', 'intake', 'login'].includes(p);
  it('goes to ?next= when it is a screen, else the command centre', () => {
    expect(nextPath('planner', isRoute)).toBe('planner');
    expect(nextPath(null, isRoute)).toBe('command');
    expect(nextPath('login', isRoute)).toBe('command');
    expect(nextPath('nowhere', isRoute)).toBe('command');
  });
  it('lands a field role on the phone screen when the screen is a phone (<= 600 px)', () => {
    const withM = (p) => isRoute(p) || p === 'm';
    for (const role of ['GRID_WORKER', 'VILLAGE_CADRE', 'PLATFORM_HANDLER']) {
      expect(nextPath(null, withM, { roles: [role], width: 360 })).toBe('m');
      expect(nextPath(null, withM, { roles: [role], width: 600 })).toBe('m');
      expect(nextPath(null, withM, { roles: [role], width: 601 })).toBe('command');
    }
    expect(nextPath('nowhere', withM, { roles: ['GRID_WORKER'], width: 360 })).toBe('m');
  });
  it('keeps ?next=, desks and other roles as they were', () => {
    const withM = (p) => isRoute(p) || p === 'm';
    expect(nextPath('planner', withM, { roles: ['GRID_WORKER'], width: 360 })).toBe('planner');
    expect(nextPath(null, withM, { roles: ['GRID_WORKER'] })).toBe('command');
    expect(nextPath(null, withM, { roles: ['CENTRE_OPERATOR'], width: 360 })).toBe('command');
    expect(nextPath(null, withM, { roles: [], width: 360 })).toBe('command');
    expect(nextPath(null, isRoute, { roles: ['GRID_WORKER'], width: 360 })).toBe('command');
  });
});

describe('problemOf', () => {
  it('keeps Retry-After with the problem', async () => {
    const response = new Response(JSON.stringify({ type: TYPE + 'too-many-logins', title: 'Too many', status: 429 }), {
      status: 429,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '60' },
    });
    const p = await problemOf(response);
    expect(p.retryAfter).toBe('60');
    expect(p.status).toBe(429);
    expect(describeLoginProblem(p, NOW).retryInSeconds).toBe(60);
  });
  it('has no retryAfter without the header, JSON or not', async () => {
    expect(await problemOf(new Response('x', { status: 502, statusText: 'Bad Gateway' }))).toEqual({
      status: 502,
      title: 'Bad Gateway',
      detail: '',
    });
  });
});
