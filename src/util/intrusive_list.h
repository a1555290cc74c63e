// Intrusive doubly linked list: elements embed a ListHook, so linking and
// unlinking never allocate and an element can remove itself in O(1).
#pragma once

#include <cstddef>

#include "util/container_of.h"

namespace coap {

struct ListHook {
  ListHook *prev = nullptr;
  ListHook *next = nullptr;
  bool linked() const { return prev != nullptr; }
};

// T must have a member `ListHook Member`.
template <class T, ListHook T::*Member>
class IntrusiveList {
 public:
  IntrusiveList() { head_.prev = head_.next = &head_; }
  IntrusiveList(const IntrusiveList &) = delete;
  IntrusiveList &operator=(const IntrusiveList &) = delete;

  bool empty() const { return head_.next == &head_; }
  size_t size() const { return size_; }

  void push_back(T *item) { insert_before(&head_, item); }
  void push_front(T *item) { insert_before(head_.next, item); }
  // Inserts item before `pos` (which must be in this list).
  void insert_before(T *pos, T *item) { insert_before(&(pos->*Member), item); }

  void remove(T *item) {
    ListHook &h = item->*Member;
    if (!h.linked()) return;
    h.prev->next = h.next;
    h.next->prev = h.prev;
    h.prev = h.next = nullptr;
    --size_;
  }

  T *front() const { return empty() ? nullptr : owner(head_.next); }
  T *back() const { return empty() ? nullptr : owner(head_.prev); }
  T *next(const T *item) const {
    const ListHook *n = (item->*Member).next;
    return n == &head_ ? nullptr : owner(n);
  }

  // Iteration that tolerates removal of the current element.
  template <class Fn>
  void for_each(Fn fn) const {
    for (ListHook *h = head_.next; h != &head_;) {
      ListHook *n = h->next;
      fn(owner(h));
      h = n;
    }
  }

 private:
  static T *owner(const ListHook *h) { return container_of(const_cast<ListHook *>(h), Member); }
  void insert_before(ListHook *pos, T *item) {
    ListHook &h = item->*Member;
    h.next = pos;
    h.prev = pos->prev;
    pos->prev->next = &h;
    pos->prev = &h;
    ++size_;
  }

  ListHook head_;
  size_t size_ = 0;
};

}  // namespace coap
