// The demo clinic's sites and their neighbourhoods: each location with its
// time zone, address, rooms and flow character, the towns its patients live
// in (ZIP ranges and area codes), who lives there, and the health plans of
// each state. Constant data; thread-safe.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "demo/demo_names.h"

namespace caredesk::demo {

struct Town {
  std::string_view name;
  std::string_view state;  // USPS code
  int zip_first;           // a range of real ZIP codes of the town
  int zip_last;
  std::span<const std::string_view> area_codes;
};

struct Site {
  std::string_view name;
  std::string_view time_zone;
  std::string_view address;
  std::string_view phone;  // digits
  int flow_warn_minutes;
  int flow_alert_minutes;
  int rooms;
  double wait_factor;  // waits here run this much longer than typical
  bool urgent_care;    // open around the clock, every day; many walk-ins
  double patient_share;
  std::span<const Town> towns;
  std::array<double, kHeritageCount> heritage_mix;  // relative, by Heritage
};

std::span<const Site> Sites();

// The plans sold in a state.
struct StatePlans {
  std::string_view state;
  std::string_view blue_cross;  // the state's Blue Cross Blue Shield plan
  std::string_view medicaid;    // the state's Medicaid programme
  std::string_view regional;    // a regional commercial plan
};
// The plans of `state`; a generic set for states not listed.
const StatePlans& PlansFor(std::string_view state);

// National commercial payers and the Medicare Advantage plans.
std::span<const std::string_view> CommercialPayers();
std::span<const std::string_view> MedicareAdvantagePlans();

}  // namespace caredesk::demo
