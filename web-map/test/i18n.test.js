import { describe, it, expect } from 'vitest';
import { namespaces, findGaps, t, tOr, LANGUAGES } from '../src/i18n/i18n.js';

// Every screen's messages.js, found the way Vite finds them: a new screen is checked without edits here.
const modules = import.meta.glob('../src/**/messages.js', { eager: true });

describe('i18n', () => {
  it('loads the messages of the shell and of every screen', () => {
    expect(Object.keys(modules).length).toBeGreaterThanOrEqual(5);
    expect([...namespaces().keys()]).toEqual(expect.arrayContaining(['app', 'intake', 'login', 'command', 'planner']));
  });

  it('has every key in every language, with the same placeholders', () => {
    expect(findGaps()).toEqual([]);
  });

  it('finds gaps when a language lacks a key or a placeholder', () => {
    const broken = new Map([['x', { 'zh-CN': { a: '甲 {n}', b: '乙' }, en: { a: 'A' } }]]);
    expect(findGaps(broken)).toEqual(['x.a: placeholders differ between languages', 'en: x.b missing']);
  });

  it('fills placeholders and shows a missing key visibly', () => {
    expect(t('intake.submitted', { id: 42 }, 'en')).toBe('Taken in: incident 42');
    expect(t('intake.submitted', { id: 42 }, 'zh-CN')).toBe('已受理：事件 42');
    expect(t('intake.nope', {}, 'en')).toBe('⟦intake.nope⟧');
    expect(LANGUAGES[0]).toBe('zh-CN');
  });

  it('falls back for names the UI does not know, and only for those', () => {
    expect(tOr('intake.nope', 'RAW_NAME')).toBe('RAW_NAME');
    expect(tOr('app.platform.MARKET', 'MARKET')).toBe(t('app.platform.MARKET'));
    expect(tOr('app.platform.MARKET', 'MARKET')).not.toBe('MARKET');
  });
});
