// Which option values a received message may carry: the length ranges of
// the registered options (RFC 7252 table 4 and later RFCs) and, in
// signaling messages (RFC 8323 section 5), the signaling options.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap::wire {

// True when an option numbered `number` with a value of `length` bytes is
// acceptable in a message with this code. Unregistered options are
// accepted, except unknown critical ones inside signaling messages.
bool option_length_valid(uint8_t code, uint32_t number, size_t length);

}  // namespace coap::wire
