// The login screen's decisions, free of the DOM so Vitest checks them: what to say for each
// problem the server answers, when to try again after a 429, and which fields are not ready to send.

/** The limits POST /api/v1/auth/token checks (PeopleRoutes.text): said here before the round trip. */
export const MAX_USERNAME = 64;
export const MAX_PASSWORD = 200;

/** The problem types the login screen answers with its own words (the last step of the type URI). */
export const KIND = Object.freeze({
  INVALID_CREDENTIALS: 'invalid-credentials',
  TOO_MANY: 'too-many-logins',
  PASSWORD_CHANGE: 'password-change-required',
  NETWORK: 'network',
});

/** 'https://gridgov.org/problems/too-many-logins' → 'too-many-logins'; status 0 → 'network'. */
export function problemKind(problem) {
  if (!problem) return null;
  if (problem.status === 0) return KIND.NETWORK;
  const type = String(problem.type ?? '');
  const last = type.slice(type.lastIndexOf('/') + 1);
  if (Object.values(KIND).includes(last)) return last;
  if (problem.status === 429) return KIND.TOO_MANY;
  return null;
}

/**
 * Retry-After (RFC 9110): delta-seconds or an HTTP-date → whole seconds from now (0 at the
 * least), or null when absent or unreadable.
 */
export function retryAfterSeconds(header, now = Date.now()) {
  if (header === null || header === undefined) return null;
  const text = String(header).trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return null; // '-5', '1.5': neither form
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** A clock time ('11:32') in the reader's language and time zone (timeZone for tests). */
export function clockTime(date, lang, timeZone) {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(date);
}

/**
 * When to try again, as a message key and its parameters: seconds under two minutes, whole
 * minutes (rounded up) beyond, and the clock time either way; 'later' without a usable wait.
 */
export function retryAdvice(seconds, now, lang, timeZone) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return { key: 'login.retry.later' };
  if (seconds <= 0) return { key: 'login.retry.now' };
  const time = clockTime(new Date(now + seconds * 1000), lang, timeZone);
  if (seconds < 120) return { key: 'login.retry.seconds', params: { seconds, time } };
  return { key: 'login.retry.minutes', params: { minutes: Math.ceil(seconds / 60), time } };
}

/**
 * What the alert says for a failed login: a title key of the screen's own for the problems it
 * knows (or the server's title), the server's detail, the Retry-After wait when there is one, and
 * whether to offer the new-password form.
 */
export function describeLoginProblem(problem, now = Date.now()) {
  const kind = problemKind(problem);
  const described = {
    kind,
    titleKey: null,
    title: problem?.title ?? '',
    detail: problem?.detail ?? '',
    field: problem?.field ?? null,
    retryInSeconds: null,
    changePassword: false,
  };
  switch (kind) {
    case KIND.INVALID_CREDENTIALS:
      described.titleKey = 'login.problem.invalidCredentials';
      break;
    case KIND.TOO_MANY:
      described.titleKey = 'login.problem.tooMany';
      described.retryInSeconds = retryAfterSeconds(problem.retryAfter, now);
      break;
    case KIND.PASSWORD_CHANGE:
      described.titleKey = 'login.problem.passwordChange';
      described.changePassword = true;
      break;
    case KIND.NETWORK:
      described.titleKey = 'app.problem.network';
      break;
    default:
      break;
  }
  return described;
}

/** What the new-password endpoint's failure means: not there yet (404/405/501), or a problem to show. */
export function passwordChangeUnavailable(problem) {
  return [404, 405, 501].includes(problem?.status);
}

function required(value, field, key, errors) {
  if (!value) errors.push({ field, key });
}

function notLonger(value, max, field, errors) {
  if (value && value.length > max) errors.push({ field, key: 'login.invalid.tooLong', params: { max } });
}

/** The login form's fields before sending: [{ field, key, params }], empty when ready. */
export function validateLogin({ username = '', password = '' }) {
  const errors = [];
  const name = username.trim();
  required(name, 'username', 'login.invalid.usernameRequired', errors);
  notLonger(name, MAX_USERNAME, 'username', errors);
  required(password, 'password', 'login.invalid.passwordRequired', errors);
  notLonger(password, MAX_PASSWORD, 'password', errors);
  return errors;
}

/** The new-password form's fields before sending: [{ field, key, params }], empty when ready. */
export function validatePasswordChange({ password = '', newPassword = '', confirm = '' }) {
  const errors = [];
  required(newPassword, 'newPassword', 'login.invalid.newPasswordRequired', errors);
  notLonger(newPassword, MAX_PASSWORD, 'newPassword', errors);
  if (newPassword && newPassword === password) errors.push({ field: 'newPassword', key: 'login.invalid.sameAsOld' });
  if (newPassword && confirm !== newPassword) errors.push({ field: 'confirm', key: 'login.invalid.mismatch' });
  return errors;
}

/** The roles whose day is in the street: without ?next= they land on the phone screen on a phone. */
export const FIELD_ROLES = Object.freeze(['GRID_WORKER', 'VILLAGE_CADRE', 'PLATFORM_HANDLER']);

/** The district command centre's roles: they land on its screen (#/district). */
export const DISTRICT_ROLES = Object.freeze(['DISTRICT_OPERATOR', 'DISTRICT_COMMANDER']);

/** The widest screen (CSS px) taken for a phone when choosing where a field role lands. */
export const PHONE_MAX_WIDTH = 600;

/**
 * Where to go after logging in: ?next= when it names a screen other than the login; else the
 * phone screen ('m') for a field role (FIELD_ROLES) on a screen at most PHONE_MAX_WIDTH wide;
 * else the district command centre for a district role; else the command centre. roles: the
 * session's; width: the viewport's CSS width.
 */
export function nextPath(next, isRoute, { roles = [], width = Infinity } = {}) {
  if (next && next !== 'login' && isRoute(next)) return next;
  if (roles.some((r) => DISTRICT_ROLES.includes(r)) && isRoute('district')) return 'district';
  const field = roles.some((r) => FIELD_ROLES.includes(r));
  return field && width <= PHONE_MAX_WIDTH && isRoute('m') ? 'm' : 'command';
}
