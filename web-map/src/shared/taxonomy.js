// The incident taxonomy as the server defines it, shared by the screens (intake, command centre):
// the four platforms, the intake channels, and the category list grouped by platform. Pure;
// tested by Vitest (test/taxonomy.test.js).

// the four platforms in the API's order: openapi.yaml's Platform, read at build time (vite.config.js)
import PLATFORMS from '@server/openapi.yaml?pick=components.schemas.Platform.enum';

export { PLATFORMS };
// the intake form's order (the hotline first), not the API's: openapi.yaml's Channel lists the same five
export const CHANNELS = ['HOTLINE', 'GRID_PATROL', 'VILLAGE_CADRE', 'INSPECTION', 'PUBLIC_ONLINE'];

/** [{ platform, categories: [...] }] in PLATFORMS order, each sorted by its name in lang. */
export function groupByPlatform(categories, lang) {
  const nameOf = (c) => (lang === 'en' ? c.nameEn : c.nameZh) || c.code;
  const groups = new Map(PLATFORMS.map((p) => [p, []]));
  for (const c of categories) {
    if (!groups.has(c.platform)) groups.set(c.platform, []);
    groups.get(c.platform).push(c);
  }
  return [...groups]
    .filter(([, list]) => list.length > 0)
    .map(([platform, list]) => ({
      platform,
      categories: [...list]
        .sort((x, y) => nameOf(x).localeCompare(nameOf(y), lang))
        .map((c) => ({ ...c, label: nameOf(c) })),
    }));
}
