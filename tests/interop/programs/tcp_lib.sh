# Helpers for the tcp_*.sh cases (sourced after lib.sh).

# wait_tcp PORT: waits until something listens on the TCP port.
wait_tcp() {
  for _ in $(seq 1 100); do
    if ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.05
  done
  fail "nothing listens on TCP port $1"
}

# wait_path PATH: waits until a Unix-domain socket exists.
wait_path() {
  for _ in $(seq 1 100); do
    [ -S "$1" ] && return 0
    sleep 0.05
  done
  fail "no socket at $1"
}

# The libcoap programs of the peers directory, and bookworm's binaries on
# Debian's library and on ours.
tcp_clients() {
  TCP_CLIENTS=("$PEERS_DIR/coap-client-435" "$PEERS_DIR/coap-client-435-ours"
               "debian_on_debian $DEBIAN_BIN/coap-client-notls"
               "debian_on_ours $DEBIAN_BIN/coap-client-notls")
  TCP_CLIENT_NAMES=("coap-client 4.3.5" "coap-client 4.3.5 on ours"
                    "bookworm coap-client" "bookworm coap-client on ours")
}
