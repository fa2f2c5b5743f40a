-- Surveys (app/survey_service.h): published survey versions with their items
-- and measures, invitations sent after visits with their single-use links,
-- patients' opt-outs, responses (answered on the public page or imported from
-- a vendor's file) and their answers, and the import runs.
--
-- A version never changes once written. Links are stored only as SHA-256
-- hashes of their tokens; an invitation may have several (the email, each
-- reminder, a printed slip), all answering the one invitation.

CREATE TABLE survey_versions (
  survey_id  TEXT NOT NULL,
  version    INTEGER NOT NULL,
  title      TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (survey_id, version)
);

CREATE TABLE survey_items (
  survey_id    TEXT NOT NULL,
  version      INTEGER NOT NULL,
  position     INTEGER NOT NULL,
  item_id      TEXT NOT NULL,
  text         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  measure_id   TEXT NOT NULL DEFAULT '',
  top_values   TEXT NOT NULL DEFAULT '',  -- answer values, comma-separated
  middle_values TEXT NOT NULL DEFAULT '',
  bottom_values TEXT NOT NULL DEFAULT '',
  top_label    TEXT NOT NULL DEFAULT '',
  middle_label TEXT NOT NULL DEFAULT '',
  bottom_label TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (survey_id, version, position)
);

CREATE TABLE survey_measures (
  survey_id TEXT NOT NULL,
  version   INTEGER NOT NULL,
  position  INTEGER NOT NULL,
  measure_id TEXT NOT NULL,
  name      TEXT NOT NULL DEFAULT '',
  item_ids  TEXT NOT NULL,  -- comma-separated
  PRIMARY KEY (survey_id, version, position)
);

CREATE TABLE survey_invitations (
  id               {{id}},
  encounter_id     BIGINT UNIQUE REFERENCES encounters(id),
  patient_id       BIGINT NOT NULL REFERENCES patients(id),
  survey_id        TEXT NOT NULL,
  survey_version   INTEGER NOT NULL,
  location_id      BIGINT NOT NULL REFERENCES locations(id),
  provider_id      BIGINT REFERENCES providers(id),
  department       TEXT NOT NULL DEFAULT '',
  visit_date       TEXT NOT NULL,            -- YYYY-MM-DD at the location
  channel          TEXT NOT NULL,            -- email | print
  email            TEXT NOT NULL DEFAULT '',
  issued_at        BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  sent_at          BIGINT,
  printed_at       BIGINT,
  reminders        INTEGER NOT NULL DEFAULT 0,
  last_reminder_at BIGINT,
  next_send_at     BIGINT,                   -- when the next email (first or reminder) is due; null: none
  used_at          BIGINT,
  send_error       TEXT NOT NULL DEFAULT '',
  attempts         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX survey_invitations_send ON survey_invitations(next_send_at);
CREATE INDEX survey_invitations_issued ON survey_invitations(issued_at);
CREATE INDEX survey_invitations_patient ON survey_invitations(patient_id);
CREATE INDEX survey_invitations_visit ON survey_invitations(survey_id, visit_date);

CREATE TABLE survey_tokens (
  token_hash    TEXT PRIMARY KEY,
  invitation_id BIGINT NOT NULL REFERENCES survey_invitations(id),
  issued_at     BIGINT NOT NULL
);
CREATE INDEX survey_tokens_invitation ON survey_tokens(invitation_id);

CREATE TABLE survey_opt_outs (
  patient_id BIGINT PRIMARY KEY REFERENCES patients(id),
  at         BIGINT NOT NULL,
  via        TEXT NOT NULL  -- link | staff
);

CREATE TABLE survey_imports (
  id             {{id}},
  survey_id      TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  filename       TEXT NOT NULL DEFAULT '',
  at             BIGINT NOT NULL,
  by_user        TEXT NOT NULL,
  rows_read      BIGINT NOT NULL,
  accepted       BIGINT NOT NULL,
  rejected_rows  BIGINT NOT NULL
);
CREATE INDEX survey_imports_survey ON survey_imports(survey_id, at);

CREATE TABLE survey_responses (
  id             {{id}},
  survey_id      TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  source         TEXT NOT NULL,              -- web | import
  invitation_id  BIGINT UNIQUE REFERENCES survey_invitations(id),
  import_id      BIGINT REFERENCES survey_imports(id),
  respondent_id  TEXT NOT NULL DEFAULT '',   -- the vendor's id of an imported response
  encounter_id   BIGINT,
  patient_id     BIGINT,
  location_id    BIGINT REFERENCES locations(id),
  provider_id    BIGINT REFERENCES providers(id),
  location_label TEXT NOT NULL DEFAULT '',   -- as the vendor's file names it, when no location matched
  provider_label TEXT NOT NULL DEFAULT '',
  department     TEXT NOT NULL DEFAULT '',
  visit_date     TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD; '' when unknown
  received_at    BIGINT NOT NULL
);
CREATE INDEX survey_responses_visit ON survey_responses(survey_id, visit_date);
CREATE UNIQUE INDEX survey_responses_respondent ON survey_responses(survey_id, respondent_id) WHERE respondent_id <> '';

CREATE TABLE survey_answers (
  response_id BIGINT NOT NULL REFERENCES survey_responses(id),
  item_id     TEXT NOT NULL,
  value       INTEGER,
  text        TEXT,
  PRIMARY KEY (response_id, item_id)
);
