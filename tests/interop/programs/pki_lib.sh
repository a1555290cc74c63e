# Certificates for the (D)TLS interop cases, made at test time with the
# `openssl` command (sourced; needs $WORK). make_pki DIR creates:
#   ca.pem ca.key              "Interop CA"
#   server.pem server.key      CN localhost, SAN DNS:localhost, IP:127.0.0.1, ::1
#   client.pem client.key      CN client.interop
#   other_ca.pem other_ca.key  an unrelated CA
#   other_server.pem/.key      CN localhost, signed by other_ca
#   expired.pem expired.key    CN localhost, by ca, valid only in 2020
# Keys are EC P-256 (what libcoap's examples use).

make_pki() {
  local d=$1
  mkdir -p "$d"
  (
    cd "$d" || exit 1
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    ca() {  # NAME CN
      key "$1.key"
      openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 30 -sha256 \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -out "$1.pem" 2>/dev/null
    }
    leaf() {  # NAME CN ISSUER [SAN]
      key "$1.key"
      openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
      printf 'basicConstraints=CA:FALSE\n%s\n' "${4:+subjectAltName=$4}" > "$1.ext"
      openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 30 \
        -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    }
    ca ca "Interop CA"
    ca other_ca "Other CA"
    leaf server localhost ca "DNS:localhost,IP:127.0.0.1,IP:::1"
    leaf client client.interop ca
    leaf other_server localhost other_ca "DNS:localhost,IP:127.0.0.1"
    # Expired: signed through `openssl ca`, which takes explicit dates.
    key expired.key
    openssl req -new -key expired.key -subj "/CN=localhost" -out expired.csr 2>/dev/null
    mkdir -p cadb && : > cadb/index.txt && echo 1000 > cadb/serial
    cat > ca.cnf <<EOF
[ca]
default_ca = d
[d]
database = cadb/index.txt
serial = cadb/serial
new_certs_dir = cadb
default_md = sha256
policy = p
copy_extensions = none
[p]
commonName = supplied
EOF
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
      -startdate 20200101000000Z -enddate 20200201000000Z -notext >/dev/null 2>&1
  )
  for f in ca server client other_ca other_server expired; do
    [ -s "$d/$f.pem" ] || { echo "FAIL: could not make $f.pem"; return 1; }
  done
  return 0
}
