import { describe, it, expect } from 'vitest';
import { fromLonLat } from 'ol/proj.js';
import { placeBody } from '../src/screens/command/placements.js';

describe('placeBody', () => {
  it('turns a map click into the location the server takes', () => {
    const b = placeBody(fromLonLat([120.2912345678, 30.1987654321]));
    expect(b.location.lon).toBeCloseTo(120.2912346, 7);
    expect(b.location.lat).toBeCloseTo(30.1987654, 7);
  });
});
