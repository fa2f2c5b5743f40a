-- Inbound HL7 v2 messages (app/hl7_inbound_service.h): every message that
-- reaches CareDesk, stored before it is applied, with what became of it.
--
-- raw is the message exactly as received: as text when it is valid UTF-8
-- without NUL bytes (raw_encoding 'text'), otherwise base64 ('base64'), since
-- PostgreSQL's text holds neither invalid UTF-8 nor NUL.
--
-- status:
--   received   stored, not yet processed (or processing was cut short);
--   applied    applied to CareDesk's records and acknowledged AA; `note` says
--              what was done where only part of the message maps;
--   ignored    understood and acknowledged AA, but nothing in CareDesk to
--              change; `note` says why;
--   duplicate  a retransmission (same sender, MSH-10 and text as a message
--              applied or ignored before, named in `note`); acknowledged AA,
--              not applied again;
--   failed     an application error, acknowledged AE: a required field
--              missing or malformed, an unknown patient; may be reprocessed
--              once the cause is fixed;
--   rejected   refused, acknowledged AR: an unreadable header, an
--              unsupported message type, event or version.
-- error_code is the HL7 table 0357 condition (101, 204, ...), error_location
-- the HL7 location (PID-7), both empty without an error.
CREATE TABLE hl7_messages (
  id                  {{id}},
  received_at         BIGINT NOT NULL,
  peer                TEXT NOT NULL DEFAULT '',
  control_id          TEXT NOT NULL DEFAULT '',   -- MSH-10
  sending_application TEXT NOT NULL DEFAULT '',   -- MSH-3.1 (or .2)
  sending_facility    TEXT NOT NULL DEFAULT '',   -- MSH-4.1 (or .2)
  message_type        TEXT NOT NULL DEFAULT '',   -- MSH-9.1: ADT
  trigger_event       TEXT NOT NULL DEFAULT '',   -- MSH-9.2: A01
  version             TEXT NOT NULL DEFAULT '',   -- MSH-12.1
  raw                 TEXT NOT NULL,
  raw_encoding        TEXT NOT NULL DEFAULT 'text',  -- text | base64
  status              TEXT NOT NULL,
  ack_code            TEXT NOT NULL DEFAULT '',   -- AA | AE | AR; empty while received
  error_code          TEXT NOT NULL DEFAULT '',
  error_text          TEXT NOT NULL DEFAULT '',
  error_location      TEXT NOT NULL DEFAULT '',
  note                TEXT NOT NULL DEFAULT '',
  patient_id          BIGINT REFERENCES patients(id),
  attempts            INTEGER NOT NULL DEFAULT 0,
  processed_at        BIGINT
);
CREATE INDEX hl7_messages_status ON hl7_messages(status, received_at, id);
CREATE INDEX hl7_messages_received ON hl7_messages(received_at, id);
CREATE INDEX hl7_messages_patient ON hl7_messages(patient_id, received_at);
CREATE INDEX hl7_messages_control ON hl7_messages(control_id, sending_application, sending_facility);

-- Identifiers other systems give a patient (PID-3; FHIR Patient.identifier):
-- the assigning authority (CX-4), the value (CX-1) and its type (CX-5: MR,
-- SS, ...). One authority's value names one patient.
CREATE TABLE patient_identifiers (
  patient_id BIGINT NOT NULL REFERENCES patients(id),
  system     TEXT NOT NULL,
  value      TEXT NOT NULL,
  type       TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (system, value)
);
CREATE INDEX patient_identifiers_patient ON patient_identifiers(patient_id);
