#include "core/link_format.h"

#include <cstring>

#include "core/context.h"

namespace coap {

void LinkWindow::put(const uint8_t *text, size_t length) {
  size_t start = total;
  total += length;
  if (total <= offset) return;  // entirely before the window
  size_t skip = start < offset ? offset - start : 0;
  size_t n = length - skip;
  size_t room = capacity - written;
  if (n > room) {
    n = room;
    truncated = true;
  }
  if (n) std::memcpy(buf + written, text + skip, n);
  written += n;
}

void LinkWindow::put(const char *text) {
  put(reinterpret_cast<const uint8_t *>(text), std::strlen(text));
}

void write_link(const coap_resource_t *r, LinkWindow *out) {
  out->put("</");
  if (r->uri_path && r->uri_path->length) out->put(r->uri_path->s, r->uri_path->length);
  out->put(">");
  for (const coap_attr_t *a = r->attributes; a; a = a->next) {
    out->put(";");
    if (a->name) out->put(a->name->s, a->name->length);
    // An empty value still prints "name="; only a missing one omits it.
    if (a->value) {
      out->put("=");
      out->put(a->value->s, a->value->length);
    }
  }
  if (r->observable) out->put(";obs");
}

namespace {

struct Span {
  const uint8_t *s;
  size_t n;
};

Span strip_quotes(Span v) {
  if (v.n >= 2 && v.s[0] == '"' && v.s[v.n - 1] == '"') return Span{v.s + 1, v.n - 2};
  return v;
}

// Compares a value with a pattern that may end in '*' (prefix match).
bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
  return n == 0 || std::memcmp(a, b, n) == 0;  // empty spans may have null pointers
}

bool value_matches(Span value, Span pattern) {
  bool prefix = pattern.n && pattern.s[pattern.n - 1] == '*';
  if (prefix) {
    --pattern.n;
    return value.n >= pattern.n && same_bytes(value.s, pattern.s, pattern.n);
  }
  return value.n == pattern.n && same_bytes(value.s, pattern.s, pattern.n);
}

// Attributes holding space-separated lists match if any entry does.
bool list_matches(Span value, Span pattern) {
  size_t i = 0;
  while (i < value.n) {
    size_t j = i;
    while (j < value.n && value.s[j] != ' ') ++j;
    if (value_matches(Span{value.s + i, j - i}, pattern)) return true;
    i = j + 1;
  }
  return false;
}

bool is_list_attribute(Span name) {
  static const char *const kLists[] = {"rt", "if", "rel"};
  for (const char *l : kLists) {
    if (name.n == std::strlen(l) && std::memcmp(name.s, l, name.n) == 0) return true;
  }
  return false;
}

}  // namespace

bool link_matches(const coap_resource_t *r, const coap_string_t *query) {
  if (!query || query->length == 0) return true;
  // The whole query is one "name=pattern" filter (RFC 6690 section 4.1);
  // everything after the first '=' is the pattern, '&' included.
  Span q{query->s, query->length};
  const uint8_t *eq = static_cast<const uint8_t *>(std::memchr(q.s, '=', q.n));
  Span name{q.s, eq ? static_cast<size_t>(eq - q.s) : q.n};
  Span pattern{eq ? eq + 1 : q.s + q.n, eq ? q.n - name.n - 1 : 0};
  if (name.n == 0) return true;  // no parameter name: no filter
  if (name.n == 4 && std::memcmp(name.s, "href", 4) == 0) {
    // Links are written "</path>": a pattern may carry that leading '/'.
    Span path{r->uri_path ? r->uri_path->s : nullptr, r->uri_path ? r->uri_path->length : 0};
    if (pattern.n && pattern.s[0] == '/') ++pattern.s, --pattern.n;
    return value_matches(path, pattern);
  }
  bool list = is_list_attribute(name);
  for (const coap_attr_t *a = r->attributes; a; a = a->next) {
    if (!a->name || a->name->length != name.n || std::memcmp(a->name->s, name.s, name.n) != 0) {
      continue;
    }
    Span value =
        strip_quotes(Span{a->value ? a->value->s : nullptr, a->value ? a->value->length : 0});
    if (list ? list_matches(value, pattern) : value_matches(value, pattern)) return true;
  }
  return false;
}

void write_links(const coap_context_t *ctx, const coap_string_t *query, LinkWindow *out) {
  bool first = true;
  ctx->resources.for_each([&](coap_resource_t *r) {
    if (!link_matches(r, query)) return;
    if (!first) out->put(",");
    first = false;
    write_link(r, out);
  });
}

}  // namespace coap
