#include "util/timer_queue.h"

namespace coap {

void TimerQueue::schedule(Timer *t, uint64_t due) {
  if (t->queued()) {
    uint64_t old = t->due;
    t->due = due;
    if (due < old) {
      sift_up(t->heap_index);
    } else {
      sift_down(t->heap_index);
    }
  } else {
    t->due = due;
    heap_.push_back(t);
    t->heap_index = heap_.size() - 1;
    sift_up(t->heap_index);
  }
  if (wakeup_ && t->heap_index == 0) wakeup_(wakeup_arg_);
}

void TimerQueue::cancel(Timer *t) {
  if (t->queued()) remove_at(t->heap_index);
}

void TimerQueue::remove_at(size_t i) {
  Timer *t = heap_[i];
  Timer *last = heap_.back();
  heap_.pop_back();
  t->heap_index = Timer::kNotQueued;
  if (last != t) {
    place(i, last);
    sift_up(i);
    sift_down(last->heap_index);
  }
}

size_t TimerQueue::run(uint64_t now) {
  size_t fired = 0;
  while (!heap_.empty() && heap_.front()->due <= now) {
    Timer *t = heap_.front();
    remove_at(0);
    ++fired;
    if (t->fire) t->fire(t, now);
  }
  return fired;
}

void TimerQueue::sift_up(size_t i) {
  Timer *t = heap_[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (heap_[parent]->due <= t->due) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, t);
}

void TimerQueue::sift_down(size_t i) {
  Timer *t = heap_[i];
  size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1]->due < heap_[child]->due) ++child;
    if (t->due <= heap_[child]->due) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, t);
}

}  // namespace coap
