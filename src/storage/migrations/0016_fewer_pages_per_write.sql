-- SQLite: two pages fewer in every commit that books or audits.
--
-- A booking's commit wrote 18 pages to the WAL (counted from the frame headers
-- of `app_benchmark book --threads 1` and named with dbstat). Two of them did
-- nothing a reader needs:
--
-- * audit_events.seq was declared BIGINT PRIMARY KEY, which SQLite keeps as a
--   separate unique index beside the table's own rowid; as INTEGER PRIMARY KEY
--   it is the rowid itself, so an audit entry no longer writes a page of that
--   index. Same columns, same values, same order; the hash chain is unchanged.
-- * The calendar change log (0003) deleted its oldest row on every change, one
--   more page at the far end of the log. A trigger on the log now trims it at
--   every 1,000th number, in one delete, to the last 100,000; in between it holds
--   up to 100,999. A reader still finds at least the last 100,000 changes, and a
--   reader further behind still sees the gap.
--
-- PostgreSQL keeps BIGINT keys in its own index anyway and trims the log per
-- statement (0006): nothing changes there.
{{sqlite}}
CREATE TABLE audit_events_rowid (
  seq            INTEGER PRIMARY KEY,
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
INSERT INTO audit_events_rowid (seq, at, user_id, username, role, action, patient_id, category, client_address,
                                outcome, detail, prev_hash, hash)
  SELECT seq, at, user_id, username, role, action, patient_id, category, client_address, outcome, detail, prev_hash,
         hash
    FROM audit_events ORDER BY seq;
DROP TABLE audit_events;
ALTER TABLE audit_events_rowid RENAME TO audit_events;
CREATE INDEX audit_events_patient ON audit_events(patient_id, at);
CREATE INDEX audit_events_user ON audit_events(username, at);
CREATE INDEX audit_events_at ON audit_events(at);

DROP TRIGGER appointments_calendar_insert;
DROP TRIGGER appointments_calendar_delete;
DROP TRIGGER appointments_calendar_update;

CREATE TRIGGER appointments_calendar_insert AFTER INSERT ON appointments
WHEN NEW.status IN ('booked', 'checked_in', 'completed', 'no_show')
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, NEW.provider_id, NEW.start_at / 86400000 FROM calendar_seq WHERE id = 1;
END;

CREATE TRIGGER appointments_calendar_delete AFTER DELETE ON appointments
WHEN OLD.status IN ('booked', 'checked_in', 'completed', 'no_show')
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, OLD.provider_id, OLD.start_at / 86400000 FROM calendar_seq WHERE id = 1;
END;

CREATE TRIGGER appointments_calendar_update AFTER UPDATE OF provider_id, start_at, end_at, status ON appointments
WHEN (OLD.status IN ('booked', 'checked_in', 'completed', 'no_show')
      OR NEW.status IN ('booked', 'checked_in', 'completed', 'no_show'))
 AND (OLD.provider_id <> NEW.provider_id OR OLD.start_at <> NEW.start_at OR OLD.end_at <> NEW.end_at
      OR (OLD.status IN ('booked', 'checked_in', 'completed', 'no_show'))
         <> (NEW.status IN ('booked', 'checked_in', 'completed', 'no_show')))
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, OLD.provider_id, OLD.start_at / 86400000 FROM calendar_seq WHERE id = 1;
  UPDATE calendar_seq SET seq = seq + 1
    WHERE id = 1 AND (NEW.provider_id <> OLD.provider_id OR NEW.start_at / 86400000 <> OLD.start_at / 86400000);
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, NEW.provider_id, NEW.start_at / 86400000 FROM calendar_seq
    WHERE id = 1 AND (NEW.provider_id <> OLD.provider_id OR NEW.start_at / 86400000 <> OLD.start_at / 86400000);
END;

-- Every number enters the log exactly once, so this fires once per 1,000 changes.
CREATE TRIGGER calendar_changes_trim AFTER INSERT ON calendar_changes
WHEN NEW.seq % 1000 = 0
BEGIN
  DELETE FROM calendar_changes WHERE seq <= NEW.seq - 100000;
END;
{{end}}
