-- What `caredesk import fhir` made of the resources it imported under the names their source gave them
-- ("urn:uuid:<id>", "Patient/<id>", a fullUrl): "Patient/<CareDesk id>" for a patient. A later import that
-- refers to a patient imported before (one ndjson file at a time) resolves the reference through it.
CREATE TABLE fhir_import_names (
  name   TEXT PRIMARY KEY,
  target TEXT NOT NULL
);
