// CoRE Link Format (RFC 6690) output of a context's resources, with the
// query filtering of section 4.1, written into a window [offset, offset +
// capacity) of the full document so block-wise transfers can fetch pieces.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {

struct LinkWindow {
  uint8_t *buf = nullptr;  // may be nullptr when capacity is 0
  size_t capacity = 0;
  size_t offset = 0;       // bytes of the document to skip
  size_t written = 0;      // bytes stored in buf
  size_t total = 0;        // length of the whole (filtered) document so far
  bool truncated = false;  // output did not fit

  // Appends text to the document, keeping only the windowed part.
  void put(const uint8_t *text, size_t length);
  void put(const char *text);
};

// Writes the link of one resource.
void write_link(const coap_resource_t *resource, LinkWindow *out);

// True if the resource passes the filter of a .well-known/core query.
bool link_matches(const coap_resource_t *resource, const coap_string_t *query);

// Writes the links of all matching resources, comma separated.
void write_links(const coap_context_t *context, const coap_string_t *query, LinkWindow *out);

}  // namespace coap
