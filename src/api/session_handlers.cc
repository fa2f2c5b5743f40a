// POST/GET/DELETE /api/v1/session and the user administration endpoints.
#include "api/codecs.h"
#include "api/handler_support.h"

namespace caredesk::api {
namespace json = boost::json;

json::object UserJson(const db::UserRow& u) {
  return {{"id", u.id},         {"username", u.username},
          {"display_name", u.display_name}, {"role", u.role},
          {"active", u.active}, {"location_id", OptionalValue(u.location_id)},
          {"department", u.department}};
}

void RegisterSessionRoutes(http::Router& router, Services& s) {
  router.Add("POST", "/api/v1/session", Public([&s](http::Request& req) -> http::Response {
               API_TRY(JsonBody body, JsonBody::Parse(req.body));
               API_TRY(std::string username, body.RequiredString("username"));
               API_TRY(std::string password, body.RequiredString("password"));
               req.log_user = username;
               API_TRY(auto login, s.auth.Login(username, password, req.client_address));
               json::object out{{"token", login.token},
                                {"expires_at", FormatInstantUtc(FromMillis(login.expires_at_ms))},
                                {"user", UserJson(login.user)}};
               return JsonResponse(201, out);
             }));

  // Tokens for other systems: SMART scopes on /fhir/R4, for a fixed number of days.
  router.Add("POST", "/api/v1/system-tokens",
             Authed(s, Permission::kUserAdmin, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody body, JsonBody::Parse(req.body));
               API_TRY(std::string username, body.RequiredString("username"));
               API_TRY(std::string scope, body.RequiredString("scope"));
               API_TRY(std::optional<int64_t> days, body.Int("days"));
               if (days && (*days < 1 || *days > AuthService::kMaxTokenDays)) {
                 return Fail(Error::Invalid("days", "a token lasts 1 to " +
                                                        std::to_string(AuthService::kMaxTokenDays) + " days"));
               }
               API_TRY(auto issued, s.auth.IssueToken(a, username, scope, static_cast<int>(days.value_or(90))));
               API_TRY(SmartScopes scopes, ParseSmartScopes(scope));
               return JsonResponse(201, json::object{{"id", issued.session_id},
                                                     {"token", issued.token},
                                                     {"expires_at", FormatInstantUtc(FromMillis(issued.expires_at_ms))},
                                                     {"scope", scopes.text},
                                                     {"user", UserJson(issued.user)}});
             }));

  router.Add("GET", "/api/v1/system-tokens",
             Authed(s, Permission::kUserAdmin, [&s](http::Request&, const Actor&) -> http::Response {
               API_TRY(auto tokens, s.auth.SystemTokens());
               json::array items;
               for (const auto& t : tokens) {
                 items.push_back(json::object{{"id", t.id},
                                              {"scope", t.scopes.value_or("")},
                                              {"user", UserJson(t.user)},
                                              {"issued_at", FormatInstantUtc(FromMillis(t.created_at))},
                                              {"expires_at", FormatInstantUtc(FromMillis(t.expires_at))},
                                              {"last_used_at", FormatInstantUtc(FromMillis(t.last_seen_at))}});
               }
               return ItemsResponse(std::move(items));
             }));
  router.Add("DELETE", "/api/v1/system-tokens/{id}",
             Authed(s, Permission::kUserAdmin, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_CHECK(s.auth.RevokeSystemToken(a, id));
               return http::Response::NoContent();
             }));

  router.Add("GET", "/api/v1/session",
             Authed(s, Permission::kSetupRead, [&s](http::Request&, const Actor& a) -> http::Response {
               json::array perms;
               for (Permission p : PermissionsOf(a.role)) perms.emplace_back(PermissionName(p));
               API_TRY(auto users, s.auth.ListUsers());
               json::object user{{"id", a.user_id}, {"username", a.username}, {"role", RoleName(a.role)}};
               for (const auto& u : users) {
                 if (u.id == a.user_id) user = UserJson(u);
               }
               return JsonResponse(200, json::object{{"user", user}, {"permissions", perms}});
             }));

  router.Add("DELETE", "/api/v1/session",
             Authed(s, Permission::kSetupRead, [&s](http::Request&, const Actor& a) -> http::Response {
               API_CHECK(s.auth.Logout(a));
               return http::Response::NoContent();
             }));
}

void RegisterUserRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/users",
             Authed(s, Permission::kUserAdmin, [&s](http::Request&, const Actor&) -> http::Response {
               API_TRY(auto users, s.auth.ListUsers());
               json::array items;
               for (const auto& u : users) items.push_back(UserJson(u));
               return ItemsResponse(std::move(items));
             }));

  router.Add("POST", "/api/v1/users",
             Authed(s, Permission::kUserAdmin, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(JsonBody body, JsonBody::Parse(req.body));
               NewUser nu;
               API_TRY(nu.username, body.RequiredString("username"));
               API_TRY(nu.display_name, body.StringOr("display_name", ""));
               API_TRY(nu.role, body.RequiredString("role"));
               API_TRY(nu.password, body.RequiredString("password"));
               API_TRY(nu.location_id, body.Int("location_id"));
               API_TRY(nu.department, body.StringOr("department", ""));
               API_TRY(auto user, s.auth.CreateUser(a, nu));
               return JsonResponse(201, UserJson(user));
             }));

  router.Add("PUT", "/api/v1/users/{id}",
             Authed(s, Permission::kUserAdmin, [&s](http::Request& req, const Actor& a) -> http::Response {
               API_TRY(int64_t id, PathId(req));
               API_TRY(JsonBody body, JsonBody::Parse(req.body));
               UserChange change;
               API_TRY(change.display_name, body.String("display_name"));
               API_TRY(change.role, body.String("role"));
               API_TRY(change.active, body.Bool("active"));
               API_TRY(change.password, body.String("password"));
               if (change.password && change.password->empty()) change.password.reset();
               if (body.Has("location_id")) {
                 API_TRY(change.location_id, body.Int("location_id"));
               }
               API_TRY(change.department, body.String("department"));
               if (id == a.user_id && change.active && !*change.active) {
                 return Fail(Error::Conflict("cannot_deactivate_self", "you cannot deactivate yourself", "active"));
               }
               API_TRY(auto user, s.auth.UpdateUser(a, id, change));
               return JsonResponse(200, UserJson(user));
             }));
}

}  // namespace caredesk::api
