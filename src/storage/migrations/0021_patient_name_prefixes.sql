-- FHIR Patient search (name, family, given) matches the start of a name part
-- whatever its case, and identifier searches look values up without their
-- system. Without these indexes each such search read all the patients (0.4 s
-- at 1,000,000). A prefix is the range [prefix, prefix with its last byte
-- raised) of the lower-cased name in byte order, so PostgreSQL's indexes use
-- the "C" collation, as PatientSearchRepository's queries do.
{{sqlite}}
CREATE INDEX patients_family_lower ON patients(LOWER(family_name));
CREATE INDEX patients_given_lower ON patients(LOWER(given_name));
CREATE INDEX patients_middle_lower ON patients(LOWER(middle_name));
{{postgres}}
CREATE INDEX patients_family_lower ON patients((LOWER(family_name) COLLATE "C"));
CREATE INDEX patients_given_lower ON patients((LOWER(given_name) COLLATE "C"));
CREATE INDEX patients_middle_lower ON patients((LOWER(middle_name) COLLATE "C"));
{{end}}
CREATE INDEX patient_identifiers_value ON patient_identifiers(value);
