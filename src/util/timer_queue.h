// A binary min-heap of timers keyed by due time (milliseconds). Timers are
// intrusive: the owner embeds a Timer, so scheduling never allocates once
// the heap has grown, and cancel/reschedule are O(log n) via the stored
// heap index. Time is passed in, never read here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/memory.h"

namespace coap {

struct Timer {
  static constexpr size_t kNotQueued = SIZE_MAX;
  uint64_t due = 0;
  size_t heap_index = kNotQueued;
  // Called when the timer fires; it is already out of the queue and may be
  // rescheduled or have its owner destroyed from inside the call.
  void (*fire)(Timer *self, uint64_t now) = nullptr;

  bool queued() const { return heap_index != kNotQueued; }
};

class TimerQueue {
 public:
  // Inserts or moves t to fire at `due`.
  void schedule(Timer *t, uint64_t due);
  void cancel(Timer *t);
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  // Due time of the earliest timer; only valid when not empty.
  uint64_t next_due() const { return heap_.front()->due; }
  // Fires every timer due at or before now (including ones scheduled for
  // now by the callbacks themselves). Returns how many fired.
  size_t run(uint64_t now);

  // Called whenever schedule() makes a timer the earliest one, so an I/O
  // loop that sleeps until the next due time can wake up earlier (e.g. a
  // timerfd watched by epoll). Optional; `arg` is handed back.
  void set_wakeup(void (*wakeup)(void *arg), void *arg) {
    wakeup_ = wakeup;
    wakeup_arg_ = arg;
  }

 private:
  void sift_up(size_t i);
  void sift_down(size_t i);
  void place(size_t i, Timer *t) {
    heap_[i] = t;
    t->heap_index = i;
  }
  void remove_at(size_t i);

  std::vector<Timer *, Allocator<Timer *>> heap_;
  void (*wakeup_)(void *arg) = nullptr;
  void *wakeup_arg_ = nullptr;
};

}  // namespace coap
