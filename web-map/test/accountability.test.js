import { describe, it, expect } from 'vitest';
import { t } from '../src/i18n/i18n.js';
import '../src/screens/accountability/messages.js';
import { allowed, findRoute, navRoutes } from '../src/app/routes.js';
import {
  KINDS,
  currentQuarter,
  filtersOf,
  validate,
  queryOf,
  hashParamsOf,
  exportPath,
  inGroup,
  findingsOf,
  measureText,
  peopleText,
  stepText,
  fileNameOf,
} from '../src/screens/accountability/logic.js';

const NOW = new Date(2026, 10, 15); // November 2026

const finding = (over = {}) => ({
  kind: 'passed-back',
  incidentId: 7,
  history: '/api/v1/incidents/7/events',
  platform: 'ENFORCEMENT',
  agency: { id: 12, name: '张三' },
  grid: { id: 4, code: '330108001002004', name: '第4网格' },
  measure: 2,
  unit: 'hops',
  people: [
    { id: 3, name: '潘超峰', role: 'CHIEF_COMMANDER', part: 'approved-return', answerable: false },
    { id: 12, name: '张三', role: 'PLATFORM_HANDLER', part: 'asked-return', answerable: true },
  ],
  steps: [],
  ...over,
});

describe('the accountability screen', () => {
  it('is offered to auditors and admins only', () => {
    const r = findRoute('accountability');
    expect(r.login).toBe(true);
    expect(allowed(r, ['AUDITOR'])).toBe(true);
    expect(allowed(r, ['ADMIN'])).toBe(true);
    expect(allowed(r, ['CENTRE_DIRECTOR'])).toBe(false);
    expect(navRoutes(['AUDITOR']).map((x) => x.path)).toContain('accountability');
    expect(navRoutes(['GRID_WORKER']).map((x) => x.path)).not.toContain('accountability');
  });

  it('reads its filters from the hash, with defaults', () => {
    const f = filtersOf('', NOW);
    expect(currentQuarter(NOW)).toBe('2026-Q4');
    expect(f).toMatchObject({ period: '2026-Q4', by: 'platform', kinds: KINDS, minHops: 2, noOwnerHours: 24 });
    const g = filtersOf('from=2026-10-01&to=2026-11-01&by=person&kind=no-owner,bogus&noOwnerHours=0.5&group=12', NOW);
    expect(g).toMatchObject({
      period: '',
      from: '2026-10-01',
      by: 'person',
      kinds: ['no-owner'],
      noOwnerHours: 0.5,
      group: '12',
    });
    expect(filtersOf('by=street&minHops=x', NOW)).toMatchObject({ by: 'platform', minHops: 2 });
  });

  it('checks the filters before asking, as the server would', () => {
    expect(validate(filtersOf('', NOW))).toEqual([]);
    const fields = (q) => validate({ ...filtersOf('', NOW), ...q }).map((e) => e.field);
    expect(fields({ period: '2026-Q5' })).toEqual(['period']);
    expect(fields({ period: '2026-13' })).toEqual(['period']);
    expect(fields({ period: '', from: '2026-10-01', to: '2026-09-01' })).toEqual(['to']);
    expect(fields({ period: '', from: '', to: '' })).toEqual(['from', 'to']);
    expect(fields({ minHops: 0, minReworks: 1.5, noOwnerHours: -1 })).toEqual([
      'minHops',
      'minReworks',
      'noOwnerHours',
    ]);
    expect(fields({ kinds: [] })).toEqual(['kinds']);
  });

  it('asks the API with the defaults left out, and exports the same question', () => {
    const f = filtersOf('period=2026-Q4&by=grid&kind=passed-back,no-owner&minHops=3', NOW);
    expect(queryOf(f)).toBe('period=2026-Q4&by=grid&kind=passed-back%2Cno-owner&minHops=3');
    expect(exportPath('csv', f, 'en')).toBe(
      '/api/v1/accountability.csv?period=2026-Q4&by=grid&kind=passed-back%2Cno-owner&minHops=3&lang=en',
    );
    expect(queryOf(filtersOf('from=2026-10-01&to=2026-10-08', NOW))).toBe('from=2026-10-01&to=2026-10-08&by=platform');
    expect(hashParamsOf({ ...f, group: 'x' })).toMatchObject({ period: '2026-Q4', group: 'x' });
  });

  it('narrows the findings to a group by the server rule', () => {
    const f = finding();
    expect(inGroup(f, 'platform', 'ENFORCEMENT')).toBe(true);
    expect(inGroup(f, 'agency', '12')).toBe(true);
    expect(inGroup(f, 'grid', '330108001002004')).toBe(true);
    expect(inGroup(f, 'person', '12')).toBe(true);
    expect(inGroup(f, 'person', '3')).toBe(false); // named, not answerable
    expect(inGroup(finding({ agency: null }), 'agency', '-')).toBe(true);
    const answer = {
      findings: [f, finding({ kind: 'no-owner', incidentId: 8 }), finding({ incidentId: 9, platform: 'MARKET' })],
    };
    expect(findingsOf(answer, 'passed-back', 'platform', 'ENFORCEMENT').map((x) => x.incidentId)).toEqual([7]);
    expect(findingsOf(answer, 'passed-back', 'platform', '').map((x) => x.incidentId)).toEqual([7, 9]);
  });

  it('says measures, people and steps in words', () => {
    expect(measureText(finding(), (k, p) => t(k, p, 'zh-CN'))).toBe('2 次流转');
    expect(measureText(finding({ measure: 30.456, unit: 'hours' }), (k, p) => t(k, p, 'en'))).toBe('30.5 hours');
    expect(peopleText(finding(), (k, p) => t(k, p, 'en'))).toBe(
      '张三（asked to return），潘超峰（approved the return）',
    );
    const en = (k, p) => t(k, p, 'en');
    const s = stepText(
      { at: 'T', type: 'RETURN_APPROVED', byName: '潘超峰', askedByName: '张三' },
      en,
      (x) => `<${x}>`,
    );
    expect(s).toBe('<T> · Return approved · 潘超峰 · asked by 张三');
    expect(
      stepText({ at: 'T', type: 'TRANSFER', fromPlatform: 'MARKET', toPlatform: 'ENFORCEMENT' }, en, (x) => x),
    ).toBe('T · Transfer · MARKET → ENFORCEMENT');
    expect(stepText({ at: 'T', type: 'ACCEPT', hours: 30, open: true }, en, (x) => x)).toBe(
      'T · Accepted · 30 hours (still no owner)',
    );
    expect(stepText({ at: 'T', type: 'REMINDER', addressees: [{ name: '甲' }, { name: '乙' }] }, en, (x) => x)).toBe(
      'T · Reminder · to 甲，乙',
    );
    for (const type of [
      'TRANSFER',
      'RETURN_APPROVED',
      'DISTRICT_REPLY',
      'EXTENSION_REQUESTED',
      'ACCEPT',
      'REMINDER',
      'SUPERVISION_NOTICE',
      'SUPERVISE',
      'REWORK',
    ])
      expect(t(`accountability.event.${type}`, {}, 'zh-CN')).not.toMatch(/^⟦/);
    for (const k of KINDS) expect(t(`accountability.kind.${k}`, {}, 'en')).not.toMatch(/^⟦/);
  });

  it('names the downloaded file as the server does', () => {
    expect(fileNameOf('attachment; filename="accountability-2026-Q4.csv"', 'x.csv')).toBe('accountability-2026-Q4.csv');
    expect(fileNameOf(null, 'x.csv')).toBe('x.csv');
  });
});
