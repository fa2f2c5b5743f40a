-- FHIR bulk jobs ($export, $import): what each asked for and how far it got, kept here so that its status
-- survives a restart and any server process on the database can answer it. Their files are on disk, in the
-- export directory under the job's id. A running job's process moves heartbeat_at on every second; one that
-- stops doing so has died with its process. Only one import runs at a time, on every process together.
CREATE TABLE bulk_jobs (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL,              -- export | import
  user_id          BIGINT NOT NULL,            -- who started it: only they see it
  state            TEXT NOT NULL,              -- running | done | failed
  phase            TEXT NOT NULL DEFAULT '',
  done             BIGINT NOT NULL DEFAULT 0,
  total            BIGINT NOT NULL DEFAULT 0,
  transaction_time TEXT NOT NULL,              -- the instant the job started, as its manifest gives it
  request_url      TEXT NOT NULL DEFAULT '',
  result           TEXT NOT NULL DEFAULT '',   -- JSON: an export's files, an import's report
  error_kind       TEXT NOT NULL DEFAULT '',   -- invalid (the client's) | unavailable | internal
  error_field      TEXT NOT NULL DEFAULT '',
  error_message    TEXT NOT NULL DEFAULT '',
  cancel           INTEGER NOT NULL DEFAULT 0, -- asked to stop by a process other than its own
  started_at       BIGINT NOT NULL,
  heartbeat_at     BIGINT NOT NULL,
  finished_at      BIGINT
);
CREATE INDEX bulk_jobs_user ON bulk_jobs(user_id, kind, started_at);
CREATE INDEX bulk_jobs_state ON bulk_jobs(state, finished_at);
CREATE UNIQUE INDEX bulk_jobs_one_import ON bulk_jobs(kind) WHERE kind = 'import' AND state = 'running';
