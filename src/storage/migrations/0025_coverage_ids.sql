-- FHIR serves a coverage as Coverage/{id}, so its id must never name another coverage later. PostgreSQL's
-- identity never hands an id out twice; SQLite's plain INTEGER PRIMARY KEY reuses the largest after it is
-- deleted, so there the table is rebuilt with AUTOINCREMENT. The search by identifier (the member id)
-- looks a coverage up across every patient.
{{sqlite}}
CREATE TABLE coverages_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  patient_id   BIGINT NOT NULL REFERENCES patients(id),
  payer        TEXT NOT NULL,
  member_id    TEXT NOT NULL,
  group_number TEXT NOT NULL DEFAULT '',
  relationship TEXT NOT NULL DEFAULT 'self',
  start_date   TEXT,
  end_date     TEXT
);
INSERT INTO coverages_new (id, patient_id, payer, member_id, group_number, relationship, start_date, end_date)
  SELECT id, patient_id, payer, member_id, group_number, relationship, start_date, end_date FROM coverages;
DROP TABLE coverages;
ALTER TABLE coverages_new RENAME TO coverages;
CREATE INDEX coverages_patient
  ON coverages(patient_id, id, payer, member_id, group_number, relationship, start_date, end_date);
{{end}}
CREATE INDEX coverages_member_id ON coverages(member_id);
