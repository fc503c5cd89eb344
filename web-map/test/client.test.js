import { describe, it, expect } from 'vitest';
import { ProblemError, isStaleVersion } from '../src/api/client.js';

// One check for both screens that send an expected version: the command centre's case actions
// and the planner's edits and adoption.
describe('isStaleVersion', () => {
  it('is a 409 stale-version problem only', () => {
    expect(isStaleVersion({ status: 409, problem: { type: 'https://gridgov.org/problems/stale-version' } })).toBe(true);
    expect(isStaleVersion({ status: 409, problem: { type: 'https://gridgov.org/problems/invalid-transition' } })).toBe(
      false,
    );
    expect(isStaleVersion({ status: 400, problem: { type: 'stale-version' } })).toBe(false);
    expect(isStaleVersion(null)).toBe(false);
  });
  it("recognises the planner's conflict as a ProblemError", () => {
    expect(
      isStaleVersion(new ProblemError({ status: 409, type: 'https://gridgov.org/problems/stale-version', title: 'x' })),
    ).toBe(true);
    expect(
      isStaleVersion(
        new ProblemError({ status: 409, type: 'https://gridgov.org/problems/plan-not-draft', title: 'x' }),
      ),
    ).toBe(false);
    expect(
      isStaleVersion(new ProblemError({ status: 422, type: 'https://gridgov.org/problems/stale-version', title: 'x' })),
    ).toBe(false);
  });
});
