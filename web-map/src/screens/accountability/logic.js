// Pure logic of the accountability screen (#/accountability): the filters as the hash and the
// API's query, checked before asking; the findings narrowed to a group; a step in words.
// Server side: GET /api/v1/accountability (docs/accountability.md).

export const KINDS = ['passed-back', 'repeated-extension', 'no-owner', 'ignored-notice', 'repeated-rework'];
export const BYS = ['platform', 'agency', 'grid', 'person'];
export const DEFAULTS = { minHops: 2, minExtensions: 2, minReworks: 2, noOwnerHours: 24 };

/** This quarter, as the API names periods: 2026-Q4. */
export function currentQuarter(now = new Date()) {
  return `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`;
}

/** The hash's parameters → the filters, each falling back to its default. */
export function filtersOf(params, now = new Date()) {
  const p = params instanceof URLSearchParams ? params : new URLSearchParams(params ?? '');
  const kinds = (p.get('kind') ?? '').split(',').filter((k) => KINDS.includes(k));
  const num = (name) => {
    const v = p.get(name);
    return v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : DEFAULTS[name];
  };
  return {
    period: p.get('period') ?? (p.get('from') ? '' : currentQuarter(now)),
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    by: BYS.includes(p.get('by')) ? p.get('by') : 'platform',
    kinds: kinds.length ? kinds : [...KINDS],
    minHops: num('minHops'),
    minExtensions: num('minExtensions'),
    minReworks: num('minReworks'),
    noOwnerHours: num('noOwnerHours'),
    group: p.get('group') ?? '',
  };
}

const PERIOD = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with the filters, as [{field, key, params}] (message keys); [] when fine. */
export function validate(f) {
  const errors = [];
  if (f.period) {
    if (!PERIOD.test(f.period)) errors.push({ field: 'period', key: 'invalid.period' });
  } else {
    if (!DATE.test(f.from)) errors.push({ field: 'from', key: 'invalid.date' });
    if (!DATE.test(f.to)) errors.push({ field: 'to', key: 'invalid.date' });
    if (DATE.test(f.from) && DATE.test(f.to) && f.from >= f.to) errors.push({ field: 'to', key: 'invalid.order' });
  }
  for (const name of ['minHops', 'minExtensions', 'minReworks']) {
    const v = f[name];
    if (!Number.isInteger(v) || v < 1 || v > 100)
      errors.push({ field: name, key: 'invalid.whole', params: { min: 1, max: 100 } });
  }
  if (!(f.noOwnerHours >= 0 && f.noOwnerHours <= 10000)) {
    errors.push({ field: 'noOwnerHours', key: 'invalid.hours' });
  }
  if (!f.kinds.length) errors.push({ field: 'kinds', key: 'invalid.kinds' });
  return errors;
}

/** The API's query string for the filters (defaults left out); lang for the exports. */
export function queryOf(f, lang) {
  const q = new URLSearchParams();
  if (f.period) q.set('period', f.period);
  else {
    q.set('from', f.from);
    q.set('to', f.to);
  }
  q.set('by', f.by);
  if (f.kinds.length !== KINDS.length) q.set('kind', f.kinds.join(','));
  for (const name of Object.keys(DEFAULTS)) if (f[name] !== DEFAULTS[name]) q.set(name, String(f[name]));
  if (lang) q.set('lang', lang);
  return q.toString();
}

/** The hash's parameters for the filters (the group picked too). */
export function hashParamsOf(f) {
  const q = new URLSearchParams(queryOf(f));
  if (f.group) q.set('group', f.group);
  return Object.fromEntries(q);
}

export function exportPath(format, f, lang) {
  return `/api/v1/accountability.${format}?${queryOf(f, lang)}`;
}

/**
 * Whether a finding counts for a group's key under the grouping — the same rule as the server's
 * (Report.units): platform code, agency id, grid code, or any answerable person's id.
 */
export function inGroup(finding, by, key) {
  if (!key) return true;
  switch (by) {
    case 'platform':
      return finding.platform === key;
    case 'agency':
      return (finding.agency ? String(finding.agency.id) : '-') === key;
    case 'grid':
      return (finding.grid ? finding.grid.code : '-') === key;
    default: {
      const ids = (finding.people ?? []).filter((p) => p.answerable).map((p) => String(p.id));
      return ids.length ? ids.includes(key) : key === '-';
    }
  }
}

/** The findings of one kind and (optionally) one group, as the server ordered them. */
export function findingsOf(answer, kind, by, key) {
  return (answer?.findings ?? []).filter((f) => f.kind === kind && inGroup(f, by, key));
}

/** The measure with its unit: 2 hops, 30.5 hours. */
export function measureText(f, t) {
  const n = Number.isInteger(f.measure) ? f.measure : Math.round(f.measure * 10) / 10;
  return t(`accountability.unit.${f.unit}`, { n });
}

/** People of a finding as 'name (role, part)' with the answerable ones first. */
export function peopleText(f, t) {
  return [...(f.people ?? [])]
    .sort((a, b) => Number(b.answerable) - Number(a.answerable))
    .map((p) => `${p.name}（${t(`accountability.part.${p.part}`)}）`)
    .join('，');
}

/** One step in a few words: type, by whom, and the kind's own details. */
export function stepText(s, t, formatTime) {
  const parts = [formatTime(s.at), t(`accountability.event.${s.type}`)];
  if (s.byName) parts.push(s.byName);
  if (s.askedByName) parts.push(t('accountability.step.askedBy', { name: s.askedByName }));
  if (s.fromPlatform || s.toPlatform) parts.push(`${s.fromPlatform ?? '?'} → ${s.toPlatform ?? '?'}`);
  if (s.extraHours) parts.push(t('accountability.step.extra', { hours: s.extraHours }));
  if (s.decision) parts.push(t(`accountability.decision.${s.decision}`));
  if (s.hours !== undefined && s.hours !== null) {
    parts.push(t(s.open ? 'accountability.step.openHours' : 'accountability.step.hours', { hours: s.hours }));
  }
  if (s.addressees?.length)
    parts.push(t('accountability.step.to', { names: s.addressees.map((a) => a.name).join('，') }));
  if (s.resolvedByName) parts.push(t('accountability.step.resolvedBy', { name: s.resolvedByName }));
  return parts.join(' · ');
}

/** The file name a Content-Disposition header names, else a default. */
export function fileNameOf(disposition, fallback) {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m ? m[1] : fallback;
}
