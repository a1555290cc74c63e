// Stream connections (TCP, Unix-domain stream sockets) as the I/O layer
// reports them to the core: accepted connections, finished connects,
// received bytes, room for output, and the end of a connection. The I/O
// layer only moves bytes; framing, buffering and the RFC 8323 protocol are
// in the session's channel (core/channel.h). Everything here may end the
// connection and, for a server session, free the session: callers must
// not use a server session after a call that can disconnect it, except
// through what they get back.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::stream {

// Client sessions of a stream protocol (session_manager.cc): builds the
// channel and asks the PacketIo to connect. False: unusable session.
bool open_client(coap_session_t *session, uint64_t now);

// A connection was accepted on a stream endpoint: its server session is
// created (honouring coap_context_set_max_idle_sessions()) but nothing is
// sent yet. nullptr: refused, the caller closes the socket.
coap_session_t *accepted(coap_endpoint_t *endpoint, const coap_addr_tuple_t &addrs, uint64_t now);
// The I/O layer has attached the accepted socket (session->fd): the
// session starts (COAP_EVENT_TCP_CONNECTED, _SERVER_SESSION_NEW, CSM).
void start(coap_session_t *session, uint64_t now);

// A client's connect completed.
void connected(coap_session_t *session, uint64_t now);
// Bytes arrived on the connection.
void input(coap_session_t *session, const uint8_t *data, size_t length, uint64_t now);
// The socket can take more output after a short write.
void writable(coap_session_t *session, uint64_t now);
// The connection ended: err 0 for an orderly close by the peer, else the
// errno value (for a connect still under way: it failed).
void closed(coap_session_t *session, int err, uint64_t now);

// A client session still waiting for its connect to complete.
bool connecting(const coap_session_t *session);
// Output queued in the core that the socket has not taken yet.
size_t queued(const coap_session_t *session);

}  // namespace coap::stream
