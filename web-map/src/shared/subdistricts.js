// The subdistricts (街道) as GET /api/v1/subdistricts answers them: a FeatureCollection whose
// features carry id, code, name and the boundary; a caller scoped to one subdistrict gets that one,
// a district-wide caller every one (docs/district.md). Read here for every screen that shows or
// picks subdistricts: the district map and the admin's staff form. Pure: Vitest checks it.

/** The subdistricts as [{id, code, name}], by code; a feature without a positive id is left out. */
export function subdistrictList(collection) {
  return (collection?.features ?? [])
    .map((f) => {
      const p = f.properties ?? {};
      return { id: Number(p.id ?? f.id), code: String(p.code ?? ''), name: String(p.name ?? p.code ?? '') };
    })
    .filter((s) => Number.isInteger(s.id) && s.id > 0)
    .sort((a, b) => a.code.localeCompare(b.code) || a.id - b.id);
}

/** id → {id, code, name}, for naming a subdistrict by the id a scope or a row carries. */
export function subdistrictsById(list) {
  return new Map((list ?? []).map((s) => [s.id, s]));
}
