// Waking an I/O loop for timers: TimerQueue reports when a timer becomes
// the earliest one, and the event loop keeps a timerfd in its epoll set
// armed for it, so an application waiting on coap_context_get_coap_fd()
// (as libcoap's examples do) wakes up when a timer is due.
#include <gtest/gtest.h>
#include <poll.h>

#include "core/context.h"
#include "runtime/clock.h"
#include "util/timer_queue.h"

namespace coap {
namespace {

int g_wakeups = 0;
void count_wakeup(void *) {
  ++g_wakeups;
}

TEST(TimerWakeup, ReportedWhenATimerBecomesTheEarliest) {
  g_wakeups = 0;
  TimerQueue q;
  q.set_wakeup(count_wakeup, nullptr);
  Timer a, b, c;
  q.schedule(&a, 100);
  EXPECT_EQ(g_wakeups, 1);
  q.schedule(&b, 200);  // later than a: no earlier wake-up needed
  EXPECT_EQ(g_wakeups, 1);
  q.schedule(&c, 50);
  EXPECT_EQ(g_wakeups, 2);
  q.schedule(&b, 10);  // moved to the front
  EXPECT_EQ(g_wakeups, 3);
  q.cancel(&a);
  q.cancel(&b);
  q.cancel(&c);
}

bool fired = false;
void on_fire(Timer *, uint64_t) {
  fired = true;
}

TEST(TimerWakeup, EpollFdBecomesReadableWhenATimerIsDue) {
  coap_context_t *ctx = coap_new_context(nullptr);
  ASSERT_NE(ctx, nullptr);
  int fd = coap_context_get_coap_fd(ctx);
  ASSERT_GE(fd, 0);
  struct pollfd p = {fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0);  // nothing due

  Timer t;
  t.fire = on_fire;
  fired = false;
  {
    std::lock_guard<std::recursive_mutex> hold(ctx->lock);
    ctx->timers.schedule(&t, clock::ticks_ms() + 30);
  }
  uint64_t start = clock::ticks_ms();
  ASSERT_EQ(poll(&p, 1, 2000), 1);  // woken by the timer, not the 2 s limit
  EXPECT_LT(clock::ticks_ms() - start, 1000u);
  EXPECT_GE(coap_io_process(ctx, COAP_IO_NO_WAIT), 0);
  EXPECT_TRUE(fired);
  EXPECT_EQ(poll(&p, 1, 0), 0);  // drained, nothing else due
  coap_free_context(ctx);
}

}  // namespace
}  // namespace coap
