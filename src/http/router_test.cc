#include "http/router.h"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

Router MakeRouter() {
  Router router;
  router.Add("GET", "/api/v1/patients/{id}", [](Request& r) {
    return Response::Json(200, std::string(r.PathParam("id")));
  });
  router.Add("POST", "/api/v1/patients/{id}/cancel", [](Request&) { return Response::NoContent(); });
  return router;
}

Request Make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(Router, CapturesPathParameters) {
  Router router = MakeRouter();
  Request request = Make("GET", "/api/v1/patients/42");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "42");
  EXPECT_EQ(router.Find(request).pattern, "/api/v1/patients/{id}");
}

TEST(Router, AnswersNotFoundAndMethodNotAllowedAsJson) {
  Router router = MakeRouter();
  Request missing = Make("GET", "/api/v1/nothing");
  Response not_found = router.Dispatch(missing);
  EXPECT_EQ(not_found.status, 404);
  EXPECT_NE(not_found.body.find("\"not_found\""), std::string::npos);

  Request wrong_method = Make("DELETE", "/api/v1/patients/42");
  Response not_allowed = router.Dispatch(wrong_method);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_NE(not_allowed.body.find("\"method_not_allowed\""), std::string::npos);
}

TEST(Router, IgnoresEmptySegments) {
  EXPECT_EQ(SplitPath("//a///b/"), (std::vector<std::string_view>{"a", "b"}));
}

TEST(Router, ListsRoutesInRegistrationOrder) {
  auto routes = MakeRouter().Routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].pattern, "/api/v1/patients/{id}/cancel");
}

}  // namespace
}  // namespace caredesk::http
