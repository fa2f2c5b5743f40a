// The tables the demo fills in bulk: each INSERT head with its column count.
// Rows are appended to RowBuffers in exactly the order the head names the
// columns.
#pragma once

namespace caredesk::demo {

inline constexpr int kPatientColumns = 26;
inline constexpr char kInsertPatients[] =
    "INSERT INTO patients (id, mrn, given_name, middle_name, family_name, birth_date, sex, phone, email, "
    "address_line1, address_line2, city, state, postal_code, country, preferred_language, preferred_contact_method, "
    "emergency_name, emergency_relationship, emergency_phone, created_at, updated_at, version, given_fold, "
    "middle_fold, family_fold)";

inline constexpr int kCoverageColumns = 7;
inline constexpr char kInsertCoverages[] =
    "INSERT INTO coverages (patient_id, payer, member_id, group_number, relationship, start_date, end_date)";

inline constexpr int kConsentColumns = 4;
inline constexpr char kInsertConsents[] = "INSERT INTO consents (patient_id, kind, granted, date)";

inline constexpr int kAppointmentColumns = 15;
inline constexpr char kInsertAppointments[] =
    "INSERT INTO appointments (id, patient_id, appointment_type_id, provider_id, location_id, room_id, start_at, "
    "end_at, status, cancel_reason, notes, overbooked, join_token, created_at, updated_at)";

inline constexpr int kHistoryColumns = 5;
inline constexpr char kInsertHistory[] = "INSERT INTO appointment_history (appointment_id, status, at, by_user, note)";

inline constexpr int kClaimColumns = 4;
inline constexpr char kInsertClaims[] = "INSERT INTO slot_claims (provider_id, unit_start, seat, appointment_id)";

inline constexpr int kEncounterColumns = 13;
inline constexpr char kInsertEncounters[] =
    "INSERT INTO encounters (id, patient_id, appointment_id, location_id, provider_id, room_id, state, state_since, "
    "arrived_at, ended_at, walk_in, version, seen_at)";

inline constexpr int kTransitionColumns = 5;
inline constexpr char kInsertTransitions[] =
    "INSERT INTO encounter_transitions (encounter_id, from_state, to_state, at, by_user)";

}  // namespace caredesk::demo
