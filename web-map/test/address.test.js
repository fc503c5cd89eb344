import { describe, it, expect, vi } from 'vitest';
import { geocodePath, createTypeahead, pickedCandidate, DELAY_MS } from '../src/screens/intake/address.js';

describe('geocodePath', () => {
  it('encodes the trimmed text', () => {
    expect(geocodePath(' 江南大道 ')).toBe(`/api/v1/geocode?q=${encodeURIComponent('江南大道')}&limit=6`);
  });
  it('does not search one character or more than 200', () => {
    expect(geocodePath('江')).toBeNull();
    expect(geocodePath('  ')).toBeNull();
    expect(geocodePath('路'.repeat(201))).toBeNull();
  });
});

describe('createTypeahead', () => {
  it('searches once after the user pauses', async () => {
    vi.useFakeTimers();
    const search = vi.fn(async () => ({ candidates: [{ address: '江南大道1号' }] }));
    const onResults = vi.fn();
    const ta = createTypeahead({ search, onResults });
    ta.input('江南');
    ta.input('江南大');
    ta.input('江南大道');
    await vi.advanceTimersByTimeAsync(DELAY_MS - 1);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0][0]).toContain(encodeURIComponent('江南大道'));
    expect(onResults).toHaveBeenCalledWith([{ address: '江南大道1号' }], '江南大道');
    vi.useRealTimers();
  });

  it('drops an answer to text the user has changed since', async () => {
    vi.useFakeTimers();
    let release;
    const search = vi.fn(() => new Promise((r) => (release = r)));
    const onResults = vi.fn();
    const ta = createTypeahead({ search, onResults });
    ta.input('江南大道');
    await vi.advanceTimersByTimeAsync(DELAY_MS);
    ta.input('滨盛路');
    release({ candidates: [{ address: 'stale' }] });
    await vi.advanceTimersByTimeAsync(0);
    expect(onResults).not.toHaveBeenCalledWith([{ address: 'stale' }], '江南大道');
    vi.useRealTimers();
  });

  it('clears the list at once for text too short to search', () => {
    const search = vi.fn();
    const onResults = vi.fn();
    createTypeahead({ search, onResults }).input('江');
    expect(search).not.toHaveBeenCalled();
    expect(onResults).toHaveBeenCalledWith([], '江');
  });

  it('reports a failed search unless it is stale', async () => {
    vi.useFakeTimers();
    const onError = vi.fn();
    const ta = createTypeahead({ search: async () => Promise.reject(new Error('429')), onResults: () => {}, onError });
    ta.input('江南大道');
    await vi.advanceTimersByTimeAsync(DELAY_MS);
    expect(onError).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});

describe('pickedCandidate', () => {
  it('is the candidate whose address the text is', () => {
    const c = [{ address: '江南大道1号' }, { address: '江南大道3号' }];
    expect(pickedCandidate(c, ' 江南大道3号 ')).toBe(c[1]);
    expect(pickedCandidate(c, '江南大道')).toBeNull();
  });
});
