# A demo PKI made with the openssl CLI: a CA, agency certificates that bind an agency code (subject
# UID, see docs/design.md) and server certificates (the hub's, the office's). Never for
# production: keys are unencrypted and the CA key sits next to them.

# pki_create_ca <dir> [common name]: the CA's certificate and key are <dir>/ca.crt and ca.key.
pki_create_ca() {
  local dir=$1 name=${2:-Trục demo CA}
  mkdir -p "$dir"
  [[ -f "$dir/ca.crt" ]] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -utf8 -days 3650 -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -subj "/C=VN/O=Trục demo/CN=$name" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$dir/ca.key"
}

# pki_issue <dir> <name> <subject> <extensions>
pki_issue() {
  local dir=$1 name=$2 subject=$3 extensions=$4
  [[ -f "$dir/$name.crt" ]] && return 0
  openssl req -newkey rsa:2048 -nodes -utf8 -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "$subject" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 825 \
    -out "$dir/$name.crt" -extfile <(printf '%b' "$extensions") 2>/dev/null
  rm -f "$dir/$name.csr"
  chmod 600 "$dir/$name.key"
}

# pki_issue_agency <dir> <name> <agency code> <organisation name>
pki_issue_agency() {
  pki_issue "$1" "$2" "/C=VN/O=$4/CN=$4/UID=$3" \
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=clientAuth\n"
}

# pki_issue_server <dir> <name> <dns name>
pki_issue_server() {
  pki_issue "$1" "$2" "/C=VN/O=Trục demo/CN=$3" \
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:$3,IP:127.0.0.1\n"
}
