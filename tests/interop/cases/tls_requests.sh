# CoAP over TLS (coaps+tcp://, RFC 8323) between libcoap 4.3.5's
# coap-client and coap-server (on Debian's OpenSSL library and on our
# libcoap-3-openssl) and bookworm's 4.3.1 coap-client-openssl /
# coap-server-openssl (on Debian's library and on ours), both directions,
# with a pre-shared key and with certificates made at test time: GET, PUT,
# Observe, and 1 MiB block-wise both ways.
. "$INTEROP_DIR/lib.sh"
. "$INTEROP_DIR/programs/secure_lib.sh"
secure_matrix coaps+tcp
