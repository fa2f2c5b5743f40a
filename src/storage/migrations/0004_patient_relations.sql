-- Patient relations: complaints, grievances and inquiries (app/relations_service.h).
-- Binary content (attachments, letter PDFs) is stored base64-encoded as text,
-- the one value type both engines share (storage/db.h).

-- Reference numbers CD-<year>-<sequence>-<check>: one counter per year.
CREATE TABLE case_sequences (
  year BIGINT PRIMARY KEY,
  last BIGINT NOT NULL
);

CREATE TABLE cases (
  id                     {{id}},
  reference_number       TEXT NOT NULL UNIQUE,
  kind                   TEXT NOT NULL,           -- complaint | grievance | inquiry
  inquiry_type           TEXT,
  status                 TEXT NOT NULL,
  channel                TEXT NOT NULL,
  category               TEXT NOT NULL,
  severity               TEXT NOT NULL,
  description            TEXT NOT NULL,
  desired_outcome        TEXT NOT NULL DEFAULT '',
  patient_id             BIGINT REFERENCES patients(id),
  encounter_id           BIGINT REFERENCES encounters(id),
  location_id            BIGINT NOT NULL REFERENCES locations(id),
  department             TEXT NOT NULL DEFAULT '',
  staff_member           TEXT NOT NULL DEFAULT '',
  contact_name           TEXT NOT NULL DEFAULT '',
  contact_email          TEXT NOT NULL DEFAULT '',
  contact_phone          TEXT NOT NULL DEFAULT '',
  contact_preference     TEXT NOT NULL,
  owner_user_id          BIGINT REFERENCES users(id),
  facts                  TEXT NOT NULL DEFAULT '', -- intake facts that hold, comma-separated codes
  triage_chosen          TEXT,                     -- set when the triage is confirmed
  triage_overridden      INTEGER NOT NULL DEFAULT 0,
  triage_override_reason TEXT NOT NULL DEFAULT '',
  triage_by              TEXT NOT NULL DEFAULT '',
  triage_at              BIGINT,
  received_at            BIGINT NOT NULL,
  acknowledged_at        BIGINT,
  interim_notice_at      BIGINT,
  resolved_at            BIGINT,
  decision_letter_at     BIGINT,
  closed_at              BIGINT,
  reopened_at            BIGINT,
  next_due_at            BIGINT,                   -- earliest pending deadline as of the last write
  source                 TEXT NOT NULL,            -- staff | public
  created_by             TEXT NOT NULL,
  created_at             BIGINT NOT NULL,
  updated_at             BIGINT NOT NULL
);
CREATE INDEX cases_open_due ON cases(status, next_due_at);
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_patient ON cases(patient_id);
CREATE INDEX cases_owner ON cases(owner_user_id);

CREATE TABLE case_events (
  id      {{id}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at      BIGINT NOT NULL,
  by_user TEXT NOT NULL,
  type    TEXT NOT NULL,  -- intake | note | action | status | owner | triage | interim_notice | letter | attachment
  text    TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE case_attachments (
  id           {{id}},
  case_id      BIGINT NOT NULL REFERENCES cases(id),
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         BIGINT NOT NULL,
  data_base64  TEXT NOT NULL,
  uploaded_at  BIGINT NOT NULL,
  uploaded_by  TEXT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id, id);

-- The written decision of a grievance: its fields, the text rendered from the
-- template when saved, and the PDF laid out from that text.
CREATE TABLE case_letters (
  case_id             BIGINT PRIMARY KEY REFERENCES cases(id),
  contact_name        TEXT NOT NULL,
  contact_title       TEXT NOT NULL,
  contact_phone       TEXT NOT NULL,
  investigation_steps TEXT NOT NULL,
  results             TEXT NOT NULL,
  completion_date     TEXT NOT NULL,
  letter_date         TEXT NOT NULL,
  further_recourse    TEXT NOT NULL,
  rendered_text       TEXT NOT NULL,
  pdf_base64          TEXT NOT NULL,
  updated_at          BIGINT NOT NULL,
  sent_at             BIGINT
);

-- Business-day calendars per location; a location without a row works
-- Monday to Friday with no holidays.
CREATE TABLE location_calendars (
  location_id      BIGINT PRIMARY KEY REFERENCES locations(id),
  working_weekdays TEXT NOT NULL,  -- "1,2,3,4,5", 0 = Sunday
  holidays         TEXT NOT NULL   -- "2026-12-25,2027-01-01"
);
