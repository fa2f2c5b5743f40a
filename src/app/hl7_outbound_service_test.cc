// Outbound HL7 v2 on both databases: the outbox written with the change, the dispatcher delivering to a
// fake peer (an in-process MllpServer answering as each test tells it), order per patient, back-off from
// the fake clock (no sleeps), dead letters, retry and discard.
#include "app/hl7_outbound_service.h"
#include "app/patient_service.h"

#include <deque>
#include <mutex>

#include "app/scheduling_fixture.h"
#include "domain/hl7v2/hl7v2_message.h"
#include "mllp/mllp_server.h"

namespace caredesk {
namespace {

namespace st = db::hl7_outbound_status;

// A receiving system: records every message and answers each with the next scripted code (AA when none).
class FakePeer {
 public:
  FakePeer() {
    mllp::MllpServerOptions o;
    o.port = 0;
    o.worker_threads = 1;
    server_ = std::make_unique<mllp::MllpServer>(o, [this](std::string_view message, const mllp::PeerInfo&) {
      std::lock_guard lock(mu_);
      received_.emplace_back(message);
      std::string code = "AA";
      if (!script_.empty()) {
        code = script_.front();
        script_.pop_front();
      }
      auto parsed = hl7v2::ParseMessage(message);
      std::string control = parsed.ok() ? parsed->Get("MSH", 10) : "";
      return "MSH|^~\\&|PEER|PEER|CareDesk|CareDesk|20250310140000||ACK|A" + control + "|P|2.5.1\rMSA|" + code +
             "|" + control + "|" + (code == "AA" ? "" : "told to answer " + code) + "\r";
    });
    EXPECT_TRUE(server_->Start().ok());
  }
  ~FakePeer() {
    server_->Shutdown();
    server_->Wait();
  }
  uint16_t port() const { return server_->port(); }
  void Answer(std::initializer_list<const char*> codes) {
    std::lock_guard lock(mu_);
    for (const char* c : codes) script_.emplace_back(c);
  }
  std::vector<std::string> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  // MSH-9.1^MSH-9.2 of every message received.
  std::vector<std::string> events() {
    std::vector<std::string> out;
    for (const auto& m : received()) {
      auto parsed = hl7v2::ParseMessage(m);
      out.push_back(parsed.ok() ? parsed->Get("MSH", 9, 0, 1) + "^" + parsed->Get("MSH", 9, 0, 2) : "unparsable");
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::deque<std::string> script_;
  std::vector<std::string> received_;
  std::unique_ptr<mllp::MllpServer> server_;
};

class Hl7OutboundTest : public ClinicTest {
 protected:
  void SetUp() override {
    ClinicTest::SetUp();
    Hl7OutboundOptions o;
    o.facility = "MAINST";
    o.max_attempts = 3;
    o.connect_timeout = std::chrono::seconds(5);
    o.read_timeout = std::chrono::seconds(10);
    outbound_ = std::make_unique<Hl7OutboundService>(pool(), clock_, *audit_, o);
    appointments_->UseOutbound(outbound_.get());
    flow_->UseOutbound(outbound_.get());
    auto conn = pool().Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE patients SET mrn = 'MRN000042' WHERE id = $1", {patient_id_}).ok());
  }

  int64_t AddPeer(const std::string& name, uint16_t port, bool siu = true, bool adt = true) {
    Hl7PeerInput in;
    in.name = name;
    in.host = "127.0.0.1";
    in.port = port;
    in.siu = siu;
    in.adt = adt;
    auto peer = outbound_->AddPeer(admin_, in);
    EXPECT_TRUE(peer.ok()) << peer.error().message;
    return peer.ok() ? peer->id : 0;
  }

  std::vector<db::Hl7OutboundRow> Queue() {
    auto conn = pool().Acquire();
    db::Hl7OutboundFilter f;
    f.limit = 100;
    auto page = db::Hl7OutboundRepository::List(*conn, f);
    EXPECT_TRUE(page.ok());
    auto rows = page->first;
    std::reverse(rows.begin(), rows.end());  // oldest first
    return rows;
  }

  Hl7DispatchReport Dispatch() {
    auto r = outbound_->DispatchOnce();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Hl7DispatchReport{};
  }

  int64_t Book(const char* iso, int64_t patient_id = 0) {
    auto req = Request(iso);
    if (patient_id) req.patient_id = patient_id;
    auto booked = appointments_->Book(coord_, req);
    EXPECT_TRUE(booked.ok()) << booked.error().message;
    return booked.ok() ? booked->row.id : 0;
  }

  FakePeer peer_;  // before the service: its connection closes first
  std::unique_ptr<Hl7OutboundService> outbound_;
};

TEST_P(Hl7OutboundTest, WithoutPeersNothingIsQueued) {
  Book("2025-03-11T09:30:00-04:00");
  // A disabled peer is no peer.
  int64_t id = AddPeer("EHR", peer_.port());
  Hl7PeerInput off{"EHR", "127.0.0.1", peer_.port(), false, true, true};
  ASSERT_TRUE(outbound_->UpdatePeer(admin_, id, off).ok());
  Book("2025-03-11T10:00:00-04:00");
  EXPECT_TRUE(Queue().empty());
  EXPECT_EQ(Dispatch().sent, 0);
  EXPECT_TRUE(peer_.received().empty());
}

TEST_P(Hl7OutboundTest, ABookingQueuesOneS12InItsTransactionAndTheDispatcherDeliversIt) {
  AddPeer("EHR", peer_.port());
  int64_t appt = Book("2025-03-11T09:30:00-04:00");
  auto queue = Queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].event, "SIU^S12");
  EXPECT_EQ(queue[0].status, st::kPending);
  EXPECT_EQ(queue[0].patient_id, patient_id_);

  auto report = Dispatch();
  EXPECT_EQ(report.sent, 1);
  auto got = peer_.received();
  ASSERT_EQ(got.size(), 1u);
  auto parsed = hl7v2::ParseMessage(got[0]);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->Get("MSH", 9, 0, 1) + "^" + parsed->Get("MSH", 9, 0, 2), "SIU^S12");
  EXPECT_EQ(parsed->Get("MSH", 10), queue[0].control_id);
  EXPECT_EQ(parsed->Get("SCH", 2), std::to_string(appt));
  EXPECT_EQ(parsed->Get("PID", 3), "MRN000042");
  EXPECT_EQ(parsed->Get("PID", 5, 0, 1), "Smith");

  queue = Queue();
  EXPECT_EQ(queue[0].status, st::kSent);
  EXPECT_EQ(queue[0].ack_code, "AA");
  EXPECT_EQ(queue[0].attempts, 1);
  EXPECT_EQ(queue[0].sent_at, ToMillis(clock_.Now()));
  EXPECT_EQ(Dispatch().sent, 0);  // nothing twice
}

TEST_P(Hl7OutboundTest, ABookingThatFailsQueuesNothing) {
  AddPeer("EHR", peer_.port());
  Book("2025-03-11T09:30:00-04:00");
  auto again = appointments_->Book(coord_, Request("2025-03-11T09:30:00-04:00"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(Queue().size(), 1u);
}

TEST_P(Hl7OutboundTest, AnErrorIsRetriedAfterBackoffAndThePatientsLaterMessagesWait) {
  AddPeer("EHR", peer_.port());
  int64_t other = InsertPatient("Mary", "Jones");
  int64_t appt = Book("2025-03-11T09:30:00-04:00");
  ASSERT_TRUE(appointments_->Cancel(coord_, appt, "patient called").ok());
  Book("2025-03-11T11:00:00-04:00", other);
  peer_.Answer({"AE"});

  auto report = Dispatch();
  EXPECT_EQ(report.retried, 1);
  EXPECT_EQ(report.sent, 1);  // the other patient's booking
  auto queue = Queue();
  ASSERT_EQ(queue.size(), 3u);
  int64_t now = ToMillis(clock_.Now());
  EXPECT_EQ(queue[0].status, st::kPending);
  EXPECT_EQ(queue[0].attempts, 1);
  EXPECT_EQ(queue[0].next_attempt_at, now + 5000);
  EXPECT_NE(queue[0].last_error.find("AE"), std::string::npos) << queue[0].last_error;
  EXPECT_EQ(queue[1].event, "SIU^S15");
  EXPECT_EQ(queue[1].status, st::kPending);  // held behind the S12
  EXPECT_EQ(queue[1].attempts, 0);
  EXPECT_EQ(queue[2].status, st::kSent);

  clock_.Advance(std::chrono::milliseconds(4999));
  EXPECT_EQ(Dispatch().sent, 0);  // not due yet, and the S15 still waits
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Dispatch().sent, 2);
  EXPECT_EQ(peer_.events(), (std::vector<std::string>{"SIU^S12", "SIU^S12", "SIU^S12", "SIU^S15"}));
  queue = Queue();
  EXPECT_EQ(queue[0].status, st::kSent);
  EXPECT_EQ(queue[0].attempts, 2);
  EXPECT_EQ(queue[1].status, st::kSent);
}

TEST_P(Hl7OutboundTest, BackoffDoublesFromFiveSecondsToTenMinutesAndGivesUpAfterMaxAttempts) {
  Hl7OutboundService defaults(pool(), clock_, *audit_);
  EXPECT_EQ(defaults.Backoff(1), std::chrono::seconds(5));
  EXPECT_EQ(defaults.Backoff(2), std::chrono::seconds(10));
  EXPECT_EQ(defaults.Backoff(7), std::chrono::seconds(320));
  EXPECT_EQ(defaults.Backoff(8), std::chrono::minutes(10));
  EXPECT_EQ(defaults.Backoff(30), std::chrono::minutes(10));

  AddPeer("EHR", peer_.port());
  Book("2025-03-11T09:30:00-04:00");
  peer_.Answer({"AE", "CE", "AE"});
  EXPECT_EQ(Dispatch().retried, 1);
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(Dispatch().retried, 1);
  EXPECT_EQ(Queue()[0].next_attempt_at, ToMillis(clock_.Now()) + 10000);
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(Dispatch().dead, 1);  // the third of max_attempts 3
  auto m = Queue()[0];
  EXPECT_EQ(m.status, st::kDead);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_NE(m.last_error.find("gave up after 3 attempts"), std::string::npos) << m.last_error;
}

TEST_P(Hl7OutboundTest, ARejectIsDeadAtOnceAndHoldsThePatientUntilRetried) {
  AddPeer("EHR", peer_.port());
  int64_t other = InsertPatient("Mary", "Jones");
  int64_t appt = Book("2025-03-11T09:30:00-04:00");
  ASSERT_TRUE(appointments_->Cancel(coord_, appt, "patient called").ok());
  peer_.Answer({"AR"});
  auto report = Dispatch();
  EXPECT_EQ(report.dead, 1);
  EXPECT_EQ(report.sent, 0);
  Book("2025-03-11T11:00:00-04:00", other);  // another patient is not held
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(Dispatch().sent, 1);
  auto queue = Queue();
  ASSERT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue[0].status, st::kDead);
  EXPECT_EQ(queue[0].ack_code, "AR");
  EXPECT_EQ(queue[1].status, st::kPending);  // the S15 waits behind the dead S12
  EXPECT_EQ(queue[2].status, st::kSent);

  auto sent_s15 = outbound_->Retry(admin_, queue[1].id);  // only dead messages are retried
  ASSERT_FALSE(sent_s15.ok());
  EXPECT_EQ(sent_s15.error().reason, "not_dead");
  auto retried = outbound_->Retry(admin_, queue[0].id);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->status, st::kPending);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_EQ(Dispatch().sent, 2);
  EXPECT_EQ(peer_.events(), (std::vector<std::string>{"SIU^S12", "SIU^S12", "SIU^S12", "SIU^S15"}));
}

TEST_P(Hl7OutboundTest, DiscardingADeadMessageLetsThePatientsNextOneGo) {
  AddPeer("EHR", peer_.port());
  int64_t appt = Book("2025-03-11T09:30:00-04:00");
  ASSERT_TRUE(appointments_->Cancel(coord_, appt, "patient called").ok());
  peer_.Answer({"AR"});
  Dispatch();
  auto queue = Queue();
  auto discarded = outbound_->Discard(admin_, queue[0].id);
  ASSERT_TRUE(discarded.ok()) << discarded.error().message;
  EXPECT_EQ(discarded->status, st::kDiscarded);
  EXPECT_EQ(Dispatch().sent, 1);
  EXPECT_EQ(peer_.events(), (std::vector<std::string>{"SIU^S12", "SIU^S15"}));
  auto again = outbound_->Discard(admin_, queue[0].id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "not_dead");
}

TEST_P(Hl7OutboundTest, AnUnreachablePeerIsRetriedWithWhatHappened) {
  uint16_t closed = 0;
  {
    FakePeer gone;
    closed = gone.port();
  }
  AddPeer("Lab", closed);
  Book("2025-03-11T09:30:00-04:00");
  EXPECT_EQ(Dispatch().retried, 1);
  auto m = Queue()[0];
  EXPECT_EQ(m.status, st::kPending);
  EXPECT_NE(m.last_error.find("connect to 127.0.0.1:" + std::to_string(closed)), std::string::npos) << m.last_error;
}

TEST_P(Hl7OutboundTest, CheckInAndCompletionGoAsAdtToPeersTakingAdtOnly) {
  AddPeer("Scheduling", peer_.port(), true, false);
  FakePeer bed_board;
  AddPeer("Bed board", bed_board.port(), false, true);
  int64_t appt = Book("2025-03-10T11:00:00-04:00");
  auto visit = flow_->CheckIn(coord_, appt, false);
  ASSERT_TRUE(visit.ok()) << visit.error().message;
  for (const char* to : {"roomed", "with_provider", "completed"}) {
    auto moved = flow_->Transition(coord_, visit->row.id, to, std::nullopt);
    ASSERT_TRUE(moved.ok()) << to << ": " << moved.error().message;
  }
  ASSERT_TRUE(flow_->Undo(coord_, visit->row.id).ok());
  Dispatch();
  EXPECT_EQ(peer_.events(), (std::vector<std::string>{"SIU^S12"}));
  EXPECT_EQ(bed_board.events(), (std::vector<std::string>{"ADT^A04", "ADT^A03", "ADT^A13"}));
  auto got = bed_board.received();
  auto a04 = hl7v2::ParseMessage(got[0]);
  ASSERT_TRUE(a04.ok());
  EXPECT_EQ(a04->Get("PID", 3), "MRN000042");
  EXPECT_EQ(a04->Get("PV1", 19), std::to_string(visit->row.id));
}

TEST_P(Hl7OutboundTest, ADemographicsUpdateGoesAsA08WithoutAVisitToAdtPeersOnly) {
  AddPeer("Scheduling", peer_.port(), true, false);
  FakePeer registry;
  AddPeer("Registry", registry.port(), false, true);
  {
    auto conn = pool().Acquire();  // an MRN of the shape CareDesk issues, which Update checks
    ASSERT_TRUE(conn->Exec("UPDATE patients SET mrn = 'MRN00000042' WHERE id = $1", {patient_id_}).ok());
  }
  PatientService patients(pool(), clock_, *audit_, std::chrono::milliseconds(0));
  patients.UseOutbound(outbound_.get());
  auto current = patients.Get(coord_, patient_id_);
  ASSERT_TRUE(current.ok()) << current.error().message;
  Patient changed = *current;
  changed.phone = "(617) 555-0199";
  auto updated = patients.Update(coord_, patient_id_, changed, current->version);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  // A stale update writes nothing and queues nothing.
  ASSERT_FALSE(patients.Update(coord_, patient_id_, changed, current->version).ok());
  Dispatch();
  EXPECT_TRUE(peer_.events().empty());
  EXPECT_EQ(registry.events(), (std::vector<std::string>{"ADT^A08"}));
  auto a08 = hl7v2::ParseMessage(registry.received().at(0));
  ASSERT_TRUE(a08.ok());
  EXPECT_EQ(a08->Get("PID", 3), "MRN00000042");
  EXPECT_EQ(a08->Get("PID", 13), "6175550199");  // as CareDesk stores it
  EXPECT_EQ(a08->Get("PV1", 2), "O");
  EXPECT_EQ(a08->Get("PV1", 19), "");
}

TEST_P(Hl7OutboundTest, PeersAreValidatedFieldByField) {
  auto bad = [&](Hl7PeerInput in) {
    auto r = outbound_->AddPeer(admin_, in);
    return r.ok() ? std::string("ok") : r.error().field;
  };
  EXPECT_EQ(bad({"", "h", 1, true, true, true}), "name");
  EXPECT_EQ(bad({"A", "", 1, true, true, true}), "host");
  EXPECT_EQ(bad({"A", "bad host", 1, true, true, true}), "host");
  EXPECT_EQ(bad({"A", "h", 0, true, true, true}), "port");
  EXPECT_EQ(bad({"A", "h", 65536, true, true, true}), "port");
  EXPECT_EQ(bad({"A", "h", 2575, true, false, false}), "feeds");
  EXPECT_EQ(bad({"A", "h", 65535, true, true, true}), "ok");
  auto dup = outbound_->AddPeer(admin_, {"A", "h2", 2575, true, true, true});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().reason, "name_taken");
  EXPECT_EQ(dup.error().field, "name");
}

CAREDESK_INSTANTIATE_BACKENDS(Hl7OutboundTest);

}  // namespace
}  // namespace caredesk
