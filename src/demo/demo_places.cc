#include "demo/demo_places.h"

namespace caredesk::demo {
namespace {

using Codes = std::string_view;

constexpr Codes kManhattan[] = {"212", "646", "917", "332"};
constexpr Codes kOuterBoroughs[] = {"718", "347", "929", "917"};
constexpr Codes kHudsonCounty[] = {"201", "551"};
constexpr Codes kWestchester[] = {"914"};
constexpr Codes kChicago[] = {"312", "773", "872"};
constexpr Codes kNorthShore[] = {"847", "224"};
constexpr Codes kWestSuburbs[] = {"708", "464"};
constexpr Codes kDenver[] = {"303", "720"};
constexpr Codes kPhoenix[] = {"602", "623", "480"};
constexpr Codes kEastValley[] = {"480"};
constexpr Codes kWestValley[] = {"623"};
constexpr Codes kLosAngeles[] = {"213", "323", "310"};
constexpr Codes kSanGabriel[] = {"626"};
constexpr Codes kSanFernando[] = {"818", "747"};
constexpr Codes kWestside[] = {"310", "424"};
constexpr Codes kLongBeach[] = {"562"};

constexpr Town kMidtownTowns[] = {
    {"New York", "NY", 10001, 10040, kManhattan},    {"New York", "NY", 10065, 10075, kManhattan},
    {"Astoria", "NY", 11101, 11106, kOuterBoroughs}, {"Jersey City", "NJ", 7302, 7311, kHudsonCounty},
    {"Hoboken", "NJ", 7030, 7030, kHudsonCounty},    {"Bronx", "NY", 10451, 10475, kOuterBoroughs},
    {"Yonkers", "NY", 10701, 10710, kWestchester},
};
constexpr Town kBrooklynTowns[] = {
    {"Brooklyn", "NY", 11201, 11239, kOuterBoroughs},      {"Brooklyn", "NY", 11201, 11239, kOuterBoroughs},
    {"Staten Island", "NY", 10301, 10314, kOuterBoroughs}, {"Flushing", "NY", 11354, 11358, kOuterBoroughs},
    {"Jamaica", "NY", 11432, 11436, kOuterBoroughs},
};
constexpr Town kChicagoTowns[] = {
    {"Chicago", "IL", 60601, 60661, kChicago},      {"Chicago", "IL", 60601, 60661, kChicago},
    {"Evanston", "IL", 60201, 60208, kNorthShore},  {"Skokie", "IL", 60076, 60077, kNorthShore},
    {"Oak Park", "IL", 60301, 60304, kWestSuburbs}, {"Cicero", "IL", 60804, 60804, kWestSuburbs},
    {"Berwyn", "IL", 60402, 60402, kWestSuburbs},
};
constexpr Town kDenverTowns[] = {
    {"Denver", "CO", 80202, 80239, kDenver},    {"Denver", "CO", 80202, 80239, kDenver},
    {"Aurora", "CO", 80010, 80019, kDenver},    {"Lakewood", "CO", 80214, 80235, kDenver},
    {"Englewood", "CO", 80110, 80113, kDenver}, {"Littleton", "CO", 80120, 80128, kDenver},
    {"Arvada", "CO", 80002, 80005, kDenver},    {"Westminster", "CO", 80030, 80031, kDenver},
};
constexpr Town kPhoenixTowns[] = {
    {"Phoenix", "AZ", 85003, 85054, kPhoenix},       {"Phoenix", "AZ", 85003, 85054, kPhoenix},
    {"Tempe", "AZ", 85281, 85284, kEastValley},      {"Mesa", "AZ", 85201, 85215, kEastValley},
    {"Scottsdale", "AZ", 85250, 85262, kEastValley}, {"Glendale", "AZ", 85301, 85310, kWestValley},
    {"Chandler", "AZ", 85224, 85226, kEastValley},
};
constexpr Town kLosAngelesTowns[] = {
    {"Los Angeles", "CA", 90004, 90068, kLosAngeles}, {"Los Angeles", "CA", 90004, 90068, kLosAngeles},
    {"Pasadena", "CA", 91101, 91107, kSanGabriel},    {"Glendale", "CA", 91201, 91210, kSanFernando},
    {"Burbank", "CA", 91501, 91506, kSanFernando},    {"Santa Monica", "CA", 90401, 90405, kWestside},
    {"Long Beach", "CA", 90802, 90815, kLongBeach},   {"Inglewood", "CA", 90301, 90305, kWestside},
};

// Heritage order: Anglo, Hispanic, African American, Chinese, Korean, Japanese, Vietnamese,
// Filipino, South Asian, Middle Eastern, Eastern European, Portuguese.
constexpr Site kSites[] = {
    {"Midtown Manhattan Medical Group",
     "America/New_York",
     "425 Lexington Ave, New York, NY 10017",
     "2125550140",
     15,
     30,
     12,
     1.25,
     false,
     0.20,
     kMidtownTowns,
     {0.40, 0.20, 0.14, 0.06, 0.02, 0.01, 0.01, 0.01, 0.05, 0.03, 0.05, 0.02}},
    {"Brooklyn Heights Family Health",
     "America/New_York",
     "150 Court St, Brooklyn, NY 11201",
     "7185550162",
     15,
     30,
     9,
     1.1,
     false,
     0.16,
     kBrooklynTowns,
     {0.33, 0.18, 0.22, 0.07, 0.01, 0.005, 0.01, 0.01, 0.04, 0.04, 0.08, 0.01}},
    {"Lakeshore Medical Center",
     "America/Chicago",
     "680 N Lake Shore Dr, Chicago, IL 60611",
     "3125550188",
     20,
     40,
     11,
     1.0,
     false,
     0.20,
     kChicagoTowns,
     {0.40, 0.22, 0.22, 0.03, 0.01, 0.005, 0.01, 0.015, 0.04, 0.02, 0.06, 0.005}},
    {"Front Range Health Center",
     "America/Denver",
     "2800 E Colfax Ave, Denver, CO 80206",
     "3035550117",
     15,
     30,
     8,
     0.8,
     false,
     0.14,
     kDenverTowns,
     {0.58, 0.27, 0.07, 0.015, 0.01, 0.005, 0.015, 0.005, 0.015, 0.01, 0.02, 0.005}},
    {"Desert Sky Family Clinic",
     "America/Phoenix",
     "3200 N Central Ave, Phoenix, AZ 85012",
     "6025550193",
     15,
     30,
     7,
     0.9,
     false,
     0.12,
     kPhoenixTowns,
     {0.50, 0.36, 0.06, 0.015, 0.005, 0.005, 0.01, 0.01, 0.015, 0.01, 0.01, 0.005}},
    {"Sunset Valley Medical & 24-Hour Urgent Care",
     "America/Los_Angeles",
     "4850 W Sunset Blvd, Los Angeles, CA 90027",
     "3235550126",
     20,
     45,
     10,
     1.35,
     true,
     0.18,
     kLosAngelesTowns,
     {0.28, 0.45, 0.08, 0.04, 0.04, 0.015, 0.02, 0.04, 0.02, 0.04, 0.01, 0.005}},
};

constexpr StatePlans kStatePlans[] = {
    {"NY", "Empire BlueCross BlueShield", "New York Medicaid", "EmblemHealth"},
    {"NJ", "Horizon Blue Cross Blue Shield of New Jersey", "NJ FamilyCare", "AmeriHealth New Jersey"},
    {"IL", "Blue Cross and Blue Shield of Illinois", "Illinois Medicaid", "Health Alliance"},
    {"CO", "Anthem Blue Cross and Blue Shield", "Health First Colorado", "Kaiser Permanente Colorado"},
    {"AZ", "Blue Cross Blue Shield of Arizona", "AHCCCS", "Banner|Aetna"},
    {"CA", "Anthem Blue Cross", "Medi-Cal", "Kaiser Permanente"},
};
constexpr StatePlans kGenericPlans = {"", "Blue Cross Blue Shield", "Medicaid", "Ambetter"};

constexpr std::string_view kCommercial[] = {"Aetna", "UnitedHealthcare", "Cigna", "Humana", "Oscar Health", "Ambetter",
                                            "Aetna", "UnitedHealthcare", "Cigna"};
constexpr std::string_view kMedicareAdvantage[] = {"Humana Medicare Advantage", "AARP Medicare Advantage",
                                                   "Aetna Medicare", "Wellcare"};

}  // namespace

std::span<const Site> Sites() { return kSites; }

const StatePlans& PlansFor(std::string_view state) {
  for (const StatePlans& plans : kStatePlans) {
    if (plans.state == state) return plans;
  }
  return kGenericPlans;
}

std::span<const std::string_view> CommercialPayers() { return kCommercial; }
std::span<const std::string_view> MedicareAdvantagePlans() { return kMedicareAdvantage; }

}  // namespace caredesk::demo
