import { describe, it, expect } from 'vitest';
import '../src/screens/command/messages.js';
import { t } from '../src/i18n/i18n.js';
import {
  progressPath,
  percent,
  coverageClass,
  progressRows,
  campaignSummary,
} from '../src/screens/command/campaigns-logic.js';

const answer = {
  by: 'grid',
  rows: [
    {
      gridId: 1,
      code: '001',
      name: '一网格',
      targets: 10,
      done: 10,
      onTime: 9,
      overdue: 0,
      failedChecks: 2,
      coverage: 1,
    },
    {
      gridId: 2,
      code: '002',
      name: '二网格',
      targets: 8,
      done: 2,
      onTime: 2,
      overdue: 3,
      failedChecks: 0,
      coverage: 0.25,
    },
    { gridId: 3, code: '003', name: '', targets: 4, done: 3, onTime: 1, overdue: 0, failedChecks: 1, coverage: 0.75 },
  ],
  total: { targets: 22, done: 15, onTime: 12, overdue: 3, failedChecks: 3, coverage: 0.682 },
};

describe('campaign progress', () => {
  it('asks by grid unless community is asked for', () => {
    expect(progressPath(7, 'community')).toBe('/api/v1/campaigns/7/progress?by=community');
    expect(progressPath(7, 'x')).toBe('/api/v1/campaigns/7/progress?by=grid');
  });
  it('reads shares as whole percentages, and none without a base', () => {
    expect(percent(0.682)).toBe('68%');
    expect(percent(1)).toBe('100%');
    expect(percent(null)).toBe('–');
  });
  it('puts the worst first: overdue, then the lowest coverage; the total last', () => {
    const rows = progressRows(answer);
    expect(rows.map((r) => r.key)).toEqual(['2', '3', '1', 'total']);
    expect(rows[0]).toMatchObject({ name: '二网格', coverageText: '25%', cls: 'cov-low' });
    expect(rows[1].name).toBe('003');
    expect(rows[2].cls).toBe('cov-done');
    expect(rows[3]).toMatchObject({ total: true, targets: 22, coverageText: '68%' });
    expect(coverageClass(0.6)).toBe('cov-mid');
  });
  it('summarises a campaign and knows when it has ended', () => {
    const c = { id: 3, name: '燃气安全', targets: 4, done: 1, endsAt: '2026-12-01T00:00:00Z' };
    expect(campaignSummary(c, new Date('2026-11-01T00:00:00Z'))).toMatchObject({ shareText: '25%', ended: false });
    expect(campaignSummary(c, new Date('2026-12-02T00:00:00Z')).ended).toBe(true);
    expect(campaignSummary({ ...c, targets: 0, done: 0 }).shareText).toBe('–');
  });
  it('has its words in both languages', () => {
    expect(t('command.campaigns.col.coverage', {}, 'zh-CN')).toBe('覆盖率');
    expect(t('command.campaigns.title', { n: 2 }, 'en')).toBe('Campaigns (2)');
  });
});
