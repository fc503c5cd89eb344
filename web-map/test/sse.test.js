import { describe, it, expect } from 'vitest';
import { createSseParser } from '../src/api/sse.js';
import { parseHash, hashOf } from '../src/app/routes.js';

describe('createSseParser', () => {
  it('parses events split across chunks, with ids, types, comments and multi-line data', () => {
    const got = [];
    const p = createSseParser((e) => got.push(e));
    p.feed('retry: 2000\n\n: keep-alive\n\nid: 7\nevent: incident\ndata: {"a"');
    expect(got).toEqual([]);
    p.feed(':1}\n\ndata: line1\r\ndata: line2\r\n\r\n');
    expect(got).toEqual([
      { id: '7', event: 'incident', data: '{"a":1}' },
      { id: '7', event: 'message', data: 'line1\nline2' },
    ]);
    expect(p.lastEventId).toBe('7');
    expect(p.retry).toBe(2000);
  });
});

describe('hash routes', () => {
  it('reads path and parameters, defaulting to intake', () => {
    const r = parseHash('#/login?next=planner');
    expect(r.path).toBe('login');
    expect(r.params.get('next')).toBe('planner');
    expect(parseHash('').path).toBe('intake');
    expect(parseHash('#/command/').path).toBe('command');
    expect(hashOf('login', { next: 'command' })).toBe('#/login?next=command');
  });
});
