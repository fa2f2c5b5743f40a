// What the FHIR HTTP tests share: the R4 schema validator (from ../shared/data) and FHIR's answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

import { api, login, requireEnv } from './lib.mjs';

export const FHIR = '/fhir/R4';

// The R4 schema from ../shared/data (CAREDESK_DATA_DIR), compiled once.
let validators;
function validatorFor(type) {
  if (!validators) {
    const dataDir = requireEnv('CAREDESK_DATA_DIR', 'the shared test data, with fhir_r4_examples/schema');
    const file = path.join(dataDir, 'fhir_r4_examples', 'schema', 'fhir.schema.json');
    assert.ok(fs.existsSync(file), `the FHIR R4 schema is missing: ${file}`);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    schema.$id = schema.id;  // draft-04 style "id" in a draft-06 schema
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06);
    ajv.addSchema(schema);
    validators = { ajv, id: schema.$id, byType: new Map() };
  }
  if (!validators.byType.has(type)) {
    const v = validators.ajv.getSchema(`${validators.id}#/definitions/${type}`);
    assert.ok(v, `the schema has no definition for ${type}`);
    validators.byType.set(type, v);
  }
  return validators.byType.get(type);
}

export function assertValid(resource) {
  const validate = validatorFor(resource.resourceType);
  assert.ok(validate(resource), `${resource.resourceType} does not validate: ${JSON.stringify(validate.errors?.slice(0, 5))}\n${JSON.stringify(resource)}`);
}

export function assertFhirJson(res) {
  assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/, `${res.what}: content type`);
}

/** An OperationOutcome answer with `status`, its first issue's code and (optionally) expression. */
export function expectOutcome(res, status, code, expression) {
  assert.equal(res.status, status, `${res.what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  assertFhirJson(res);
  assert.equal(res.body?.resourceType, 'OperationOutcome', res.text);
  assertValid(res.body);
  const issue = res.body.issue[0];
  assert.equal(issue.code, code, res.text);
  assert.ok(issue.diagnostics, 'the outcome says what was wrong');
  if (expression !== undefined) assert.deepEqual(issue.expression, [expression], res.text);
  return issue;
}

export async function fhirGet(pathAndQuery, role = 'coordinator') {
  return api('GET', FHIR + pathAndQuery, undefined, role ? await login(role) : null);
}

/**
 * Every page of a search of `type`, following next links: the matches in order, the first bundle and the
 * number of pages.
 */
export async function allPages(type, query, role = 'coordinator') {
  const token = await login(role);
  let res = await fhirGet(`/${type}?${query}`, role);
  const first = res.body;
  const seen = [];
  for (let pages = 1; ; pages++) {
    assert.equal(res.status, 200, res.text);
    assertValid(res.body);
    for (const e of res.body.entry ?? []) if (e.search.mode === 'match') seen.push(e.resource);
    const next = res.body.link.find((l) => l.relation === 'next');
    if (!next) return { seen, first, pages };
    assert.ok(pages < 100, 'paging does not end');
    const url = new URL(next.url);
    res = await api('GET', url.pathname + url.search, undefined, token);
  }
}
