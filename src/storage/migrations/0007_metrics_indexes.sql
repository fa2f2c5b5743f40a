-- Service metrics (app/metrics_service.h) sum appointments by start,
-- encounters by arrival and cases by receipt at a location over a period,
-- one pass per table. These indexes hold every column those passes read, so
-- each is an index range scan that never visits the table rows. The first
-- replaces appointments_location_start, its prefix.
CREATE INDEX appointments_location_metrics ON appointments(location_id, start_at, status, created_at, provider_id);
DROP INDEX appointments_location_start;
CREATE INDEX encounters_location_metrics ON encounters(location_id, arrived_at, state, ended_at, provider_id);
CREATE INDEX encounter_transitions_first ON encounter_transitions(encounter_id, to_state, undone_at, at);
CREATE INDEX cases_location_received ON cases(location_id, received_at, kind, acknowledged_at);
