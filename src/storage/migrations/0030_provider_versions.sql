-- A provider's version, moved on by every change of it: the FHIR Practitioner's meta.versionId, its ETag, and
-- what an If-Match is checked against. A provider written through FHIR or an import before this migration
-- starts at the version of what was last sent for it (fhir_sources), so what was sent is served with it.
ALTER TABLE providers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE providers SET version = (SELECT MAX(s.version) FROM fhir_sources s
                                WHERE s.resource_type = 'Practitioner' AND s.resource_id = providers.id)
WHERE EXISTS (SELECT 1 FROM fhir_sources s WHERE s.resource_type = 'Practitioner' AND s.resource_id = providers.id);
