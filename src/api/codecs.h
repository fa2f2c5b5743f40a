// JSON encodings shared between handler files.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "domain/audit/audit_record.h"
#include "domain/spc/spc_chart.h"
#include "storage/appointment_repository.h"
#include "storage/user_repository.h"

namespace caredesk::api {

boost::json::object AuditEventJson(const AuditRecord& r);                                  // audit_handlers.cc
boost::json::object AppointmentJson(const db::AppointmentRow& a, const std::string& join_url);  // appointment_handlers.cc
boost::json::object UserJson(const db::UserRow& u);                                        // session_handlers.cc
boost::json::object EncodeChart(const spc::SpcChart& chart);                               // analytics_handlers.cc

}  // namespace caredesk::api
