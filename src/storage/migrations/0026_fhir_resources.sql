-- FHIR resources of the types CareDesk has no model of (Observation, Condition, Organization, ...): kept as
-- they were sent, with the id, version and time CareDesk gave them, and served back unchanged.
-- `fhir_resources` holds each resource's current version (a deleted one stays, marked, so that its id is
-- never reused and a read says 410); earlier versions move to `fhir_resource_history` on each write.
-- `patient_id` is the CareDesk patient the resource is about (its `patient` or `subject` reference, when
-- that is Patient/<number>), for the audit trail and the `patient` search; the patient need not exist.
-- `seq` orders pages of a search by key and never changes.
CREATE TABLE fhir_resources (
  seq           {{id}},
  resource_type TEXT NOT NULL,
  id            TEXT NOT NULL,
  version       BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0,
  patient_id    BIGINT,
  body          TEXT NOT NULL,
  UNIQUE (resource_type, id)
);
CREATE INDEX fhir_resources_type ON fhir_resources(resource_type, deleted, seq);
CREATE INDEX fhir_resources_patient ON fhir_resources(patient_id, resource_type, seq) WHERE patient_id IS NOT NULL;
CREATE INDEX fhir_resources_updated ON fhir_resources(resource_type, updated_at);

CREATE TABLE fhir_resource_history (
  resource_type TEXT NOT NULL,
  id            TEXT NOT NULL,
  version       BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  deleted       INTEGER NOT NULL,
  patient_id    BIGINT,
  body          TEXT NOT NULL,
  PRIMARY KEY (resource_type, id, version)
);
