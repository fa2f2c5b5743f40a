-- What patients write — complaint descriptions, survey comments, compliments —
-- with the themes and sentiment the comment classifier gave them
-- (app/comment_service.h). `local_date` is the date at the location, so that
-- themes are counted per local day, week or month by plain text prefixes on
-- both engines. `model` names the classifier that judged the comment (empty:
-- none was loaded), so comments can be judged again after retraining.
CREATE TABLE comments (
  id          {{id}},
  source      TEXT NOT NULL,    -- case | survey
  source_id   BIGINT NOT NULL,
  location_id BIGINT REFERENCES locations(id),
  department  TEXT NOT NULL DEFAULT '',
  provider_id BIGINT REFERENCES providers(id),
  at          BIGINT NOT NULL,
  local_date  TEXT NOT NULL,    -- YYYY-MM-DD at the location
  text        TEXT NOT NULL,
  sentiment   TEXT NOT NULL DEFAULT '',  -- positive | neutral | negative | '' (not classified)
  model       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_date ON comments(local_date, location_id);
CREATE INDEX comments_source ON comments(source, source_id);

CREATE TABLE comment_themes (
  comment_id BIGINT NOT NULL REFERENCES comments(id),
  theme      TEXT NOT NULL,
  PRIMARY KEY (comment_id, theme)
);
CREATE INDEX comment_themes_theme ON comment_themes(theme, comment_id);
