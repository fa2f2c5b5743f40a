-- Third next available appointment (IHI), recorded once a local day per
-- location (app/access_service.h): for each active appointment type and each
-- provider who does it and works at the location, the days from the day's
-- request to the third open slot. Kept, not recomputed, because what was open
-- on a past day cannot be read back from today's calendar.
CREATE TABLE access_snapshots (
  id                  {{id}},
  location_id         BIGINT NOT NULL REFERENCES locations(id),
  snapshot_date       TEXT NOT NULL,     -- YYYY-MM-DD, the location's local date of the request
  provider_id         BIGINT NOT NULL REFERENCES providers(id),
  appointment_type_id BIGINT NOT NULL REFERENCES appointment_types(id),
  taken_at            BIGINT NOT NULL,   -- the request's instant (epoch ms)
  days                INTEGER NOT NULL,  -- to the third open slot; the horizon (90) when fewer were open
  third_at            BIGINT,            -- the third open slot's start; NULL when fewer than three were open
  open_slots          INTEGER NOT NULL,  -- open slots found within the horizon, at most 3
  UNIQUE (location_id, snapshot_date, provider_id, appointment_type_id)
);
CREATE INDEX access_snapshots_provider ON access_snapshots(provider_id, snapshot_date);
