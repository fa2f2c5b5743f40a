-- PostgreSQL: the calendar change log (0003) is written once per statement
-- instead of once per row. Per row, a bulk insert of appointments in one
-- transaction updated the counter row once per appointment; every update
-- leaves a row version that the same transaction must step over, so a load
-- of N rows cost O(N^2). Per statement, the counter moves once by the number
-- of changes, the changes are numbered from it in the order of the affected
-- rows' ids, and the log is trimmed by an exact range. The rules of what
-- counts as a change are those of 0003. SQLite deletes at once and keeps its
-- row triggers.
{{postgres}}
DROP TRIGGER appointments_calendar ON appointments;
DROP FUNCTION appointments_calendar();
DROP FUNCTION calendar_note(BIGINT, BIGINT);

CREATE FUNCTION calendar_log(changes_provider BIGINT[], changes_day BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  n BIGINT := COALESCE(array_length(changes_provider, 1), 0);
  last BIGINT;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  UPDATE calendar_seq SET seq = seq + n WHERE id = 1 RETURNING seq INTO last;
  INSERT INTO calendar_changes (seq, provider_id, day)
    SELECT last - n + i, changes_provider[i], changes_day[i] FROM generate_series(1, n) AS i;
  DELETE FROM calendar_changes WHERE seq > last - n - 100000 AND seq <= last - 100000;
END $$;

CREATE FUNCTION appointments_calendar_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM calendar_log(array_agg(provider_id ORDER BY id), array_agg(start_at / 86400000 ORDER BY id))
    FROM new_rows WHERE status IN ('booked', 'checked_in', 'completed', 'no_show');
  RETURN NULL;
END $$;

CREATE FUNCTION appointments_calendar_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM calendar_log(array_agg(provider_id ORDER BY id), array_agg(start_at / 86400000 ORDER BY id))
    FROM old_rows WHERE status IN ('booked', 'checked_in', 'completed', 'no_show');
  RETURN NULL;
END $$;

CREATE FUNCTION appointments_calendar_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each changed row names its old (provider, day), and its new one when that differs.
  PERFORM calendar_log(array_agg(p ORDER BY id, k), array_agg(d ORDER BY id, k)) FROM (
    SELECT o.id, 0 AS k, o.provider_id AS p, o.start_at / 86400000 AS d,
           o.provider_id AS np, n.start_at / 86400000 AS nd, o.start_at / 86400000 AS od
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE (o.status IN ('booked', 'checked_in', 'completed', 'no_show')
            OR n.status IN ('booked', 'checked_in', 'completed', 'no_show'))
       AND (o.provider_id <> n.provider_id OR o.start_at <> n.start_at OR o.end_at <> n.end_at
            OR (o.status IN ('booked', 'checked_in', 'completed', 'no_show'))
               <> (n.status IN ('booked', 'checked_in', 'completed', 'no_show')))
    UNION ALL
    SELECT o.id, 1, n.provider_id, n.start_at / 86400000, NULL, NULL, NULL
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE (o.status IN ('booked', 'checked_in', 'completed', 'no_show')
            OR n.status IN ('booked', 'checked_in', 'completed', 'no_show'))
       AND (o.provider_id <> n.provider_id OR o.start_at / 86400000 <> n.start_at / 86400000)
  ) changes;
  RETURN NULL;
END $$;

CREATE TRIGGER appointments_calendar_insert AFTER INSERT ON appointments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appointments_calendar_inserted();
CREATE TRIGGER appointments_calendar_delete AFTER DELETE ON appointments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION appointments_calendar_deleted();
CREATE TRIGGER appointments_calendar_update AFTER UPDATE ON appointments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION appointments_calendar_updated();
{{end}}
