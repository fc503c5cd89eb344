import { describe, expect, it } from 'vitest';
import { subdistrictList, subdistrictsById } from '../src/shared/subdistricts.js';

// GET /api/v1/subdistricts as the server answers it (AreaRoutes): id on the feature and in its
// properties, the boundary as the geometry
const feature = (id, code, name) => ({
  type: 'Feature',
  id,
  properties: { id, code, name, communities: 3 },
  geometry: { type: 'MultiPolygon', coordinates: [] },
});

describe('the subdistricts', () => {
  it('reads id, code and name, by code', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [feature(9, '330108002', '东湖街道'), feature(4, '330108001', '西湖街道')],
    };
    expect(subdistrictList(fc)).toEqual([
      { id: 4, code: '330108001', name: '西湖街道' },
      { id: 9, code: '330108002', name: '东湖街道' },
    ]);
  });

  it('takes the id from the feature when the properties have none, and leaves out a feature without one', () => {
    const fc = {
      features: [
        { id: 5, properties: { code: '330108003', name: 'C' } },
        { properties: { code: '330108004', name: 'D' } },
        { id: 0, properties: { code: '330108005', name: 'E' } },
      ],
    };
    expect(subdistrictList(fc)).toEqual([{ id: 5, code: '330108003', name: 'C' }]);
  });

  it('is empty for no answer or no features', () => {
    expect(subdistrictList(null)).toEqual([]);
    expect(subdistrictList({ type: 'FeatureCollection' })).toEqual([]);
  });

  it('names a subdistrict by id', () => {
    const byId = subdistrictsById(subdistrictList({ features: [feature(4, '330108001', '西湖街道')] }));
    expect(byId.get(4).name).toBe('西湖街道');
    expect(byId.has(9)).toBe(false);
  });
});
