-- Improvement projects on a service metric and their PDSA cycles
-- (app/improvement_service.h). Dates are local dates, YYYY-MM-DD.
CREATE TABLE improvement_projects (
  id          {{id}},
  title       TEXT NOT NULL,
  aim         TEXT NOT NULL,
  metric_key  TEXT NOT NULL,
  location_id BIGINT REFERENCES locations(id),  -- NULL: all locations
  owner       TEXT NOT NULL DEFAULT '',
  start_date  TEXT NOT NULL,
  end_date    TEXT,
  target      DOUBLE PRECISION,
  status      TEXT NOT NULL,  -- active | completed | abandoned
  created_at  BIGINT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX improvement_projects_metric ON improvement_projects(metric_key, location_id);

CREATE TABLE pdsa_cycles (
  id         {{id}},
  project_id BIGINT NOT NULL REFERENCES improvement_projects(id),
  title      TEXT NOT NULL,
  plan       TEXT NOT NULL DEFAULT '',
  do_notes   TEXT NOT NULL DEFAULT '',
  study      TEXT NOT NULL DEFAULT '',
  act        TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,
  end_date   TEXT
);
CREATE INDEX pdsa_cycles_project ON pdsa_cycles(project_id, start_date);
