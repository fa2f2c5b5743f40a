#include "domain/metrics/service_metrics.h"

#include <gtest/gtest.h>

#include <set>

namespace caredesk::metrics {
namespace {

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

TEST(Metrics, EveryMetricHasAUniqueKeyAndADefinition) {
  std::set<std::string_view> keys;
  for (const auto& m : AllMetrics()) {
    EXPECT_TRUE(keys.insert(m.key).second) << m.key;
    EXPECT_FALSE(m.definition.empty()) << m.key;
    EXPECT_FALSE(m.name.empty()) << m.key;
    EXPECT_GT(m.multiply, 0) << m.key;
  }
  EXPECT_EQ((*FindMetric("lwbs_rate"))->id, MetricId::kLwbsRate);
  auto bad = FindMetric("happiness");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "metric");
  EXPECT_NE(bad.error().message.find("no_show_rate"), std::string::npos);
}

TEST(Metrics, PeriodsStartOnMondaysAndFirstsOfTheMonth) {
  EXPECT_EQ(PeriodStart(D(2026, 11, 22), Interval::kWeek), D(2026, 11, 16));  // a Sunday belongs to Monday's week
  EXPECT_EQ(PeriodStart(D(2026, 11, 16), Interval::kWeek), D(2026, 11, 16));
  EXPECT_EQ(PeriodStart(D(2026, 11, 22), Interval::kMonth), D(2026, 11, 1));
  EXPECT_EQ(NextPeriod(D(2026, 12, 1), Interval::kMonth), D(2027, 1, 1));
  EXPECT_EQ(*ParseInterval("week"), Interval::kWeek);
  EXPECT_EQ(ParseInterval("fortnight").error().field, "interval");
}

TEST(Metrics, TheSeriesHoldsEveryPeriodInOrderAndSumsWithinEach) {
  SeriesBuilder b(Interval::kWeek, D(2026, 11, 4), D(2026, 11, 22));  // Wed 4 Nov .. Sun 22 Nov
  b.Add(D(2026, 11, 4), 1, 10);
  b.Add(D(2026, 11, 8), 2, 10);   // Sunday: same week as the 4th
  b.Add(D(2026, 11, 20), 3, 30);
  b.Add(D(2026, 11, 3), 100, 100);  // before `from`: ignored
  b.Add(D(2026, 11, 23), 100, 100);  // after `to`: ignored
  auto s = b.Build();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].start, D(2026, 11, 2));
  EXPECT_DOUBLE_EQ(s[0].numerator, 3);
  EXPECT_DOUBLE_EQ(s[0].denominator, 20);
  EXPECT_EQ(s[1].start, D(2026, 11, 9));
  EXPECT_FALSE(s[1].value(100).has_value());  // an empty week is a gap, not a zero
  EXPECT_DOUBLE_EQ(*s[2].value(100), 10.0);
}

TEST(Metrics, RatesBecomePChartsAndMeansXmRCharts) {
  std::vector<PeriodValue> s = {{D(2026, 1, 5), 5, 100}, {D(2026, 1, 12), 0, 0}, {D(2026, 1, 19), 9, 90}};
  auto rate = ToSpcInput(**FindMetric("no_show_rate"), s);
  EXPECT_EQ(rate.chart, spc::ChartType::kP);
  EXPECT_DOUBLE_EQ(rate.multiply, 100);
  ASSERT_EQ(rate.values.size(), 3u);
  EXPECT_DOUBLE_EQ(*rate.values[0], 5);
  EXPECT_DOUBLE_EQ(*rate.n[2], 90);
  EXPECT_FALSE(rate.values[1].has_value());
  auto mean = ToSpcInput(**FindMetric("cycle_time_minutes"), {{D(2026, 1, 5), 600, 20}});
  EXPECT_EQ(mean.chart, spc::ChartType::kXmr);
  EXPECT_TRUE(mean.n.empty());
  EXPECT_DOUBLE_EQ(*mean.values[0], 30);
  auto per1000 = ToSpcInput(**FindMetric("complaints_per_1000_visits"), {{D(2026, 1, 5), 3, 1500}});
  EXPECT_EQ(per1000.chart, spc::ChartType::kU);
  EXPECT_DOUBLE_EQ(per1000.multiply, 1000);
  // The SPC engine takes it as it is.
  std::vector<PeriodValue> many;
  for (int w = 0; w < 20; ++w) many.push_back({D(2026, 1, 5).AddDays(7 * w), double(5 + w % 3), 100});
  auto chart = spc::ComputeChart(ToSpcInput(**FindMetric("no_show_rate"), many));
  ASSERT_TRUE(chart.ok()) << chart.error().message;
  EXPECT_NEAR(chart->points[0].cl.value(), 5.95, 1e-9);  // 119 no-shows in 2,000 appointments, in percent
}

}  // namespace
}  // namespace caredesk::metrics
