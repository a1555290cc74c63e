// The only I/O OpenSSL gets: a BIO over in-memory queues. In datagram mode
// every BIO write is one outgoing datagram and every read hands over the
// one incoming datagram whole, so record boundaries survive in both
// directions; in stream mode bytes are simply queued. The BIO also answers
// OpenSSL's datagram controls (MTU, peer, handshake timer).
#pragma once

#include <openssl/bio.h>

#include <cstddef>
#include <cstdint>

struct timeval;

namespace coap::tls::ossl {

// DTLS handshake retransmission in the engine's clock. OpenSSL keeps its
// own wall-clock timer; it reports each start and stop through the BIO
// (BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT), and the engine mirrors that here in
// the ms ticks it is given. See OsslEngine::on_timer() for how expiry is
// handed back to OpenSSL.
struct RetransmitTimer {
  static constexpr uint64_t kNone = UINT64_MAX;
  static constexpr uint64_t kInitialMs = 1000;  // RFC 6347 section 4.2.4.1
  static constexpr uint64_t kMaxMs = 60000;

  uint64_t now = 0;  // the time of the engine call in progress
  uint64_t deadline = kNone;
  uint64_t backoff_ms = kInitialMs;
  // OpenSSL's timer field as passed with the last control (see above).
  struct timeval *library_deadline = nullptr;

  void started() { deadline = now + backoff_ms; }
  void stopped() {
    deadline = kNone;
    backoff_ms = kInitialMs;
  }
  void backed_off() { backoff_ms = backoff_ms * 2 > kMaxMs ? kMaxMs : backoff_ms * 2; }
};

class MemoryPipe {
 public:
  static constexpr size_t kDefaultMtu = 1152;  // COAP_DEFAULT_MTU

  explicit MemoryPipe(bool datagram) : datagram_(datagram) {}
  ~MemoryPipe();
  MemoryPipe(const MemoryPipe &) = delete;
  MemoryPipe &operator=(const MemoryPipe &) = delete;

  // A new BIO over this pipe (the caller owns the reference; the pipe
  // must outlive it). nullptr when out of memory.
  BIO *make_bio();

  bool datagram() const { return datagram_; }

  // Datagram mode: the one datagram the next read returns. Not copied:
  // valid until clear_input().
  void set_datagram(const uint8_t *data, size_t length);
  // Stream mode: appends to the bytes waiting to be read; false when out
  // of memory.
  bool append_stream(const uint8_t *data, size_t length);
  void clear_input();
  size_t input_pending() const;

  // Takes the oldest output chunk (one datagram in datagram mode); it
  // stays valid until the next take_output(), discard_output() or the
  // pipe's end. False when there is none.
  bool take_output(const uint8_t **data, size_t *length);
  bool has_output() const { return head_ != nullptr; }
  size_t output_pending() const;
  void discard_output();

  size_t mtu() const { return mtu_; }
  void set_mtu(size_t mtu) { mtu_ = mtu; }
  void set_timer(RetransmitTimer *timer) { timer_ = timer; }

  // BIO method callbacks (public for the BIO_METHOD table only).
  int on_read(char *out, int size);
  int on_write(const char *data, int size);
  long on_ctrl(int cmd, long num, void *ptr);

 private:
  struct Chunk {
    Chunk *next;
    size_t length;
    uint8_t bytes[1];
  };

  bool datagram_;
  size_t mtu_ = kDefaultMtu;
  RetransmitTimer *timer_ = nullptr;

  // Datagram input.
  const uint8_t *datagram_in_ = nullptr;
  size_t datagram_length_ = 0;
  // Stream input: bytes [start_, end_) of stream_.
  uint8_t *stream_ = nullptr;
  size_t capacity_ = 0, start_ = 0, end_ = 0;

  Chunk *head_ = nullptr, *tail_ = nullptr;
  Chunk *taken_ = nullptr;  // handed out by take_output()
};

}  // namespace coap::tls::ossl
