#include "tls/openssl/memory_bio.h"

#include <sys/time.h>

#include <climits>
#include <cstddef>
#include <cstring>

#include "util/memory.h"

namespace coap::tls::ossl {

namespace {

MemoryPipe *pipe_of(BIO *bio) {
  return static_cast<MemoryPipe *>(BIO_get_data(bio));
}

int bio_read(BIO *bio, char *out, int size) {
  BIO_clear_retry_flags(bio);
  MemoryPipe *pipe = pipe_of(bio);
  int n = pipe && out && size > 0 ? pipe->on_read(out, size) : 0;
  if (n <= 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  return n;
}

int bio_write(BIO *bio, const char *data, int size) {
  BIO_clear_retry_flags(bio);
  MemoryPipe *pipe = pipe_of(bio);
  if (!pipe || size < 0 || (size > 0 && !data)) return -1;
  return pipe->on_write(data, size);
}

int bio_puts(BIO *bio, const char *text) {
  size_t n = std::strlen(text);
  return bio_write(bio, text, n > INT_MAX ? INT_MAX : static_cast<int>(n));
}

long bio_ctrl(BIO *bio, int cmd, long num, void *ptr) {
  MemoryPipe *pipe = pipe_of(bio);
  return pipe ? pipe->on_ctrl(cmd, num, ptr) : 0;
}

int bio_create(BIO *bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int bio_destroy(BIO *bio) {
  BIO_set_data(bio, nullptr);
  return 1;
}

// Built once and never freed: the table is immutable after construction.
BIO_METHOD *method() {
  static BIO_METHOD *const table = [] {
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "coap-memory");
    if (m) {
      BIO_meth_set_write(m, bio_write);
      BIO_meth_set_read(m, bio_read);
      BIO_meth_set_puts(m, bio_puts);
      BIO_meth_set_ctrl(m, bio_ctrl);
      BIO_meth_set_create(m, bio_create);
      BIO_meth_set_destroy(m, bio_destroy);
    }
    return m;
  }();
  return table;
}

}  // namespace

MemoryPipe::~MemoryPipe() {
  discard_output();
  coap::deallocate(stream_);
}

BIO *MemoryPipe::make_bio() {
  BIO_METHOD *m = method();
  BIO *bio = m ? BIO_new(m) : nullptr;
  if (bio) BIO_set_data(bio, this);
  return bio;
}

void MemoryPipe::set_datagram(const uint8_t *data, size_t length) {
  datagram_in_ = data;
  datagram_length_ = data ? length : 0;
}

bool MemoryPipe::append_stream(const uint8_t *data, size_t length) {
  if (!length) return true;
  if (start_ == end_) start_ = end_ = 0;
  if (capacity_ - end_ < length) {
    // Compact first; grow only if that is not enough.
    if (start_) {
      std::memmove(stream_, stream_ + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    if (capacity_ - end_ < length) {
      size_t want = end_ + length;
      size_t grown = capacity_ ? capacity_ * 2 : 4096;
      if (grown < want) grown = want;
      auto *bigger = static_cast<uint8_t *>(coap::reallocate(stream_, grown));
      if (!bigger) return false;
      stream_ = bigger;
      capacity_ = grown;
    }
  }
  std::memcpy(stream_ + end_, data, length);
  end_ += length;
  return true;
}

void MemoryPipe::clear_input() {
  datagram_in_ = nullptr;
  datagram_length_ = 0;
  start_ = end_ = 0;
}

size_t MemoryPipe::input_pending() const {
  return datagram_ ? datagram_length_ : end_ - start_;
}

int MemoryPipe::on_read(char *out, int size) {
  if (datagram_) {
    if (!datagram_in_) return 0;
    // A datagram larger than the reader's buffer is truncated, as a
    // datagram socket would do; the rest is gone either way.
    size_t n = datagram_length_ < static_cast<size_t>(size) ? datagram_length_ : size;
    std::memcpy(out, datagram_in_, n);
    datagram_in_ = nullptr;
    datagram_length_ = 0;
    return static_cast<int>(n);
  }
  size_t available = end_ - start_;
  size_t n = available < static_cast<size_t>(size) ? available : size;
  if (n) std::memcpy(out, stream_ + start_, n);
  start_ += n;
  return static_cast<int>(n);
}

int MemoryPipe::on_write(const char *data, int size) {
  auto length = static_cast<size_t>(size);
  auto *chunk = static_cast<Chunk *>(coap::allocate(offsetof(Chunk, bytes) + length + 1));
  if (!chunk) return -1;
  chunk->next = nullptr;
  chunk->length = length;
  if (length) std::memcpy(chunk->bytes, data, length);
  if (tail_) {
    tail_->next = chunk;
  } else {
    head_ = chunk;
  }
  tail_ = chunk;
  return size;
}

bool MemoryPipe::take_output(const uint8_t **data, size_t *length) {
  coap::deallocate(taken_);
  taken_ = head_;
  if (!taken_) return false;
  head_ = taken_->next;
  if (!head_) tail_ = nullptr;
  *data = taken_->bytes;
  *length = taken_->length;
  return true;
}

size_t MemoryPipe::output_pending() const {
  size_t total = 0;
  for (const Chunk *c = head_; c; c = c->next) total += c->length;
  return total;
}

void MemoryPipe::discard_output() {
  coap::deallocate(taken_);
  taken_ = nullptr;
  while (head_) {
    Chunk *next = head_->next;
    coap::deallocate(head_);
    head_ = next;
  }
  tail_ = nullptr;
}

long MemoryPipe::on_ctrl(int cmd, long num, void *ptr) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(input_pending());
    case BIO_CTRL_WPENDING:
      return static_cast<long>(output_pending());
    case BIO_CTRL_EOF:
      return 0;
    case BIO_CTRL_RESET:
      clear_input();
      discard_output();
      return 1;
    default:
      break;
  }
  if (!datagram_) return 0;
  switch (cmd) {
    // The session decides the datagram size; it is already the payload
    // size, so there is no per-datagram overhead to subtract, and no
    // smaller fallback to retreat to.
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<long>(mtu_);
    case BIO_CTRL_DGRAM_SET_MTU:
      // OpenSSL tells what it settled on (it never goes below its own
      // minimum); the session's value stays what we answer.
      return num;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
    case BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP:
    case BIO_CTRL_DGRAM_GET_SEND_TIMER_EXP:
      return 0;
    case BIO_CTRL_DGRAM_GET_PEER:
      // Peers are the session's business: report none.
      return 0;
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_CONNECT:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
    case BIO_CTRL_DGRAM_SET_DONT_FRAG:
      return 1;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT: {
      auto *when = static_cast<struct timeval *>(ptr);
      if (timer_ && when) {
        timer_->library_deadline = when;
        if (when->tv_sec == 0 && when->tv_usec == 0) {
          timer_->stopped();
        } else {
          timer_->started();
        }
      }
      return 0;
    }
    default:
      return 0;
  }
}

}  // namespace coap::tls::ossl
