// The tracking page's decisions, free of the DOM so Vitest checks them: reading ticket and code
// from the hash, checking the form, the request bodies, what to say for a problem.

/** The longest comment POST /api/v1/track/rating takes (TrackRequest.MAX_COMMENT). */
export const MAX_COMMENT = 500;

/**
 * Ticket and code from the hash's parameters ('#/track?ticket=…&code=…', a message link). The
 * hash never reaches the server: the code stays out of its logs. Missing ones are ''.
 */
export function fromParams(params) {
  const get = (k) => (params?.get?.(k) ?? '').trim();
  return { ticket: get('ticket'), code: get('code') };
}

/** The hash of a tracking link for a ticket (what messages and the intake receipt link to). */
export function trackHash(ticket, code) {
  return `#/track?${new URLSearchParams({ ticket: String(ticket), code: String(code) })}`;
}

/**
 * The form's errors before the round trip, by field: a ticket is a positive whole number (the
 * server takes digits), a code is given. Empty object: ready to send.
 */
export function validateLookup({ ticket, code }) {
  const errors = {};
  const t = String(ticket ?? '').trim();
  if (!/^[0-9]{1,18}$/.test(t) || /^0+$/.test(t)) errors.ticket = 'track.error.ticket';
  if (!String(code ?? '').trim()) errors.code = 'track.error.code';
  return errors;
}

/** The body of POST /api/v1/track; the ticket as digits, the code as typed (the server forgives). */
export function lookupBody({ ticket, code }, lang) {
  return { ticket: String(ticket).trim(), code: String(code).trim(), lang };
}

/** The rating form's error key (and params), or null: a score 1–5, a comment not too long. */
export function validateRating({ satisfaction, comment }) {
  const n = Number(satisfaction);
  if (!Number.isInteger(n) || n < 1 || n > 5) return { key: 'track.rate.choose' };
  if ([...(comment ?? '')].length > MAX_COMMENT) return { key: 'track.rate.tooLong', params: { max: MAX_COMMENT } };
  return null;
}

/** The body of POST /api/v1/track/rating. */
export function ratingBody(lookup, { satisfaction, comment, notSolved }, lang) {
  const b = { ...lookupBody(lookup, lang), satisfaction: Number(satisfaction), notSolved: !!notSolved };
  const c = (comment ?? '').trim();
  if (c) b.comment = c;
  return b;
}

/**
 * What the page says for a failed look-up in its own words: not found (a wrong code and an
 * unknown ticket alike) and too many attempts (with the wait); null leaves it to the server's
 * problem (shown as it is).
 */
export function describeProblem(problem) {
  if (!problem) return null;
  const type = String(problem.type ?? '');
  if (problem.status === 404 && type.endsWith('/no-such-ticket')) return { key: 'track.error.notFound' };
  if (problem.status === 429) {
    const s = /^\d+$/.test(String(problem.retryAfter ?? '').trim()) ? Number(problem.retryAfter) : null;
    return s === null ? { key: 'track.error.tooManyLater' } : { key: 'track.error.tooMany', params: { seconds: s } };
  }
  return null;
}

/** The timeline's rows, newest last as the server sends them: { step, text, at } with at formatted. */
export function timelineRows(view, format) {
  return (view?.timeline ?? []).map((s) => ({ step: s.step, text: s.text, at: format(s.at) }));
}

/**
 * The public cell around the rounded point, lon/lat corners: the location is snapped to a grid of
 * roundedToDegrees, so the true point lies within half a step of it either way.
 */
export function roundingCell(location) {
  const half = (location?.roundedToDegrees ?? 0) / 2;
  const { lon, lat } = location;
  return [
    [lon - half, lat - half],
    [lon + half, lat - half],
    [lon + half, lat + half],
    [lon - half, lat + half],
    [lon - half, lat - half],
  ];
}
