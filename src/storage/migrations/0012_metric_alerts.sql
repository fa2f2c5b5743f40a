-- Alerts for new special causes on the service metrics (app/metric_alert_service.h).
--
-- One alert a signal episode: a metric at a location, on its weekly or monthly
-- chart, whose latest complete period shows a special cause. While the next
-- periods keep the same kind of signal (improvement or concern) the episode
-- runs on (last_period_start moves); a period without it ends the episode,
-- and a later signal is a new alert.
CREATE TABLE metric_alerts (
  id                 {{id}},
  metric_key         TEXT NOT NULL,
  location_id        BIGINT NOT NULL REFERENCES locations(id),
  period             TEXT NOT NULL,  -- week | month: the chart's interval
  first_period_start TEXT NOT NULL,  -- YYYY-MM-DD, local
  last_period_start  TEXT NOT NULL,
  periods            INTEGER NOT NULL,  -- consecutive periods with the signal
  special_cause      TEXT NOT NULL,  -- spc::SpecialCauseTypeName of the first period
  point_type         TEXT NOT NULL,  -- spc::PointTypeName: special_cause_improvement | _concern | _neutral_*
  value              DOUBLE PRECISION,
  centre             DOUBLE PRECISION,
  lower_limit        DOUBLE PRECISION,
  upper_limit        DOUBLE PRECISION,
  detected_at        BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  acknowledged_at    BIGINT,
  acknowledged_by    TEXT,
  note               TEXT NOT NULL DEFAULT '',
  UNIQUE (metric_key, location_id, period, first_period_start)
);
CREATE INDEX metric_alerts_recent ON metric_alerts(location_id, detected_at);
CREATE INDEX metric_alerts_running ON metric_alerts(metric_key, location_id, period, last_period_start);

-- Who is emailed which new alerts: a location (NULL: every location) and a
-- metric ('*': every metric), at an address the user gives.
CREATE TABLE metric_alert_subscriptions (
  id          {{id}},
  user_id     BIGINT NOT NULL REFERENCES users(id),
  location_id BIGINT REFERENCES locations(id),
  metric_key  TEXT NOT NULL,
  email       TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX metric_alert_subscriptions_one ON metric_alert_subscriptions(user_id, COALESCE(location_id, 0), metric_key);

-- One email a new alert and subscriber, sent (several alerts to one address
-- in one message) by the scanner; `claim` marks the rows one sender took.
CREATE TABLE metric_alert_emails (
  alert_id        BIGINT NOT NULL REFERENCES metric_alerts(id),
  user_id         BIGINT NOT NULL REFERENCES users(id),
  email           TEXT NOT NULL,
  status          TEXT NOT NULL,  -- pending | sent | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,         -- NULL once sent or given up
  claim           TEXT NOT NULL DEFAULT '',
  sent_at         BIGINT,
  last_error      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (alert_id, user_id)
);
CREATE INDEX metric_alert_emails_due ON metric_alert_emails(next_attempt_at);
