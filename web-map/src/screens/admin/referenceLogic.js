// The reference data tab's decisions, free of the DOM so Vitest checks them: a kind's columns and
// cells as text, the category form's checks (the server's rules, said before the round trip) and
// its bodies (a new category, a patch of what changed), a calendar year's dates from the text
// typed, where a problem is shown, and what a reference entry of the admin log says.
// Server side: category/ReferenceRoutes, CategoryRoutes, workflow/CalendarRoutes
// (docs/reference-data.md).
import { PLATFORMS } from '../../shared/taxonomy.js';

/** The category fields, in the form's order (CategoryCatalog's columns). */
export const CATEGORY_FIELDS = [
  'code',
  'platform',
  'nameZh',
  'nameEn',
  'deadlineHours',
  'weight',
  'authority',
  'urgency',
  'public',
];
export const AUTHORITIES = ['SUBDISTRICT', 'DISTRICT'];
export const URGENCIES = ['NORMAL', 'URGENT'];
/** CategoryCatalog's code rule. */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,47}$/;

/** A cell as the table shows it: booleans and numbers as sent, null as '—'. */
export function cellText(value) {
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** The version's rows sorted for reading: categories by platform then code; others as stored. */
export function sortedRows(kind, rows) {
  if (kind !== 'categories') return rows ?? [];
  return [...(rows ?? [])].sort(
    (a, b) => String(a.platform).localeCompare(String(b.platform)) || String(a.code).localeCompare(String(b.code)),
  );
}

/** An empty category form. */
export function emptyCategory() {
  return {
    code: '',
    platform: '',
    nameZh: '',
    nameEn: '',
    deadlineHours: '',
    weight: '1',
    authority: 'SUBDISTRICT',
    urgency: 'NORMAL',
    public: false,
    effectiveFrom: '',
    note: '',
  };
}

/** The form for a category as GET /api/v1/reference/categories answers its row. */
export function categoryForm(row) {
  const f = emptyCategory();
  for (const k of CATEGORY_FIELDS)
    if (row?.[k] !== undefined && row[k] !== null)
      f[k] = k === 'public' ? row[k] === true || row[k] === 'true' : String(row[k]);
  return f;
}

/**
 * The category form's checks before sending: [{field, key}], empty when ready. The server's rules
 * (CategoryCatalog): the code, a known platform, names, deadline hours a positive whole number, a
 * weight above 0 and at most 100 with at most two decimals.
 */
export function validateCategory(form, { creating = false } = {}) {
  const errors = [];
  if (creating || form.code !== undefined) {
    if (!CODE_PATTERN.test(String(form.code ?? '').trim()))
      errors.push({ field: 'code', key: 'admin.ref.invalid.code' });
  }
  if (!PLATFORMS.includes(form.platform)) errors.push({ field: 'platform', key: 'admin.ref.invalid.platform' });
  if (!String(form.nameZh ?? '').trim()) errors.push({ field: 'nameZh', key: 'admin.ref.invalid.name' });
  if (!String(form.nameEn ?? '').trim()) errors.push({ field: 'nameEn', key: 'admin.ref.invalid.name' });
  const hours = String(form.deadlineHours ?? '').trim();
  if (!/^[1-9]\d{0,5}$/.test(hours)) errors.push({ field: 'deadlineHours', key: 'admin.ref.invalid.hours' });
  const weight = String(form.weight ?? '').trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(weight) || Number(weight) <= 0 || Number(weight) > 100)
    errors.push({ field: 'weight', key: 'admin.ref.invalid.weight' });
  if (!AUTHORITIES.includes(form.authority)) errors.push({ field: 'authority', key: 'admin.ref.invalid.choose' });
  if (!URGENCIES.includes(form.urgency)) errors.push({ field: 'urgency', key: 'admin.ref.invalid.choose' });
  return errors;
}

function fieldValues(form) {
  return {
    code: String(form.code).trim(),
    platform: form.platform,
    nameZh: String(form.nameZh).trim(),
    nameEn: String(form.nameEn).trim(),
    deadlineHours: Number(String(form.deadlineHours).trim()),
    weight: Number(String(form.weight).trim()),
    authority: form.authority,
    urgency: form.urgency,
    public: Boolean(form.public),
  };
}

function meta(body, form, zoneOf) {
  if (form.effectiveFrom) body.effectiveFrom = zoneOf(form.effectiveFrom);
  if (String(form.note ?? '').trim()) body.note = String(form.note).trim();
  return body;
}

/** POST /api/v1/categories's body; zoneOf turns a local date-time into one with the area's offset. */
export function categoryCreateBody(form, zoneOf = (x) => x) {
  return meta(fieldValues(form), form, zoneOf);
}

/** PATCH /api/v1/categories/{code}'s body: the fields that changed (and effectiveFrom, note); {} when none. */
export function categoryPatchBody(row, form, zoneOf = (x) => x) {
  const after = fieldValues(form);
  const before = fieldValues(categoryForm(row));
  const patch = {};
  for (const k of CATEGORY_FIELDS) if (after[k] !== before[k]) patch[k] = after[k];
  if (Object.keys(patch).length === 0) return {};
  return meta(patch, form, zoneOf);
}

/** The category form's field a problem names ('/weight', '/code'), else null. */
export function categoryProblemField(problem) {
  const pointer = problem?.field;
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return null;
  const first = pointer.slice(1).split('/')[0];
  return [...CATEGORY_FIELDS, 'effectiveFrom'].includes(first) ? first : null;
}

/** Dates typed in a box (one per line, or separated by commas or spaces) → sorted unique 'YYYY-MM-DD'. */
export function parseDates(text) {
  return [
    ...new Set(
      String(text ?? '')
        .split(/[\s,，;；]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].sort();
}

/** The dates that are not YYYY-MM-DD of the year (said before sending). */
export function badDates(dates, year) {
  return dates.filter(
    (d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || !d.startsWith(`${year}-`) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)),
  );
}

/** PUT /api/v1/reference/calendar/years/{year}'s body. */
export function yearBody({ holidays, workdays, effectiveFrom, note }, zoneOf = (x) => x) {
  const body = { holidays: parseDates(holidays), workdays: parseDates(workdays) };
  if (effectiveFrom) body.effectiveFrom = zoneOf(effectiveFrom);
  if (String(note ?? '').trim()) body.note = String(note).trim();
  return body;
}

/** The calendar year form's field a problem names ('/holidays/3' → holidays). */
export function yearProblemField(problem) {
  const pointer = problem?.field;
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return null;
  const first = pointer.slice(1).split('/')[0];
  return ['holidays', 'workdays', 'effectiveFrom'].includes(first) ? first : null;
}

/** PUT /api/v1/reference/{kind}/csv's query: effectiveFrom (with the area's offset) and note. */
export function importQuery({ effectiveFrom, note }, zoneOf = (x) => x) {
  const q = new URLSearchParams();
  if (effectiveFrom) q.set('effectiveFrom', zoneOf(effectiveFrom));
  if (String(note ?? '').trim()) q.set('note', String(note).trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The file name an export is saved as: the server's Content-Disposition, else kind.csv. */
export function exportFileName(disposition, kind) {
  const m = /filename="?([^";]+)"?/.exec(String(disposition ?? ''));
  return m ? m[1] : `${kind}.csv`;
}

/**
 * What a reference entry of the admin log says: { kind (categories…), version, effectiveFrom, note,
 * via, added: [row], removed: [row], changed: [{code, fields: [{field, before, after}]}] }.
 */
export function describeReference(entry) {
  const c = entry?.change ?? {};
  const kind = /^reference\/(.+)$/.exec(String(entry?.target ?? ''))?.[1] ?? '';
  return {
    kind,
    version: c.version,
    effectiveFrom: c.effectiveFrom,
    note: c.note ?? '',
    via: c.via ?? 'json',
    added: c.added ?? [],
    removed: c.removed ?? [],
    changed: (c.changed ?? []).map((x) => ({
      code: x.code,
      fields: Object.entries(x.fields ?? {}).map(([field, v]) => ({ field, before: v?.before, after: v?.after })),
    })),
  };
}

/** A row of a log entry in a few words: a category's code and Chinese name, else its cells. */
export function rowSummary(row) {
  if (row?.code) return row.nameZh ? `${row.code} ${row.nameZh}` : row.code;
  return Object.values(row ?? {}).join(', ');
}
