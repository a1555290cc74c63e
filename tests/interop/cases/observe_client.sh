# Observe (RFC 7641), our library as the client: libcoap's coap-client
# example (4.3.5 sources compiled against our headers and library) and
# bookworm's coap-client-notls binary running on our library observe /time
# of libcoap 4.3.5's coap-server for 11 s (-s 11: a 10 s window holds 9 or
# 10 of /time's once-a-second changes). Checked: at least 10
# notifications reach the application after the registration response, the
# client cancels with Observe=1 at the end (coap_cancel_observe()) and
# libcoap's server removes the subscription. Also NON notifications, and
# /example_data notifications that follow PUTs, including one larger than
# a block (fetched block-wise).
. "$INTEROP_DIR/lib.sh"

repo=$(cd "$INTEROP_DIR/../.." && pwd)
geninc=$(cd "$OUR_LIBDIR/.." && pwd)/include
examples=$REF_CACHE/sid/root/usr/share/doc/libcoap3-dev/examples

# coap-client 4.3.5 on our library (built by the peers fixture, or here).
client435=$PEERS_DIR/coap-client-435-ours
if [ ! -x "$client435" ]; then
  client435=$WORK/coap-client-435-ours
  $OUR_CC "${OUR_CFLAGS[@]}" -O1 -std=c99 -D_GNU_SOURCE -w -I"$repo/include" -I"$geninc" "$examples/coap-client.c" \
      -L"$OUR_LIBDIR" -lcoap-3-notls -Wl,-rpath,"$OUR_LIBDIR" -o "$client435" ||
    fail "cannot build coap-client 4.3.5 against our library"
fi

# Timestamps ("Nov 24 23:17:31") the client printed: one per response.
count_times() { grep -ao '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' "$1" | wc -l; }

# observe_run LABEL PORT SERVER_LOG RUNS_SO_FAR MIN_RESPONSES CLIENT...
observe_run() {
  local label=$1 port=$2 srvlog=$3 runs=$4 min=$5; shift 5
  local out=$WORK/client$runs.out n
  timeout 40 "$@" -s 11 "coap://127.0.0.1:$port/time" > "$out" 2>&1 ||
    fail "$label: client exited with $?"
  n=$(count_times "$out")
  if [ "$n" -lt "$min" ]; then
    cat "$out"; echo; echo "--- libcoap's server:"; grep -a 'v:1 ' "$srvlog" | tail -30
    fail "$label: only $n responses (registration, notifications, cancel)"
  fi
  ok "$label: $n responses printed (registration response, notifications, final answer)"
  sleep 0.2
  # libcoap's server logs each received PDU and each removed subscription.
  [ "$(grep -a 'c:GET' "$srvlog" | grep -ac 'Observe:1[^0-9]')" -eq "$runs" ] ||
    fail "$label: libcoap's server got no Observe=1 cancel"
  [ "$(grep -ac 'removed subscription' "$srvlog")" -eq "$runs" ] ||
    fail "$label: libcoap's server kept the subscription"
  ok "$label: cancelled with Observe=1, libcoap's server removed the subscription"
}

p=$PORT
start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $p -v 7
wait_udp $p
# 4.3.5's client prints the answer to its cancel too; 4.3.1's exits first.
observe_run "coap-client 4.3.5 on our library" $p "$WORK/ref.log" 1 12 "$client435"
observe_run "bookworm coap-client-notls on our library" $p "$WORK/ref.log" 2 11 \
  debian_on_ours "$DEBIAN_BIN/coap-client-notls"
p=$((p + 1))

# NON notifications (coap-server -N): a CON among each six, acknowledged.
start_bg refnon "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $p -N -v 7
wait_udp $p
observe_run "coap-client 4.3.5 on our library, NON notifications" $p "$WORK/refnon.log" 1 12 \
  "$client435"
acks=$(grep -a 't:ACK c:0.00' "$WORK/refnon.log" | wc -l)
[ "$acks" -ge 1 ] || fail "NON notifications: the CON ones were not acknowledged"
ok "NON notifications: $acks empty ACKs from our client for the CON ones"
p=$((p + 1))

# /example_data: notifications follow PUTs made by another client.
start_bg refdata "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $p
wait_udp $p
uri=coap://127.0.0.1:$p/example_data
"$client435" -m put -e "first" "$uri" > /dev/null || fail "PUT /example_data"
timeout 30 "$client435" -s 4 "$uri" > "$WORK/data.client" 2>&1 &
obs_pid=$!
sleep 1
for v in second third; do
  "$PEERS_DIR/coap-client-435" -m put -e "$v" "$uri" > /dev/null || fail "PUT $v"
  sleep 0.5
done
wait $obs_pid || fail "observing /example_data failed"
expect_eq "our client's /example_data notifications after PUTs" "firstsecondthirdthird" \
  "$(tr -d '\n' < "$WORK/data.client")"

# A representation larger than one block: the notification goes block-wise
# (RFC 7959 section 2.6, Block2 with Observe on the first block only).
head -c 2500 /dev/zero | tr '\0' A > "$WORK/big1"
head -c 3000 /dev/zero | tr '\0' B > "$WORK/big2"
"$PEERS_DIR/coap-client-435" -m put -f "$WORK/big1" "$uri" > /dev/null || fail "PUT 2500 bytes"
timeout 30 "$client435" -s 3 "$uri" > "$WORK/big.client" 2>&1 &
obs_pid=$!
sleep 1
"$PEERS_DIR/coap-client-435" -m put -f "$WORK/big2" "$uri" > /dev/null || fail "PUT 3000 bytes"
wait $obs_pid || fail "observing the large /example_data failed"
expected="$(cat "$WORK/big1" "$WORK/big2" "$WORK/big2")"
[ "$(tr -d '\n' < "$WORK/big.client")" = "$expected" ] ||
  fail "our client's large notification: got $(wc -c < "$WORK/big.client") bytes"
ok "our client's block-wise notification: 2500-byte registration response, 3000-byte notification"
