-- FHIR resources as other systems wrote them. CareDesk keeps what it models
-- in its own tables (a Patient becomes a patients row); what it does not
-- model (extensions, primitive extensions such as _birthDate, contained
-- resources, narrative, elements it has no column for) is kept here, as the
-- JSON that was sent, beside the JSON CareDesk made of its own record right
-- after that write (`projection`). A read serves the sent form of every
-- element CareDesk has not changed since: see fhir::KeepUnmodelled.
-- One row per version written through FHIR.
CREATE TABLE fhir_sources (
  resource_type TEXT NOT NULL,
  resource_id   BIGINT NOT NULL,
  version       BIGINT NOT NULL,
  written_at    BIGINT NOT NULL,
  original      TEXT NOT NULL,
  projection    TEXT NOT NULL,
  PRIMARY KEY (resource_type, resource_id, version)
);
