-- Appointment ids other systems give CareDesk appointments (inbound HL7 v2
-- SIU, app/hl7_inbound_siu.cc): SCH-1 (the placer's id) and SCH-2 (the
-- filler's id), each with its system — the EI's namespace id (else universal
-- id), else the sending facility (MSH-4) whose own number it is. One system's
-- placer (or filler) id names one CareDesk appointment; `kind` is part of the
-- key because a sender's placer and filler numbers come from different
-- counters and may coincide.
CREATE TABLE hl7_appointment_ids (
  system         TEXT NOT NULL,
  kind           TEXT NOT NULL,   -- placer | filler
  value          TEXT NOT NULL,   -- EI-1
  appointment_id BIGINT NOT NULL REFERENCES appointments(id),
  created_at     BIGINT NOT NULL,
  PRIMARY KEY (system, kind, value)
);
CREATE INDEX hl7_appointment_ids_appointment ON hl7_appointment_ids(appointment_id);
