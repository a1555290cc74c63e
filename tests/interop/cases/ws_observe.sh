# Observe (RFC 7641) over coap+ws: libcoap 4.3.5's coap-client (on Debian's
# library and on ours) observes /time for 4 s on libcoap 4.3.5's
# coap-server running on Debian's library and on ours: notifications
# arrive each second and the observation is cancelled with Observe=1 at
# the end. Then notifications of /example_data on our server, triggered by
# PUTs of another client.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
. "$INTEROP_DIR/programs/ws_lib.sh"
ws_peers

p=$PORT
start_bg ref "$S_REF" -A 127.0.0.1 -p $p -w $((p + 1))
start_bg ours "$S_OURS" -A 127.0.0.1 -p $((p + 2)) -w $((p + 3))
wait_tcp $((p + 1)); wait_tcp $((p + 3))
ports=($((p + 1)) $((p + 3)))
names=("coap-server 4.3.5" "coap-server 4.3.5 on ours")

for si in 0 1; do
  for ci in 0 1; do
    label="${WS_CLIENT_NAMES[$ci]} -> ${names[$si]}"
    out=$(timeout 30 ${WS_CLIENTS[$ci]} -v 7 -s 4 "coap+ws://127.0.0.1:${ports[$si]}/time" 2>&1) ||
      fail "$label: client exited with $?"
    notes=$(printf '%s\n' "$out" | grep -a 'v:WebSocket c:2.05' | grep -ac 'Observe:[0-9]')
    [ "$notes" -ge 4 ] || fail "$label: only $notes notifications in 4 s"
    printf '%s\n' "$out" | grep -a 'c:GET' | grep -aq 'Observe:1[^0-9]' ||
      fail "$label: no Observe=1 cancel"
    ok "$label: $notes notifications, then cancelled"
  done
done

# /example_data: notifications follow PUTs by another client (on both
# servers; the PUTs' own 2.04 answers are what libcoap's client drops).
for si in 0 1; do
  for ci in 0 1; do
    uri=coap+ws://127.0.0.1:${ports[$si]}/example_data
    "$C_OURS" -m put -e "first" "$uri" > /dev/null || fail "PUT first"
    timeout 30 ${WS_CLIENTS[$ci]} -s 3 "$uri" > "$WORK/data.out" 2>&1 &
    obs=$!
    sleep 1
    for v in second third; do
      "$C_OURS" -m put -e "$v" "$uri" > /dev/null || fail "PUT $v"
      sleep 0.5
    done
    wait $obs || fail "${WS_CLIENT_NAMES[$ci]}: observing /example_data failed"
    got=$(tr -d '\n' < "$WORK/data.out")
    case $got in
      firstsecondthird*) ok "${WS_CLIENT_NAMES[$ci]} -> ${names[$si]}: notifications after PUTs: $got" ;;
      *) fail "${WS_CLIENT_NAMES[$ci]} -> ${names[$si]}: notifications after PUTs: '$got'" ;;
    esac
  done
done
