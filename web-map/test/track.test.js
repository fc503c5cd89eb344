import { describe, it, expect } from 'vitest';
import '../src/screens/track/messages.js';
import { t } from '../src/i18n/i18n.js';
import { parseHash } from '../src/app/routes.js';
import {
  MAX_COMMENT,
  fromParams,
  trackHash,
  validateLookup,
  lookupBody,
  validateRating,
  ratingBody,
  describeProblem,
  timelineRows,
  roundingCell,
} from '../src/screens/track/logic.js';

const TYPE = 'https://gridgov.org/problems/';

describe('a message link', () => {
  it('opens the page with ticket and code from the hash', () => {
    const { path, params } = parseHash('#/track?ticket=1234&code=7K2M-9QXA');
    expect(path).toBe('track');
    expect(fromParams(params)).toEqual({ ticket: '1234', code: '7K2M-9QXA' });
  });
  it('leaves the form empty without them', () => {
    expect(fromParams(parseHash('#/track').params)).toEqual({ ticket: '', code: '' });
    expect(fromParams(undefined)).toEqual({ ticket: '', code: '' });
  });
  it('is built in the hash, never in a query string the server would see', () => {
    const h = trackHash(42, 'AB12 CD34');
    expect(h.startsWith('#/track?')).toBe(true);
    expect(fromParams(parseHash(h).params)).toEqual({ ticket: '42', code: 'AB12 CD34' });
  });
});

describe('the look-up form', () => {
  it('wants a positive whole ticket number and a code', () => {
    expect(validateLookup({ ticket: '1234', code: 'X' })).toEqual({});
    expect(validateLookup({ ticket: ' 1234 ', code: 'X' })).toEqual({});
    expect(validateLookup({ ticket: '0', code: 'X' }).ticket).toBe('track.error.ticket');
    expect(validateLookup({ ticket: '-3', code: 'X' }).ticket).toBe('track.error.ticket');
    expect(validateLookup({ ticket: '12a', code: 'X' }).ticket).toBe('track.error.ticket');
    expect(validateLookup({ ticket: '12', code: '  ' }).code).toBe('track.error.code');
    expect(Object.keys(validateLookup({ ticket: '', code: '' }))).toEqual(['ticket', 'code']);
  });
  it('posts the code in the body with the page language', () => {
    expect(lookupBody({ ticket: ' 12 ', code: ' ab-cd ' }, 'en')).toEqual({ ticket: '12', code: 'ab-cd', lang: 'en' });
  });
});

describe('the rating form', () => {
  it('wants a score from 1 to 5 and a comment not too long', () => {
    expect(validateRating({ satisfaction: '4', comment: '' })).toBeNull();
    expect(validateRating({ satisfaction: undefined }).key).toBe('track.rate.choose');
    expect(validateRating({ satisfaction: '0' }).key).toBe('track.rate.choose');
    expect(validateRating({ satisfaction: '6' }).key).toBe('track.rate.choose');
    expect(validateRating({ satisfaction: '3', comment: '很'.repeat(MAX_COMMENT) })).toBeNull();
    expect(validateRating({ satisfaction: '3', comment: '很'.repeat(MAX_COMMENT + 1) })).toEqual({
      key: 'track.rate.tooLong',
      params: { max: 500 },
    });
  });
  it('sends the score as a number, notSolved as a boolean, and no empty comment', () => {
    const lookup = { ticket: '7', code: 'C' };
    expect(ratingBody(lookup, { satisfaction: '2', comment: ' 还没修好 ', notSolved: true }, 'zh-CN')).toEqual({
      ticket: '7',
      code: 'C',
      lang: 'zh-CN',
      satisfaction: 2,
      notSolved: true,
      comment: '还没修好',
    });
    expect(ratingBody(lookup, { satisfaction: '5', comment: '  ' }, 'en')).not.toHaveProperty('comment');
    expect(ratingBody(lookup, { satisfaction: '5' }, 'en').notSolved).toBe(false);
  });
});

describe('problems in the page’s own words', () => {
  it('says not found alike for a wrong code and an unknown ticket', () => {
    expect(describeProblem({ status: 404, type: TYPE + 'no-such-ticket' })).toEqual({ key: 'track.error.notFound' });
    expect(t('track.error.notFound', {}, 'en')).toMatch(/check the ticket number/);
  });
  it('gives the wait after too many attempts', () => {
    expect(describeProblem({ status: 429, type: TYPE + 'too-many-requests', retryAfter: '37' })).toEqual({
      key: 'track.error.tooMany',
      params: { seconds: 37 },
    });
    expect(describeProblem({ status: 429, retryAfter: 'soon' })).toEqual({ key: 'track.error.tooManyLater' });
    expect(t('track.error.tooMany', { seconds: 37 }, 'zh-CN')).toContain('37');
  });
  it('leaves the rest to the server’s problem', () => {
    expect(describeProblem({ status: 409, type: TYPE + 'already-rated' })).toBeNull();
    expect(describeProblem({ status: 422, type: TYPE + 'invalid-field', field: '/comment' })).toBeNull();
    expect(describeProblem(null)).toBeNull();
  });
});

describe('the case', () => {
  it('shows the server’s wording for each step, with its time formatted', () => {
    const view = {
      timeline: [
        { step: 'RECEIVED', at: '2026-12-05T01:00:00Z', text: '已收到您的反映' },
        { step: 'ACCEPTED', at: '2026-12-05T02:00:00Z', text: '已受理' },
      ],
    };
    expect(timelineRows(view, (iso) => `@${iso.slice(11, 16)}`)).toEqual([
      { step: 'RECEIVED', text: '已收到您的反映', at: '@01:00' },
      { step: 'ACCEPTED', text: '已受理', at: '@02:00' },
    ]);
    expect(timelineRows({}, String)).toEqual([]);
  });
  it('draws the rounded place as the public cell around it', () => {
    const cell = roundingCell({ lon: 120.15, lat: 30.28, roundedToDegrees: 0.0005 });
    expect(cell).toHaveLength(5);
    expect(cell[0]).toEqual(cell[4]);
    expect(cell[0][0]).toBeCloseTo(120.14975, 9);
    expect(cell[2][1]).toBeCloseTo(30.28025, 9);
  });
});
