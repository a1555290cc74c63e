# Observe (RFC 7641) over coap+tcp: libcoap 4.3.5's coap-client (on
# Debian's library and on ours) and bookworm's coap-client-notls observe
# /time for 4 s on libcoap 4.3.5's coap-server running on Debian's library
# and on ours, and on bookworm's coap-server on ours: notifications arrive
# each second and the observation is cancelled with Observe=1 at the end.
# Then notifications of /example_data triggered by PUTs of another client.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/tcp_lib.sh"
tcp_clients

p=$PORT
start_bg ref "$PEERS_DIR/coap-server-435" -A 127.0.0.1 -p $p
start_bg ours "$PEERS_DIR/coap-server-435-ours" -A 127.0.0.1 -p $((p + 1))
start_bg deb_ours debian_on_ours "$DEBIAN_BIN/coap-server-notls" -A 127.0.0.1 -p $((p + 2))
for i in 0 1 2; do wait_tcp $((p + i)); done
names=("coap-server 4.3.5" "coap-server 4.3.5 on ours" "bookworm coap-server on ours")

for si in 0 1 2; do
  for ci in 0 1 2 3; do
    label="${TCP_CLIENT_NAMES[$ci]} -> ${names[$si]}"
    out=$(timeout 30 ${TCP_CLIENTS[$ci]} -v 7 -s 4 "coap+tcp://127.0.0.1:$((p + si))/time" 2>&1) ||
      fail "$label: client exited with $?"
    notes=$(printf '%s\n' "$out" | grep -a 'c:2.05' | grep -ac 'Observe:[0-9]')
    [ "$notes" -ge 4 ] || fail "$label: only $notes notifications in 4 s"
    printf '%s\n' "$out" | grep -a 'c:GET' | grep -aq 'Observe:1[^0-9]' ||
      fail "$label: no Observe=1 cancel"
    ok "$label: $notes notifications, then cancelled"
  done
done

# /example_data on our server: notifications follow PUTs by another client.
for ci in 0 1; do
  uri=coap+tcp://127.0.0.1:$((p + 1))/example_data
  ${TCP_CLIENTS[0]} -m put -e "first" "$uri" > /dev/null || fail "PUT first"
  timeout 30 ${TCP_CLIENTS[$ci]} -s 3 "$uri" > "$WORK/data$ci.out" 2>&1 &
  obs=$!
  sleep 1
  for v in second third; do
    ${TCP_CLIENTS[0]} -m put -e "$v" "$uri" > /dev/null || fail "PUT $v"
    sleep 0.5
  done
  wait $obs || fail "${TCP_CLIENT_NAMES[$ci]}: observing /example_data failed"
  got=$(tr -d '\n' < "$WORK/data$ci.out")
  case $got in
    firstsecondthird*) ok "${TCP_CLIENT_NAMES[$ci]} -> our server: notifications after PUTs: $got" ;;
    *) fail "${TCP_CLIENT_NAMES[$ci]}: notifications after PUTs: '$got'" ;;
  esac
done
