// Public entry points not covered elsewhere: memory, random numbers, the
// clock, logging plumbing, event delivery, canned replies, pings and the
// lower-level I/O functions, each checked for what its man page promises.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/epoll.h>

#include <cstring>
#include <string>
#include <vector>

#include "support/fake_network.h"
#include "wire/pdu.h"

// The deprecated entry points are part of the API and tested too.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace coap::test {
namespace {

TEST(CapiMisc, MemoryTypesAllocateResizeAndFree) {
  coap_memory_init();
  void *p = coap_malloc_type(COAP_STRING, 16);
  ASSERT_NE(p, nullptr);
  memset(p, 'a', 16);
  p = coap_realloc_type(COAP_STRING, p, 4096);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(static_cast<char *>(p)[15], 'a');
  EXPECT_EQ(coap_realloc_type(COAP_STRING, p, 0), nullptr);  // frees
  void *q = coap_malloc_type(COAP_PDU, 8);
  coap_free_type(COAP_PDU, q);
  coap_free_type(COAP_STRING, nullptr);          // allowed
  coap_dump_memory_type_counts(COAP_LOG_DEBUG);  // untracked build: no output, no crash
}

int g_prng_calls;
int counting_prng(void *out, size_t len) {
  ++g_prng_calls;
  memset(out, 0x5a, len);
  return 1;
}

TEST(CapiMisc, PrngUsesInstalledGeneratorAndFallback) {
  uint8_t a[16] = {}, b[16] = {};
  coap_prng_init(7);
  ASSERT_EQ(coap_prng(a, sizeof(a)), 1);
  ASSERT_EQ(coap_prng(b, sizeof(b)), 1);
  EXPECT_NE(memcmp(a, b, sizeof(a)), 0);  // two draws differ
  EXPECT_EQ(coap_prng(a, 0), 0);
  coap_set_prng(counting_prng);
  ASSERT_EQ(coap_prng(a, 3), 1);
  EXPECT_EQ(g_prng_calls, 1);
  EXPECT_EQ(a[0], 0x5a);
  coap_set_prng(nullptr);
}

TEST(CapiMisc, ClockInitRestartsTicksAndConversionsRoundTrip) {
  coap_clock_init();
  coap_tick_t t;
  coap_ticks(&t);
  EXPECT_LT(t, 60u * COAP_TICKS_PER_SECOND);  // counted from the restart
  uint64_t us = coap_ticks_to_rt_us(t);
  EXPECT_EQ(coap_ticks_from_rt_us(us), t);
  EXPECT_EQ(static_cast<uint64_t>(coap_ticks_to_rt(t)), us / 1000000u);
}

std::vector<std::string> g_log;
void capture(coap_log_t level, const char *message) {
  g_log.push_back(std::to_string(level) + ":" + message);
}

TEST(CapiMisc, LogImplAndDtlsLevelGoThroughTheHandler) {
  coap_set_log_handler(capture);
  coap_log_t old = coap_get_log_level();
  coap_set_log_level(COAP_LOG_INFO);
  g_log.clear();
  coap_log_impl(COAP_LOG_WARN, "value %d\n", 42);
  coap_log_info("shown\n");
  coap_log_debug("hidden\n");
  coap_dtls_set_log_level(COAP_LOG_WARN);
  EXPECT_EQ(coap_dtls_get_log_level(), COAP_LOG_WARN);
  // coap_dtls_log() is a macro that only compiles as C (it passes an int
  // as coap_log_t); this is what it expands to.
  for (coap_log_t l : {COAP_LOG_ERR, COAP_LOG_DEBUG}) {
    if (l <= coap_dtls_get_log_level()) {
      coap_log_impl(static_cast<coap_log_t>(l + COAP_LOG_DTLS_BASE), "dtls %d\n", l);
    }
  }
  EXPECT_EQ(g_log, (std::vector<std::string>{"4:value 42\n", "6:shown\n", "12:dtls 3\n"}));
  coap_set_log_handler(nullptr);
  coap_set_log_level(old);
  coap_dtls_set_log_level(COAP_LOG_EMERG);
}

std::vector<coap_event_t> g_events;
int on_event(coap_session_t *, const coap_event_t event) {
  g_events.push_back(event);
  return 7;
}

TEST(CapiMisc, EventHandlersAndAppData) {
  coap_context_t *ctx = coap_new_context(nullptr);
  ASSERT_NE(ctx, nullptr);
  g_events.clear();
  coap_set_event_handler(ctx, on_event);
  EXPECT_EQ(coap_handle_event(ctx, COAP_EVENT_TCP_CONNECTED, nullptr), 7);
  coap_clear_event_handler(ctx);
  EXPECT_EQ(coap_handle_event(ctx, COAP_EVENT_TCP_CLOSED, nullptr), 0);
  EXPECT_EQ(g_events, std::vector<coap_event_t>{COAP_EVENT_TCP_CONNECTED});
  int marker;
  coap_set_app_data(ctx, &marker);
  EXPECT_EQ(coap_get_app_data(ctx), &marker);
  EXPECT_EQ(coap_context_get_app_data(ctx), &marker);
  coap_context_set_csm_timeout(ctx, 3);
  EXPECT_EQ(coap_context_get_csm_timeout(ctx), 3u);
  EXPECT_EQ(coap_context_get_csm_timeout_ms(ctx), 3000u);
  coap_free_context(ctx);
}

// Loopback server and client through the real event loop.
struct Loopback : ::testing::Test {
  void SetUp() override {
    ctx = coap_new_context(nullptr);
    coap_address_t any = ipv4("127.0.0.1", 0);
    ep = coap_new_endpoint(ctx, &any, COAP_PROTO_UDP);
    ASSERT_NE(ep, nullptr);
    server_addr = ep->bind_addr;
    session = coap_new_client_session(ctx, nullptr, &server_addr, COAP_PROTO_UDP);
    ASSERT_NE(session, nullptr);
  }
  void TearDown() override {
    coap_session_release(session);
    coap_free_context(ctx);
  }
  // Runs the loop until cond() or about two seconds passed.
  template <class Cond>
  bool run_until(Cond cond) {
    for (int i = 0; i < 200 && !cond(); ++i) coap_io_process(ctx, 10);
    return cond();
  }
  coap_context_t *ctx = nullptr;
  coap_endpoint_t *ep = nullptr;
  coap_address_t server_addr;
  coap_session_t *session = nullptr;
};

int g_pongs;
void on_pong(coap_session_t *, const coap_pdu_t *, const coap_mid_t) {
  ++g_pongs;
}

TEST_F(Loopback, SessionPingGetsPong) {
  g_pongs = 0;
  coap_register_pong_handler(ctx, on_pong);
  ASSERT_NE(coap_session_send_ping(session), COAP_INVALID_MID);
  EXPECT_TRUE(run_until([] { return g_pongs == 1; }));
  EXPECT_EQ(coap_can_exit(ctx), 1);
  EXPECT_EQ(coap_io_pending(ctx), 0);
}

TEST_F(Loopback, PrepareAndDoEpollByHand) {
  g_pongs = 0;
  coap_register_pong_handler(ctx, on_pong);
  coap_session_send_ping(session);
  int fd = coap_context_get_coap_fd(ctx);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 100 && g_pongs == 0; ++i) {
    coap_tick_t now;
    coap_ticks(&now);
    unsigned wait = coap_io_prepare_epoll(ctx, now);
    struct epoll_event events[8];
    int n = epoll_wait(fd, events, 8, wait > 20 || wait == 0 ? 20 : static_cast<int>(wait));
    if (n > 0) coap_io_do_epoll(ctx, events, static_cast<size_t>(n));
  }
  EXPECT_EQ(g_pongs, 1);
}

TEST_F(Loopback, PrepareIoAndDoIo) {
  g_pongs = 0;
  coap_register_pong_handler(ctx, on_pong);
  coap_session_send_ping(session);
  unsigned num = 99;
  coap_tick_t now;
  coap_ticks(&now);
  coap_io_prepare_io(ctx, nullptr, 0, &num, now);
  EXPECT_EQ(num, 0u);  // epoll build: sockets are not handed out one by one
  struct pollfd pfd = {coap_context_get_coap_fd(ctx), POLLIN, 0};
  for (int i = 0; i < 100 && g_pongs == 0; ++i) {
    poll(&pfd, 1, 20);  // wait until a datagram is there, then read it
    coap_ticks(&now);
    coap_io_do_io(ctx, now);
  }
  EXPECT_EQ(g_pongs, 1);
}

TEST_F(Loopback, ProcessWithFdsReportsApplicationDescriptors) {
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  ASSERT_EQ(write(pipefd[1], "x", 1), 1);
  fd_set readfds;
  FD_ZERO(&readfds);
  FD_SET(pipefd[0], &readfds);
  int spent = coap_io_process_with_fds(ctx, 1000, pipefd[0] + 1, &readfds, nullptr, nullptr);
  EXPECT_GE(spent, 0);
  EXPECT_LT(spent, 1000);  // returned because the pipe was readable
  EXPECT_TRUE(FD_ISSET(pipefd[0], &readfds));
  close(pipefd[0]);
  close(pipefd[1]);
}

std::vector<coap_nack_reason_t> g_nacks;
void on_nack(coap_session_t *, const coap_pdu_t *, const coap_nack_reason_t reason,
             const coap_mid_t) {
  g_nacks.push_back(reason);
}

TEST_F(Loopback, DisconnectedReportsOutstandingMessages) {
  g_nacks.clear();
  coap_register_nack_handler(ctx, on_nack);
  coap_free_endpoint(ep);  // nobody answers any more
  coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, session);
  ASSERT_NE(coap_send(session, pdu), COAP_INVALID_MID);
  EXPECT_EQ(coap_can_exit(ctx), 0);
  coap_session_disconnected(session, COAP_NACK_NOT_DELIVERABLE);
  EXPECT_EQ(g_nacks, std::vector<coap_nack_reason_t>{COAP_NACK_NOT_DELIVERABLE});
  EXPECT_EQ(coap_can_exit(ctx), 1);
}

TEST_F(Loopback, EndpointMtuAppliesToNewServerSessions) {
  coap_endpoint_set_default_mtu(ep, 400);
  coap_session_send_ping(session);
  EXPECT_TRUE(run_until([&] { return !ep->sessions.empty(); }));
  coap_session_t *server_side =
      coap_session_get_by_peer(ctx, coap_session_get_addr_local(session), 0);
  ASSERT_NE(server_side, nullptr);
  EXPECT_EQ(coap_session_max_pdu_size(server_side), 396u);
  std::string text = coap_session_str(server_side);
  EXPECT_NE(text.find(" <-> "), std::string::npos);
  EXPECT_NE(text.find("UDP"), std::string::npos);
}

TEST_F(Loopback, McastHopsOnlyForGroupSessions) {
  EXPECT_EQ(coap_mcast_set_hops(session, 4), 0);  // unicast session
  coap_address_t group = ipv4("224.0.1.187", 5683);
  coap_session_t *g = coap_new_client_session(ctx, nullptr, &group, COAP_PROTO_UDP);
  ASSERT_NE(g, nullptr);
  EXPECT_NE(coap_session_get_addr_mcast(g), nullptr);
  EXPECT_EQ(coap_mcast_set_hops(g, 4), 1);
  coap_session_release(g);
}

// Canned replies built from a received request.
TEST(CapiMisc, ErrorResponseAndMessageTypes) {
  FakeNetwork net;
  FakeHost host(&net, "10.0.0.1");
  coap_session_t *s =
      new_client_session(host.ctx, nullptr, ipv4("10.0.0.2", 5683), COAP_PROTO_UDP, net.now);
  coap_pdu_t *request = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x1234, 100);
  coap_add_token(request, 2, reinterpret_cast<const uint8_t *>("tk"));
  coap_add_option(request, COAP_OPTION_URI_PATH, 1, reinterpret_cast<const uint8_t *>("a"));
  coap_add_option(request, COAP_OPTION_ACCEPT, 1, reinterpret_cast<const uint8_t *>("\x28"));
  coap_opt_filter_t copy;
  coap_option_filter_clear(&copy);
  coap_option_filter_set(&copy, COAP_OPTION_ACCEPT);
  coap_pdu_t *err = coap_new_error_response(request, COAP_RESPONSE_CODE_NOT_ACCEPTABLE, &copy);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(coap_pdu_get_type(err), COAP_MESSAGE_ACK);
  EXPECT_EQ(coap_pdu_get_mid(err), 0x1234);
  coap_opt_iterator_t it;
  EXPECT_NE(coap_check_option(err, COAP_OPTION_ACCEPT, &it), nullptr);
  EXPECT_EQ(coap_check_option(err, COAP_OPTION_URI_PATH, &it), nullptr);
  size_t len;
  const uint8_t *data;
  ASSERT_TRUE(coap_get_data(err, &len, &data));
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(data), len), "Not Acceptable");
  coap_delete_pdu(err);

  EXPECT_EQ(coap_send_ack(s, request), 0x1234);
  EXPECT_EQ(coap_send_rst(s, request), 0x1234);
  EXPECT_EQ(coap_send_message_type(s, request, COAP_MESSAGE_CON), COAP_INVALID_MID);
  EXPECT_NE(coap_send_error(s, request, COAP_RESPONSE_CODE_BAD_REQUEST, nullptr), COAP_INVALID_MID);
  ASSERT_EQ(net.sent_log.size(), 3u);
  EXPECT_EQ(net.sent_log[0].bytes, (std::vector<uint8_t>{0x60, 0x00, 0x12, 0x34}));
  EXPECT_EQ(net.sent_log[1].bytes, (std::vector<uint8_t>{0x70, 0x00, 0x12, 0x34}));
  coap_pdu_t *sent = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  ASSERT_TRUE(
      sent->parse(COAP_PROTO_UDP, net.sent_log[2].bytes.data(), net.sent_log[2].bytes.size()));
  EXPECT_EQ(sent->code, COAP_RESPONSE_CODE_BAD_REQUEST);
  coap_pdu_t::destroy(sent);
  coap_delete_pdu(request);
  release_session(s);
}

TEST(CapiMisc, ProxyUriResourceIsACatchAllForProxyRequests) {
  const char *names[] = {"proxy.example"};
  coap_resource_t *r = coap_resource_proxy_uri_init(nullptr, 1, names);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->is_proxy_uri);
  ASSERT_EQ(r->proxy_name_count, 1u);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(r->proxy_names[0]->s)), "proxy.example");
  coap_context_t *ctx = coap_new_context(nullptr);
  coap_add_resource(ctx, r);
  EXPECT_EQ(ctx->proxy_uri_resource, r);
  coap_free_context(ctx);
}

TEST(CapiMisc, StringConstRoundTrip) {
  coap_str_const_t *s = coap_new_str_const(reinterpret_cast<const uint8_t *>("abc"), 3);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->length, 3u);
  EXPECT_EQ(s->s[3], '\0');
  coap_delete_str_const(s);
  coap_delete_str_const(nullptr);
}

}  // namespace
}  // namespace coap::test
