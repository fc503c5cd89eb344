import { describe, it, expect } from 'vitest';
import { groupByPlatform, PLATFORMS } from '../src/shared/taxonomy.js';

describe('groupByPlatform', () => {
  const cats = [
    { code: 'S1', platform: 'SERVICE', nameZh: '乙', nameEn: 'B' },
    { code: 'G1', platform: 'GOVERNANCE', nameZh: '甲', nameEn: 'Z' },
    { code: 'G2', platform: 'GOVERNANCE', nameZh: '丙', nameEn: 'A' },
  ];
  it('keeps the platform order and sorts by the name in the language', () => {
    const en = groupByPlatform(cats, 'en');
    expect(en.map((g) => g.platform)).toEqual(['GOVERNANCE', 'SERVICE']);
    expect(en[0].categories.map((c) => c.label)).toEqual(['A', 'Z']);
    const zh = groupByPlatform(cats, 'zh-CN');
    expect(zh[0].categories.map((c) => c.code).sort()).toEqual(['G1', 'G2']);
    expect(zh[0].categories[0].label).toMatch(/[甲丙]/);
  });
});

describe('PLATFORMS', () => {
  it("are the server's four platforms, in the order the screens show them", () => {
    expect(PLATFORMS).toEqual(['GOVERNANCE', 'MARKET', 'ENFORCEMENT', 'SERVICE']);
  });
});
