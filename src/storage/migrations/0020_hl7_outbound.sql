-- Outbound HL7 v2 (app/hl7_outbound_service.h): the MLLP peers an admin
-- configures, and the queue of messages CareDesk owes them (a transactional
-- outbox: a row is inserted in the transaction of the change it reports).
--
-- hl7_peers.feeds: 'SIU', 'ADT' or 'SIU,ADT'.
CREATE TABLE hl7_peers (
  id         {{id}},
  name       TEXT NOT NULL UNIQUE,
  host       TEXT NOT NULL,
  port       INTEGER NOT NULL,
  enabled    INTEGER NOT NULL DEFAULT 1,
  feeds      TEXT NOT NULL DEFAULT 'SIU,ADT',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- status:
--   pending    to be sent when next_attempt_at has come and no earlier message of the same peer
--              and patient is pending or dead (per-patient order);
--   sent       acknowledged AA/CA (ack_code, sent_at);
--   dead       refused (AR/CR) or out of attempts; holds the patient's later messages until it is
--              retried (back to pending) or discarded;
--   discarded  given up by a user: no longer holds anything.
CREATE TABLE hl7_outbound (
  id              {{id}},
  peer_id         BIGINT NOT NULL REFERENCES hl7_peers(id) ON DELETE CASCADE,
  patient_id      BIGINT NOT NULL,
  event           TEXT NOT NULL,            -- SIU^S12, ADT^A04, ...
  control_id      TEXT NOT NULL,            -- MSH-10
  message         TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  ack_code        TEXT NOT NULL DEFAULT '',
  sent_at         BIGINT
);
-- The dispatcher's pick (a peer's due pending messages in order) and the order check (a patient's
-- unfinished earlier messages at a peer).
CREATE INDEX hl7_outbound_pick ON hl7_outbound(peer_id, status, next_attempt_at, id);
CREATE INDEX hl7_outbound_patient ON hl7_outbound(peer_id, patient_id, status, id);
-- The UI's lists: by status, newest first; everything newest first.
CREATE INDEX hl7_outbound_status ON hl7_outbound(status, id);
