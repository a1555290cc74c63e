# CoAP over DTLS (coaps://) between libcoap 4.3.5's coap-client and
# coap-server (on Debian's OpenSSL library and on our libcoap-3-openssl)
# and bookworm's 4.3.1 coap-client-openssl / coap-server-openssl (on
# Debian's library and on ours), both directions, with a pre-shared key
# (identity hint on the server) and with certificates made at test time
# (client certificates, verified by both sides): GET, PUT, Observe, and
# 1 MiB block-wise both ways.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/secure_lib.sh"
secure_matrix coaps
