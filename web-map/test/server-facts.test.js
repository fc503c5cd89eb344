import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { pick } from '../vite.config.js';
import { PLATFORMS } from '../src/shared/taxonomy.js';
import BASE_UNIT_ROLES from '@server/org/gridgov/ogc/layers.yaml?pick=layers.base_units.roles';
import IMPORT_SRS from '@server/openapi.yaml?pick=paths./api/v1/imports.post.parameters.srs.schema.enum';
import { ROLES, EMPLOYMENTS, SCOPE_TYPES, USERNAME_PATTERN } from '../src/screens/admin/logic.js';

// the server's files read here on their own, not through the build's import
const resource = (path) =>
  parse(readFileSync(new URL(`../../server/src/main/resources/${path}`, import.meta.url), 'utf8'));
const openapi = resource('openapi.yaml');
const layers = resource('org/gridgov/ogc/layers.yaml');

describe("facts the web map imports from the server's files at build time", () => {
  it('pick: keys by name, list items by their name; a missing step fails the build', () => {
    const data = {
      layers: [
        { name: 'a', roles: ['X'] },
        { name: 'b', roles: ['Y'] },
      ],
    };
    expect(pick(data, 'layers.b.roles')).toEqual(['Y']);
    expect(() => pick(data, 'layers.c.roles')).toThrow(/no c/);
  });

  it("platforms: openapi.yaml's Platform", () => {
    expect(PLATFORMS).toEqual(openapi.components.schemas.Platform.enum);
  });

  it("base units' roles: layers.yaml's base_units roles, and nothing else of the file", () => {
    expect(BASE_UNIT_ROLES).toEqual(layers.layers.find((l) => l.name === 'base_units').roles);
    expect(JSON.stringify(BASE_UNIT_ROLES)).not.toMatch(/SELECT/);
  });

  it("the import's CRS choice: openapi.yaml's srs of POST /api/v1/imports", () => {
    const srs = openapi.paths['/api/v1/imports'].post.parameters.find((p) => p.name === 'srs');
    expect(IMPORT_SRS).toEqual(srs.schema.enum);
  });

  it("the admin screen's roles, employments and scope types: openapi.yaml's StaffFields", () => {
    const fields = openapi.components.schemas.StaffFields.properties;
    expect(ROLES).toEqual(fields.roles.items.enum);
    expect(EMPLOYMENTS).toEqual(fields.employment.enum);
    expect(SCOPE_TYPES).toEqual(fields.scope.properties.type.enum);
  });

  it("the admin screen's username rule: the pattern of POST /api/v1/staff", () => {
    const schema = openapi.paths['/api/v1/staff'].post.requestBody.content['application/json'].schema;
    const pattern = schema.allOf.find((s) => s.properties?.username).properties.username.pattern;
    expect(USERNAME_PATTERN.source).toBe(pattern);
  });
});
