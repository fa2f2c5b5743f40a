-- A user's unit: the location (and, optionally, department) whose patients'
-- comments staff without the analytics permission may read
-- (app/comment_service.h). NULL: no unit.
ALTER TABLE users ADD COLUMN location_id BIGINT REFERENCES locations(id);
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
