// The demo clinic's calendar: each provider's weekly availability templates
// (office hours with a lunch gap, Saturday clinics, evening and weekend shifts
// at urgent care), location-wide holidays and closures, and provider leave.
// Works on a Clinic whose providers are planned (demo_clinic.h), in plan
// indexes. Deterministic for the Rng's state. Thread-compatible.
#pragma once

#include "core/civil_time.h"
#include "demo/demo_clinic.h"
#include "demo/demo_random.h"

namespace caredesk::demo {

// Appends every provider's weekly templates to clinic.templates.
void PlanTemplates(Clinic& clinic, Rng& rng);

// Appends holidays (US federal holidays the clinics close on, and half days
// before Christmas and New Year) at every location that is not an urgent
// care, one staff meeting per such location, and leave for some providers,
// all between `first_day` and `last_day` inclusive.
void PlanExceptions(Clinic& clinic, CivilDate first_day, CivilDate last_day, Rng& rng);

}  // namespace caredesk::demo
