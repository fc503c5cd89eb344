// UI text. Each screen owns its keys in its own messages.js, registered under a namespace:
//   defineMessages('intake', { 'zh-CN': { title: '受理' }, en: { title: 'Intake' } })
// and looks them up as t('intake.title'). zh-CN is the default; the choice is remembered.
// Elements with data-i18n="ns.key" (text) or data-i18n-attr="placeholder:ns.key" are refreshed
// by applyI18n() whenever the language changes.

export const LANGUAGES = ['zh-CN', 'en'];
export const DEFAULT_LANG = 'zh-CN';
const STORAGE_KEY = 'gridgov.lang';

const dictionaries = new Map(); // namespace -> { 'zh-CN': {...}, en: {...} }
const listeners = new Set();
let current = initialLang();

function initialLang() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(saved)) return saved;
  } catch {
    // storage blocked (private mode): keep the default
  }
  return DEFAULT_LANG;
}

/** Registers a namespace's messages; returns them (handy for tests). */
export function defineMessages(namespace, messages) {
  if (dictionaries.has(namespace)) throw new Error(`i18n namespace '${namespace}' is defined twice`);
  dictionaries.set(namespace, messages);
  return messages;
}

export function namespaces() {
  return new Map(dictionaries);
}

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!LANGUAGES.includes(lang)) throw new Error(`unknown language '${lang}'`);
  if (lang === current) return;
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switched
  }
  if (globalThis.document) document.documentElement.lang = lang;
  for (const fn of listeners) fn(lang);
}

/** Calls fn(lang) after every language change; returns the function that stops it. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** 'ns.key' with {name} placeholders filled from params. A missing key shows itself, visibly. */
export function t(key, params = {}, lang = current) {
  const dot = key.indexOf('.');
  const dict = dictionaries.get(key.slice(0, dot))?.[lang];
  const text = dict?.[key.slice(dot + 1)];
  if (text === undefined) return `⟦${key}⟧`;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** t(key), or fallback when the key is not defined: for names the server sends that the UI may not know yet. */
export function tOr(key, fallback) {
  const s = t(key);
  return s.startsWith('⟦') ? fallback : s;
}

/** Refreshes every data-i18n / data-i18n-attr element under root. */
export function applyI18n(root = globalThis.document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

/** A date-time from the API (ISO-8601 with offset) in the browser's local time zone and language. */
export function formatDateTime(iso, lang = current) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The checks the completeness test runs: keys missing in a language, and placeholder mismatches. */
export function findGaps(all = dictionaries) {
  const gaps = [];
  for (const [ns, byLang] of all) {
    const keys = new Set(LANGUAGES.flatMap((l) => Object.keys(byLang[l] ?? {})));
    for (const key of keys) {
      const placeholders = new Set();
      for (const lang of LANGUAGES) {
        const text = byLang[lang]?.[key];
        if (typeof text !== 'string' || text.trim() === '') {
          gaps.push(`${lang}: ${ns}.${key} missing`);
          continue;
        }
        placeholders.add(
          [...text.matchAll(/\{(\w+)\}/g)]
            .map((m) => m[1])
            .sort()
            .join(','),
        );
      }
      if (placeholders.size > 1) gaps.push(`${ns}.${key}: placeholders differ between languages`);
    }
  }
  return gaps;
}
