-- Utilisation sums the booked minutes (end_at - start_at) of appointments per
-- location and quarter hour: end_at joins the covering index of the metrics
-- pass over appointments (migration 0007), so that pass still reads the index only.
DROP INDEX appointments_location_metrics;
CREATE INDEX appointments_location_metrics ON appointments(location_id, start_at, status, created_at, provider_id, end_at);
