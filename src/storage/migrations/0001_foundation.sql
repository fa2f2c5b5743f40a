-- Foundation: users and sessions, the audit trail, patients, scheduling and
-- patient flow. Instants are epoch milliseconds (BIGINT), dates ISO text,
-- flags 0/1 integers. {{id}} is the dialect's auto-increment primary key.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id            {{id}},
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
  id             {{id}},
  token_hash     TEXT NOT NULL UNIQUE,
  user_id        BIGINT NOT NULL REFERENCES users(id),
  created_at     BIGINT NOT NULL,
  last_seen_at   BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  revoked_at     BIGINT,
  client_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical row).
CREATE TABLE audit_events (
  seq            BIGINT PRIMARY KEY,
  at             BIGINT NOT NULL,
  user_id        BIGINT,
  username       TEXT NOT NULL,
  role           TEXT NOT NULL,
  action         TEXT NOT NULL,
  patient_id     BIGINT,
  category       TEXT NOT NULL,
  client_address TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  detail         TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
CREATE INDEX audit_events_patient ON audit_events(patient_id, at);
CREATE INDEX audit_events_user ON audit_events(username, at);
CREATE INDEX audit_events_at ON audit_events(at);

-- The head of the chain; its single row is locked by every appender.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY,
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE patients (
  id                       {{id}},
  mrn                      TEXT UNIQUE,
  given_name               TEXT NOT NULL,
  middle_name              TEXT NOT NULL DEFAULT '',
  family_name              TEXT NOT NULL,
  birth_date               TEXT NOT NULL,
  sex                      TEXT NOT NULL,
  phone                    TEXT NOT NULL DEFAULT '',
  email                    TEXT NOT NULL DEFAULT '',
  address_line1            TEXT NOT NULL DEFAULT '',
  address_line2            TEXT NOT NULL DEFAULT '',
  city                     TEXT NOT NULL DEFAULT '',
  state                    TEXT NOT NULL DEFAULT '',
  postal_code              TEXT NOT NULL DEFAULT '',
  country                  TEXT NOT NULL DEFAULT '',
  preferred_language       TEXT NOT NULL DEFAULT 'en',
  preferred_contact_method TEXT NOT NULL DEFAULT 'phone',
  emergency_name           TEXT NOT NULL DEFAULT '',
  emergency_relationship   TEXT NOT NULL DEFAULT '',
  emergency_phone          TEXT NOT NULL DEFAULT '',
  created_at               BIGINT NOT NULL,
  updated_at               BIGINT NOT NULL,
  version                  BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX patients_birth_date ON patients(birth_date);
CREATE INDEX patients_phone ON patients(phone);

-- Feed of changed patients, read by every server process to keep its
-- in-memory search index current.
CREATE TABLE patient_changes (
  seq        {{id}},
  patient_id BIGINT NOT NULL
);

CREATE TABLE coverages (
  id           {{id}},
  patient_id   BIGINT NOT NULL REFERENCES patients(id),
  payer        TEXT NOT NULL,
  member_id    TEXT NOT NULL,
  group_number TEXT NOT NULL DEFAULT '',
  relationship TEXT NOT NULL DEFAULT 'self',
  start_date   TEXT,
  end_date     TEXT
);
CREATE INDEX coverages_patient ON coverages(patient_id);

CREATE TABLE consents (
  id         {{id}},
  patient_id BIGINT NOT NULL REFERENCES patients(id),
  kind       TEXT NOT NULL,
  granted    INTEGER NOT NULL,
  date       TEXT NOT NULL
);
CREATE INDEX consents_patient ON consents(patient_id);

CREATE TABLE locations (
  id                 {{id}},
  name               TEXT NOT NULL,
  time_zone          TEXT NOT NULL,
  address            TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',
  flow_warn_minutes  INTEGER NOT NULL DEFAULT 15,
  flow_alert_minutes INTEGER NOT NULL DEFAULT 30
);

CREATE TABLE rooms (
  id          {{id}},
  location_id BIGINT NOT NULL REFERENCES locations(id),
  name        TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE providers (
  id           {{id}},
  name         TEXT NOT NULL,
  specialty    TEXT NOT NULL DEFAULT '',
  max_overbook INTEGER NOT NULL DEFAULT 0,
  active       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE provider_locations (
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  location_id BIGINT NOT NULL REFERENCES locations(id),
  PRIMARY KEY (provider_id, location_id)
);

CREATE TABLE appointment_types (
  id               {{id}},
  name             TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  modality         TEXT NOT NULL,
  color            TEXT NOT NULL DEFAULT '',
  active           INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE appointment_type_providers (
  appointment_type_id BIGINT NOT NULL REFERENCES appointment_types(id),
  provider_id         BIGINT NOT NULL REFERENCES providers(id),
  PRIMARY KEY (appointment_type_id, provider_id)
);

CREATE TABLE availability_templates (
  id           {{id}},
  provider_id  BIGINT NOT NULL REFERENCES providers(id),
  location_id  BIGINT NOT NULL REFERENCES locations(id),
  room_id      BIGINT REFERENCES rooms(id),
  weekday      INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute   INTEGER NOT NULL,
  valid_from   TEXT,
  valid_to     TEXT
);
CREATE INDEX availability_templates_provider ON availability_templates(provider_id);

CREATE TABLE schedule_exceptions (
  id           {{id}},
  provider_id  BIGINT REFERENCES providers(id),
  location_id  BIGINT REFERENCES locations(id),
  kind         TEXT NOT NULL,
  start_date   TEXT NOT NULL,
  end_date     TEXT NOT NULL,
  start_minute INTEGER,
  end_minute   INTEGER,
  reason       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE appointments (
  id                  {{id}},
  patient_id          BIGINT NOT NULL REFERENCES patients(id),
  appointment_type_id BIGINT NOT NULL REFERENCES appointment_types(id),
  provider_id         BIGINT NOT NULL REFERENCES providers(id),
  location_id         BIGINT NOT NULL REFERENCES locations(id),
  room_id             BIGINT REFERENCES rooms(id),
  start_at            BIGINT NOT NULL,
  end_at              BIGINT NOT NULL,
  status              TEXT NOT NULL,
  cancel_reason       TEXT NOT NULL DEFAULT '',
  notes               TEXT NOT NULL DEFAULT '',
  overbooked          INTEGER NOT NULL DEFAULT 0,
  join_token          TEXT NOT NULL DEFAULT '',
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE INDEX appointments_provider_start ON appointments(provider_id, start_at);
CREATE INDEX appointments_location_start ON appointments(location_id, start_at);
CREATE INDEX appointments_patient_start ON appointments(patient_id, start_at);

CREATE TABLE appointment_history (
  id             {{id}},
  appointment_id BIGINT NOT NULL REFERENCES appointments(id),
  status         TEXT NOT NULL,
  at             BIGINT NOT NULL,
  by_user        TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appointment_history_appointment ON appointment_history(appointment_id);

-- A booking claims every 5-minute unit it covers, per provider and seat.
-- The primary key is what makes a double booking impossible, also across
-- server processes: seat 0 is the regular booking, seats 1..max_overbook the
-- overbookings a provider's policy allows.
CREATE TABLE slot_claims (
  provider_id    BIGINT NOT NULL,
  unit_start     BIGINT NOT NULL,
  seat           INTEGER NOT NULL,
  appointment_id BIGINT NOT NULL REFERENCES appointments(id),
  PRIMARY KEY (provider_id, unit_start, seat)
);
CREATE INDEX slot_claims_appointment ON slot_claims(appointment_id);

CREATE TABLE encounters (
  id             {{id}},
  patient_id     BIGINT NOT NULL REFERENCES patients(id),
  appointment_id BIGINT UNIQUE REFERENCES appointments(id),
  location_id    BIGINT NOT NULL REFERENCES locations(id),
  provider_id    BIGINT REFERENCES providers(id),
  room_id        BIGINT REFERENCES rooms(id),
  state          TEXT NOT NULL,
  state_since    BIGINT NOT NULL,
  arrived_at     BIGINT NOT NULL,
  ended_at       BIGINT,
  walk_in        INTEGER NOT NULL DEFAULT 0,
  version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX encounters_location_active ON encounters(location_id, ended_at);
CREATE INDEX encounters_patient ON encounters(patient_id);

CREATE TABLE encounter_transitions (
  id           {{id}},
  encounter_id BIGINT NOT NULL REFERENCES encounters(id),
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  at           BIGINT NOT NULL,
  by_user      TEXT NOT NULL,
  undone_at    BIGINT,
  undone_by    TEXT
);
CREATE INDEX encounter_transitions_encounter ON encounter_transitions(encounter_id);
