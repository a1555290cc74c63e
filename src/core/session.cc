#include "core/session.h"

#include "core/blockwise.h"
#include "core/channel.h"
#include "core/context.h"
#include "core/reliable.h"
#include "runtime/prng.h"
#include "util/memory.h"
#include "wire/pdu.h"

const coap::SessionParams coap::kDefaultSessionParams{};

coap_session_t *coap_session_t::create(coap_context_t *context, coap_session_type_t type,
                                       coap_proto_t proto) {
  coap_session_t *s = coap::create<coap_session_t>();
  if (!s) return nullptr;
  s->context = context;
  if (context) {
    s->serial = context->next_session_serial();
    // Sessions keep the block-wise settings they were created with.
    s->block_mode = context->block_mode;
    s->max_block_szx = context->max_block_szx;
  }
  s->type = type;
  s->proto = proto;
  // Random starting points make ids and tokens hard to guess (RFC 7252
  // sections 4.4 and 5.3.1).
  s->tx_mid = static_cast<uint16_t>(coap::prng::next_u32());
  uint64_t token = 0;
  coap::prng::fill(&token, sizeof(token));
  s->tx_token = token;
  return s;
}

void coap_session_t::destroy(coap_session_t *s) {
  if (!s) return;
  if (s->context) {
    coap::blockwise::release_session(s);  // unfinished block-wise transfers
    coap::drop_session_async(s);          // separate responses it still owed
    coap::drop_session_cache(s);          // cache entries made on it
    s->context->timers.cancel(&s->house_timer);
    auto drop = [s](coap::PendingList &list) {
      list.for_each([&](coap::PendingMessage *m) {
        list.remove(m);
        s->context->timers.cancel(&m->timer);
        coap::PendingMessage::destroy(m);
      });
    };
    drop(s->pending);
    drop(s->delayed);
  }
  // Stream sessions: the channel lets go of the socket (core/channel.h).
  coap::destroy_channel(s->channel);
  s->channel = nullptr;
  if (s->params != &coap::kDefaultSessionParams) {
    coap::destroy(const_cast<coap::SessionParams *>(s->params));
  }
  coap::destroy(s);
}

coap::SessionParams *coap_session_t::own_params() {
  if (params != &coap::kDefaultSessionParams) return const_cast<coap::SessionParams *>(params);
  coap::SessionParams *mine = coap::create<coap::SessionParams>(coap::kDefaultSessionParams);
  if (mine) params = mine;
  return mine;
}

size_t coap_session_t::max_pdu_size() const {
  // The PDU limit excludes the transport header: 4 bytes for UDP; stream
  // transports frame with 2 to 6, depending on the length (core/reliable.h).
  if (reliable()) return coap::reliable::max_pdu_size(mtu);
  // DTLS records take their overhead from the datagram first.
  unsigned room = mtu > tls_overhead ? mtu - tls_overhead : 0;
  return room > 4 ? room - 4 : 0;
}
