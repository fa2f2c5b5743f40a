-- The survey metrics (app/metrics_service.cc) read invitations and responses
-- by the visit's local date across all surveys, optionally at one location.
CREATE INDEX survey_invitations_date ON survey_invitations(visit_date, location_id);
CREATE INDEX survey_responses_date ON survey_responses(visit_date, location_id);
