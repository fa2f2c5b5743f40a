-- The first time an encounter was with a provider (transitions undone aside),
-- kept on the encounter itself so the service metrics read it from their
-- covering index instead of looking it up per encounter (issue 3's
-- dashboard budget). Triggers keep it true for every writer: an insert of a
-- with_provider transition can only make it earlier; undoing one recomputes.
ALTER TABLE encounters ADD COLUMN seen_at BIGINT;
UPDATE encounters SET seen_at = (SELECT MIN(t.at) FROM encounter_transitions t WHERE t.encounter_id = encounters.id
                                   AND t.to_state = 'with_provider' AND t.undone_at IS NULL);
DROP INDEX encounters_location_metrics;
CREATE INDEX encounters_location_metrics ON encounters(location_id, arrived_at, state, ended_at, provider_id, seen_at);
{{sqlite}}
CREATE TRIGGER encounter_seen_insert AFTER INSERT ON encounter_transitions
WHEN NEW.to_state = 'with_provider' AND NEW.undone_at IS NULL
BEGIN
  UPDATE encounters SET seen_at = NEW.at WHERE id = NEW.encounter_id AND (seen_at IS NULL OR seen_at > NEW.at);
END;
CREATE TRIGGER encounter_seen_undo AFTER UPDATE OF undone_at ON encounter_transitions
WHEN NEW.to_state = 'with_provider'
BEGIN
  UPDATE encounters SET seen_at = (SELECT MIN(t.at) FROM encounter_transitions t WHERE t.encounter_id = NEW.encounter_id
                                     AND t.to_state = 'with_provider' AND t.undone_at IS NULL)
   WHERE id = NEW.encounter_id;
END;
{{postgres}}
-- Per statement, so a bulk load of transitions costs one UPDATE.
CREATE FUNCTION encounter_seen_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE encounters e SET seen_at = n.first_at
    FROM (SELECT encounter_id, MIN(at) AS first_at FROM new_rows
           WHERE to_state = 'with_provider' AND undone_at IS NULL GROUP BY encounter_id) n
   WHERE e.id = n.encounter_id AND (e.seen_at IS NULL OR e.seen_at > n.first_at);
  RETURN NULL;
END $$;
CREATE TRIGGER encounter_seen_insert AFTER INSERT ON encounter_transitions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION encounter_seen_inserted();

CREATE FUNCTION encounter_seen_undone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.to_state = 'with_provider' AND NEW.undone_at IS DISTINCT FROM OLD.undone_at THEN
    UPDATE encounters SET seen_at = (SELECT MIN(t.at) FROM encounter_transitions t
                                      WHERE t.encounter_id = NEW.encounter_id AND t.to_state = 'with_provider'
                                        AND t.undone_at IS NULL)
     WHERE id = NEW.encounter_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER encounter_seen_undo AFTER UPDATE OF undone_at ON encounter_transitions
  FOR EACH ROW EXECUTE FUNCTION encounter_seen_undone();
{{end}}
