import { describe, it, expect } from 'vitest';
import { parseCoordinates, searchCommunities, formatCoordinates } from '../src/screens/intake/place.js';

describe('parseCoordinates', () => {
  it('reads longitude, latitude in the usual forms', () => {
    expect(parseCoordinates('120.15, 30.28')).toEqual({ lon: 120.15, lat: 30.28 });
    expect(parseCoordinates(' 120.15 30.28 ')).toEqual({ lon: 120.15, lat: 30.28 });
    expect(parseCoordinates('120.15，30.28')).toEqual({ lon: 120.15, lat: 30.28 });
  });
  it('recognises latitude first', () => {
    expect(parseCoordinates('30.28, 120.15')).toEqual({ lon: 120.15, lat: 30.28 });
    expect(parseCoordinates('N30.28 E120.15')).toEqual({ lon: 120.15, lat: 30.28 });
  });
  it('reads degrees, minutes, seconds with hemispheres', () => {
    const p = parseCoordinates(`120°09'00"E 30°16'48"N`);
    expect(p.lon).toBeCloseTo(120.15, 9);
    expect(p.lat).toBeCloseTo(30.28, 9);
    expect(parseCoordinates('73.5W 40.1S')).toEqual({ lon: -73.5, lat: -40.1 });
  });
  it('refuses what it cannot read, naming why', () => {
    expect(parseCoordinates('')).toEqual({ error: 'intake.coords.empty' });
    expect(parseCoordinates('120.15')).toEqual({ error: 'intake.coords.format' });
    expect(parseCoordinates('120.15, 30.28, 5')).toEqual({ error: 'intake.coords.format' });
    expect(parseCoordinates('abc 120 30')).toEqual({ error: 'intake.coords.format' });
    expect(parseCoordinates('200, 95')).toEqual({ error: 'intake.coords.range' });
  });
  it('formats to six decimals', () => {
    expect(formatCoordinates({ lon: 120.1234567, lat: 30.5 })).toBe('120.123457, 30.500000');
  });
});

describe('searchCommunities', () => {
  const list = [
    { name: '东湖村', code: '330108001201' },
    { name: '湖滨社区', code: '330108001002' },
    { name: '西溪村', code: '330108001203' },
  ];
  it('finds by part of the name or code, prefix matches first', () => {
    expect(searchCommunities(list, '湖').map((c) => c.name)).toEqual(['湖滨社区', '东湖村']);
    expect(searchCommunities(list, '001203').map((c) => c.name)).toEqual(['西溪村']);
    expect(searchCommunities(list, '  ')).toEqual([]);
  });
});
