-- Every earlier version of a patient's record, kept by the database itself
-- whichever path changed it (the UI, the REST API, HL7 v2, FHIR): when an
-- update moves a patient to a new version, the row as it was goes here. The
-- current version stays in patients. FHIR vread and history read them.
CREATE TABLE patient_versions (
  patient_id               BIGINT NOT NULL,
  version                  BIGINT NOT NULL,
  mrn                      TEXT,
  given_name               TEXT NOT NULL,
  middle_name              TEXT NOT NULL,
  family_name              TEXT NOT NULL,
  birth_date               TEXT,
  sex                      TEXT NOT NULL,
  phone                    TEXT NOT NULL,
  email                    TEXT NOT NULL,
  address_line1            TEXT NOT NULL,
  address_line2            TEXT NOT NULL,
  city                     TEXT NOT NULL,
  state                    TEXT NOT NULL,
  postal_code              TEXT NOT NULL,
  country                  TEXT NOT NULL,
  preferred_language       TEXT NOT NULL,
  preferred_contact_method TEXT NOT NULL,
  emergency_name           TEXT NOT NULL,
  emergency_relationship   TEXT NOT NULL,
  emergency_phone          TEXT NOT NULL,
  created_at               BIGINT NOT NULL,
  updated_at               BIGINT NOT NULL,
  PRIMARY KEY (patient_id, version)
);
{{sqlite}}
CREATE TRIGGER patients_keep_version AFTER UPDATE OF version ON patients
WHEN OLD.version <> NEW.version
BEGIN
  INSERT INTO patient_versions (patient_id, version, mrn, given_name, middle_name, family_name, birth_date, sex, phone,
                                email, address_line1, address_line2, city, state, postal_code, country,
                                preferred_language, preferred_contact_method, emergency_name, emergency_relationship,
                                emergency_phone, created_at, updated_at)
  VALUES (OLD.id, OLD.version, OLD.mrn, OLD.given_name, OLD.middle_name, OLD.family_name, OLD.birth_date, OLD.sex,
          OLD.phone, OLD.email, OLD.address_line1, OLD.address_line2, OLD.city, OLD.state, OLD.postal_code,
          OLD.country, OLD.preferred_language, OLD.preferred_contact_method, OLD.emergency_name,
          OLD.emergency_relationship, OLD.emergency_phone, OLD.created_at, OLD.updated_at);
END;
{{postgres}}
CREATE FUNCTION patients_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patient_versions (patient_id, version, mrn, given_name, middle_name, family_name, birth_date, sex, phone,
                                email, address_line1, address_line2, city, state, postal_code, country,
                                preferred_language, preferred_contact_method, emergency_name, emergency_relationship,
                                emergency_phone, created_at, updated_at)
  VALUES (OLD.id, OLD.version, OLD.mrn, OLD.given_name, OLD.middle_name, OLD.family_name, OLD.birth_date, OLD.sex,
          OLD.phone, OLD.email, OLD.address_line1, OLD.address_line2, OLD.city, OLD.state, OLD.postal_code,
          OLD.country, OLD.preferred_language, OLD.preferred_contact_method, OLD.emergency_name,
          OLD.emergency_relationship, OLD.emergency_phone, OLD.created_at, OLD.updated_at);
  RETURN NULL;
END $$;
CREATE TRIGGER patients_keep_version AFTER UPDATE OF version ON patients
FOR EACH ROW WHEN (OLD.version <> NEW.version) EXECUTE FUNCTION patients_keep_version();
{{end}}
