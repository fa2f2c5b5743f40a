-- The calendar change log. Slot search keeps every provider's busy intervals
-- in memory (app/busy_cache.h) and must learn of every change to them, also
-- those made by another server process on the same database, by SQL typed by
-- hand or by any future writer. A trigger on appointments appends one row per
-- change to a provider's busy time on a UTC day (day = start_at / 86400000),
-- numbered without gaps by a single counter row; each search first reads the
-- rows after the last number it saw (one index probe when nothing changed)
-- and forgets those providers' days.
--
-- The counter row also orders writers: on PostgreSQL the UPDATE holds its row
-- lock to commit, so a change numbered n is committed before any change
-- numbered n + 1 can be numbered, and a reader that sees n + 1 has seen n.
-- The log keeps the last 100,000 changes; a reader further behind sees the
-- gap and forgets everything.
--
-- A change is an insert or delete of a slot-holding appointment (status
-- booked, checked_in, completed or no_show), or an update that moves one
-- (provider, start, end) or makes it hold or free its slot.
{{sqlite}}
CREATE TABLE calendar_seq (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO calendar_seq (id, seq) VALUES (1, 0);
CREATE TABLE calendar_changes (seq INTEGER PRIMARY KEY, provider_id BIGINT NOT NULL, day BIGINT NOT NULL);

CREATE TRIGGER appointments_calendar_insert AFTER INSERT ON appointments
WHEN NEW.status IN ('booked', 'checked_in', 'completed', 'no_show')
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, NEW.provider_id, NEW.start_at / 86400000 FROM calendar_seq WHERE id = 1;
  DELETE FROM calendar_changes WHERE seq <= (SELECT seq FROM calendar_seq WHERE id = 1) - 100000;
END;

CREATE TRIGGER appointments_calendar_delete AFTER DELETE ON appointments
WHEN OLD.status IN ('booked', 'checked_in', 'completed', 'no_show')
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT seq, OLD.provider_id, OLD.start_at / 86400000 FROM calendar_seq WHERE id = 1;
  DELETE FROM calendar_changes WHERE seq <= (SELECT seq FROM calendar_seq WHERE id = 1) - 100000;
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
  DELETE FROM calendar_changes WHERE seq <= (SELECT seq FROM calendar_seq WHERE id = 1) - 100000;
END;
{{end}}
{{postgres}}
CREATE TABLE calendar_seq (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
INSERT INTO calendar_seq (id, seq) VALUES (1, 0);
CREATE TABLE calendar_changes (seq BIGINT PRIMARY KEY, provider_id BIGINT NOT NULL, day BIGINT NOT NULL);

CREATE FUNCTION calendar_note(p BIGINT, start_at BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s BIGINT;
BEGIN
  UPDATE calendar_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO s;
  INSERT INTO calendar_changes (seq, provider_id, day) VALUES (s, p, start_at / 86400000);
  DELETE FROM calendar_changes WHERE seq <= s - 100000;
END $$;

CREATE FUNCTION appointments_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_busy BOOLEAN;
  new_busy BOOLEAN;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IN ('booked', 'checked_in', 'completed', 'no_show') THEN
      PERFORM calendar_note(NEW.provider_id, NEW.start_at);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('booked', 'checked_in', 'completed', 'no_show') THEN
      PERFORM calendar_note(OLD.provider_id, OLD.start_at);
    END IF;
  ELSE
    old_busy := OLD.status IN ('booked', 'checked_in', 'completed', 'no_show');
    new_busy := NEW.status IN ('booked', 'checked_in', 'completed', 'no_show');
    IF (old_busy OR new_busy) AND (old_busy <> new_busy OR OLD.provider_id <> NEW.provider_id
                                   OR OLD.start_at <> NEW.start_at OR OLD.end_at <> NEW.end_at) THEN
      PERFORM calendar_note(OLD.provider_id, OLD.start_at);
      IF NEW.provider_id <> OLD.provider_id OR NEW.start_at / 86400000 <> OLD.start_at / 86400000 THEN
        PERFORM calendar_note(NEW.provider_id, NEW.start_at);
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER appointments_calendar AFTER INSERT OR UPDATE OR DELETE ON appointments
FOR EACH ROW EXECUTE FUNCTION appointments_calendar();
{{end}}
