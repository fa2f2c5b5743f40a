-- Merging a duplicate patient record into the one that stays (registration's duplicate clean-up, HL7 v2
-- ADT^A40), and undoing it. The merged record stays, marked `merged_into` its survivor, so that its MRN, its
-- history and its audit trail still resolve; it is out of search and takes no new bookings.
-- `patient_merges` is each merge, undone or not; `patient_merge_moves` names every row the merge moved from
-- the merged patient to the survivor (appointments, encounters, coverages, consents, cases, survey
-- invitations and responses, a survey opt-out) and `patient_merge_identifiers` every identifier from other
-- systems, so that an unmerge moves exactly those back and leaves what was added to the survivor since.
ALTER TABLE patients ADD COLUMN merged_into BIGINT REFERENCES patients(id);

CREATE TABLE patient_merges (
  id          {{id}},
  survivor_id BIGINT NOT NULL REFERENCES patients(id),
  merged_id   BIGINT NOT NULL REFERENCES patients(id),
  at          BIGINT NOT NULL,
  username    TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  undone_at   BIGINT,
  undone_by   TEXT,
  undo_reason TEXT
);
CREATE INDEX patient_merges_survivor ON patient_merges(survivor_id, id);
CREATE INDEX patient_merges_merged ON patient_merges(merged_id, id);

CREATE TABLE patient_merge_moves (
  merge_id   BIGINT NOT NULL REFERENCES patient_merges(id),
  table_name TEXT NOT NULL,
  row_id     BIGINT NOT NULL,
  PRIMARY KEY (merge_id, table_name, row_id)
);

CREATE TABLE patient_merge_identifiers (
  merge_id BIGINT NOT NULL REFERENCES patient_merges(id),
  system   TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (merge_id, system, value)
);
