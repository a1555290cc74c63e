# Multicast (RFC 7252 section 8): inside a private network namespace whose
# loopback carries multicast, libcoap's coap-server joins 224.0.1.187; NON
# requests sent to the group are answered after the leisure delay. Run with the server on our library and the client on Debian's,
# and the other way round.
. "$INTEROP_DIR/lib.sh"

ns=coapmc$PORT
ip netns add "$ns" 2>/dev/null || fail "cannot create network namespace $ns (needs root)"
on_exit "ip netns del $ns 2>/dev/null"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set lo multicast on
ip netns exec "$ns" ip route add 224.0.0.0/4 dev lo
ip netns exec "$ns" ip -6 route add ff00::/8 dev lo table local 2>/dev/null || true
in_ns() { ip netns exec "$ns" "$@"; }

group_test() {  # LABEL SERVER CLIENT PORT GROUP URI_HOST
  local label=$1 server=$2 client=$3 port=$4 group=$5 host=$6
  # ip netns exec runs the server itself (exec), so $! is the server.
  ip netns exec "$ns" "$server" -g "$group" -p "$port" > "$WORK/mc-$port.log" 2>&1 &
  local pid=$!
  sleep 0.5
  local out
  out=$(in_ns timeout 12 "$client" -N -B 8 "coap://$host:$port/.well-known/core")
  kill -TERM -- -$pid 2>/dev/null; wait $pid 2>/dev/null
  case "$out" in
    "</>;title=\"General Info\""*) ok "$label: group answered ($(printf '%s' "$out" | wc -c) bytes)" ;;
    *) fail "$label: no answer from the group: '$out'" ;;
  esac
}

group_test "ipv4 server on ours" "$PEERS_DIR/coap-server-435-ours" "$PEERS_DIR/coap-client-435" \
           $PORT 224.0.1.187 224.0.1.187
group_test "ipv4 client on ours" "$PEERS_DIR/coap-server-435" "$PEERS_DIR/coap-client-435-ours" \
           $((PORT + 1)) 224.0.1.187 224.0.1.187
