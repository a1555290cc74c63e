# Observe (RFC 7641), our library as the server: libcoap's coap-server
# example (4.3.5 sources compiled against our headers and library) and
# bookworm's coap-server-notls binary running on our library, observed for
# 11 s (-s 11: a 10 s window holds 9 or 10 of /time's once-a-second changes,
# depending on where the seconds fall) by libcoap 4.3.5's coap-client and by
# bookworm's coap-client-notls on Debian's library. Checked from the
# client's debug log: at least 10 notifications after the registration
# response, the Observe=1 cancel sent
# at the end and answered without Observe; from our server's debug log:
# the subscription was created and removed. Also NON notifications (-N)
# with a CON among them, and /example_data notifications triggered by PUT,
# including one larger than a block (sent block-wise).
. "$INTEROP_DIR/lib.sh"

repo=$(cd "$INTEROP_DIR/../.." && pwd)
geninc=$(cd "$OUR_LIBDIR/.." && pwd)/include
examples=$REF_CACHE/sid/root/usr/share/doc/libcoap3-dev/examples

# coap-server 4.3.5 on our library (built by the peers fixture, or here).
server435=$PEERS_DIR/coap-server-435-ours
if [ ! -x "$server435" ]; then
  server435=$WORK/coap-server-435-ours
  $OUR_CC "${OUR_CFLAGS[@]}" -O1 -std=c99 -D_GNU_SOURCE -w -I"$repo/include" -I"$geninc" "$examples/coap-server.c" \
      -L"$OUR_LIBDIR" -lcoap-3-notls -Wl,-rpath,"$OUR_LIBDIR" -o "$server435" ||
    fail "cannot build coap-server 4.3.5 against our library"
fi

# observe_run LABEL LOGNAME PORT SERVER_LOG RUNS_SO_FAR CLIENT...: observes
# /time for 10 s, then checks the client's debug log (every PDU appears
# there; only the server sends 2.05) and our server's.
observe_run() {
  local label=$1 log=$2 port=$3 srvlog=$4 runs=$5; shift 5
  local out=$WORK/$log.client notes
  timeout 40 "$@" -v 7 -s 11 "coap://127.0.0.1:$port/time" > "$out" 2>&1 ||
    fail "$label: client exited with $?"
  notes=$(grep -a 'c:2.05' "$out" | grep -ac 'Observe:[0-9]')
  notes=$((notes - 1))  # the first one answers the registration
  if [ "$notes" -lt 10 ]; then
    grep -a 'v:1 ' "$out" | tail -30
    echo "--- our server:"; grep -a 'v:1 \|observe' "$srvlog" | tail -30
    fail "$label: only $notes notifications in 11 s"
  fi
  ok "$label: $notes notifications"
  grep -a 'c:GET' "$out" | grep -aq 'Observe:1[^0-9]' || fail "$label: no Observe=1 cancel sent"
  # libcoap 4.3.5's client (c0) waits for the answer to its cancel (the
  # last 2.05, without Observe); 4.3.1's exits right after sending it.
  if [ "${log%c0}" != "$log" ]; then
    grep -a 'c:2.05' "$out" | tail -1 | grep -aqv 'Observe:' ||
      fail "$label: the cancel was not answered without Observe"
  fi
  # Our library logs each subscription's start and end (debug level).
  sleep 0.2
  [ "$(grep -ac "no longer observes 'time'" "$srvlog")" -eq "$runs" ] ||
    fail "$label: our server did not drop the subscription on the cancel"
  ok "$label: cancelled with Observe=1, our server dropped the subscription"
}

# (env rather than lib.sh's debian_on_debian: timeout runs programs only)
clients=("$PEERS_DIR/coap-client-435" "debian_on_debian $DEBIAN_BIN/coap-client-notls")
names=("coap-client 4.3.5" "bookworm coap-client-notls")

p=$PORT
for s in 0 1; do
  if [ $s = 0 ]; then
    sname="coap-server 4.3.5 on our library"
    start_bg srv$s "$server435" -A 127.0.0.1 -p $p -v 7
  else
    sname="bookworm coap-server-notls on our library"
    start_bg srv$s debian_on_ours "$DEBIAN_BIN/coap-server-notls" \
        -A 127.0.0.1 -p $p -v 7
  fi
  wait_udp $p
  for c in 0 1; do
    observe_run "${names[$c]} -> $sname" "s${s}c$c" $p "$WORK/srv$s.log" $((c + 1)) ${clients[$c]}
  done
  p=$((p + 1))
done

# NON notifications: coap-server -N sends NON with a CON among each six.
start_bg srvnon "$server435" -A 127.0.0.1 -p $p -N
wait_udp $p
out=$WORK/non.client
timeout 40 "$PEERS_DIR/coap-client-435" -v 7 -s 10 "coap://127.0.0.1:$p/time" > "$out" 2>&1 ||
  fail "NON notifications: client exited with $?"
non=$(grep -a 't:NON c:2.05' "$out" | grep -ac 'Observe:')
con=$(grep -a 't:CON c:2.05' "$out" | grep -ac 'Observe:')
[ "$non" -ge 7 ] && [ "$con" -ge 1 ] || fail "NON notifications: $non NON and $con CON"
ok "coap-server -N on our library: $non NON and $con CON notifications (a CON every sixth)"
p=$((p + 1))

# /example_data: notifications follow PUTs made by another client.
start_bg srvdata "$server435" -A 127.0.0.1 -p $p
wait_udp $p
uri=coap://127.0.0.1:$p/example_data
"$PEERS_DIR/coap-client-435" -m put -e "first" "$uri" > /dev/null || fail "PUT /example_data"
timeout 30 "$PEERS_DIR/coap-client-435" -s 4 "$uri" > "$WORK/data.client" 2>&1 &
obs_pid=$!
sleep 1
for v in second third; do
  "$PEERS_DIR/coap-client-435" -m put -e "$v" "$uri" > /dev/null || fail "PUT $v"
  sleep 0.5
done
wait $obs_pid || fail "observing /example_data failed"
expect_eq "/example_data notifications after PUTs" "firstsecondthirdthird" \
  "$(tr -d '\n' < "$WORK/data.client")"

# A representation larger than one block: the notification goes block-wise
# (RFC 7959 section 2.6, Block2 with Observe on the first block only).
head -c 2500 /dev/zero | tr '\0' A > "$WORK/big1"
head -c 3000 /dev/zero | tr '\0' B > "$WORK/big2"
"$PEERS_DIR/coap-client-435" -m put -f "$WORK/big1" "$uri" > /dev/null || fail "PUT 2500 bytes"
timeout 30 "$PEERS_DIR/coap-client-435" -s 3 "$uri" > "$WORK/big.client" 2>&1 &
obs_pid=$!
sleep 1
"$PEERS_DIR/coap-client-435" -m put -f "$WORK/big2" "$uri" > /dev/null || fail "PUT 3000 bytes"
wait $obs_pid || fail "observing the large /example_data failed"
expected="$(cat "$WORK/big1" "$WORK/big2" "$WORK/big2")"
[ "$(tr -d '\n' < "$WORK/big.client")" = "$expected" ] ||
  fail "our server's large notification: got $(wc -c < "$WORK/big.client") bytes"
ok "our server's block-wise notification: 2500-byte registration response, 3000-byte notification"
