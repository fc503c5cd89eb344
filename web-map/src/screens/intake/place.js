// Pure helpers of the intake form (tested by Vitest): reading typed coordinates, finding
// communities by name. The category taxonomy is shared: ../../shared/taxonomy.js.

/**
 * "120.15, 30.28", "120.15 30.28", "30.28,120.15" (latitude first is recognised when the first
 * number cannot be a longitude in China's range and the second cannot be a latitude),
 * "E120.15 N30.28", "120°09'00\"E 30°16'48\"N". → { lon, lat } or { error: 'i18n key' }.
 */
export function parseCoordinates(text) {
  const s = (text ?? '').trim();
  if (!s) return { error: 'intake.coords.empty' };
  const parts = [];
  const re =
    /([NSEW])?\s*(-?\d+(?:\.\d+)?)(?:\s*°\s*(\d+(?:\.\d+)?)\s*(?:['′]\s*(\d+(?:\.\d+)?)\s*(?:["″])?)?)?\s*([NSEW])?/gi;
  let rest = s;
  for (const m of s.matchAll(re)) {
    if (m[0].trim() === '') continue;
    rest = rest.replace(m[0].trim(), '');
    let v = Number(m[2]);
    const deg = Math.abs(v) + (m[3] ? Number(m[3]) / 60 : 0) + (m[4] ? Number(m[4]) / 3600 : 0);
    v = Math.sign(v || 1) * deg;
    const hemi = (m[1] || m[5] || '').toUpperCase();
    if (hemi === 'S' || hemi === 'W') v = -Math.abs(v);
    parts.push({ v, axis: hemi === 'N' || hemi === 'S' ? 'lat' : hemi === 'E' || hemi === 'W' ? 'lon' : null });
  }
  if (parts.length !== 2 || /[^\s,;，、]/.test(rest)) return { error: 'intake.coords.format' };
  let [a, b] = parts;
  if (a.axis === 'lat' || b.axis === 'lon') [a, b] = [b, a];
  else if (!a.axis && !b.axis && Math.abs(a.v) <= 90 && Math.abs(b.v) > 90) [a, b] = [b, a];
  const lon = a.v;
  const lat = b.v;
  if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) return { error: 'intake.coords.range' };
  return { lon, lat };
}

/** Coordinates as the form shows them: 6 decimals (≈ 0.1 m). */
export function formatCoordinates({ lon, lat }) {
  return `${lon.toFixed(6)}, ${lat.toFixed(6)}`;
}

/** Communities whose name or code contains the query (case-insensitive), best (prefix) first. */
export function searchCommunities(communities, query, limit = 10) {
  const q = (query ?? '').trim().toLowerCase();
  if (!q) return [];
  const hits = communities.filter((c) => c.name?.toLowerCase().includes(q) || c.code?.toLowerCase().includes(q));
  const score = (c) => (c.name?.toLowerCase().startsWith(q) ? 0 : 1);
  return hits.sort((x, y) => score(x) - score(y) || x.name.localeCompare(y.name)).slice(0, limit);
}
