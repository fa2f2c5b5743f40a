-- Reading a patient (GET /api/v1/patients/{id}) looks up its coverages and
-- consents by patient. With an index on patient_id alone each lookup went down
-- two B-trees, the index and then the table by row id. Every audited read
-- commits, and SQLite then drops every other connection's page cache, so those
-- pages came back from the file each time: the two side tables cost more than
-- the patient row itself (docs/PERFORMANCE.md, ninth round). Indexes that carry
-- the columns read answer both lookups from one B-tree.
DROP INDEX coverages_patient;
DROP INDEX consents_patient;
{{sqlite}}
CREATE INDEX coverages_patient
  ON coverages(patient_id, id, payer, member_id, group_number, relationship, start_date, end_date);
CREATE INDEX consents_patient ON consents(patient_id, id, kind, granted, date);
{{postgres}}
CREATE INDEX coverages_patient ON coverages(patient_id, id)
  INCLUDE (payer, member_id, group_number, relationship, start_date, end_date);
CREATE INDEX consents_patient ON consents(patient_id, id) INCLUDE (kind, granted, date);
{{end}}
