#!/bin/sh
# Starts nginx in the foreground as a webhook listener, its configuration rendered from the
# wh-conformance target contract (the WHC_* variables the harness sets):
#   wh-conformance run --command "sh examples/nginx/start.sh" --profile none --capabilities crl,ocsp,subject-pinning
# The argument picks the server block: mtls (default, the correct one) or optional-verify (the
# typical misconfiguration).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
server=${1:-mtls}
fail() {
  echo "start.sh: $1" >&2
  exit 2
}
[ -f "$here/$server.conf.template" ] || fail "no $server.conf.template next to start.sh: use mtls or optional-verify"
command -v nginx >/dev/null 2>&1 || fail "nginx is not installed (Debian: apt-get install nginx)"
for name in WHC_HOST WHC_PORT WHC_WEBHOOK_PATH WHC_SERVER_CERT_FILE WHC_SERVER_KEY_FILE WHC_CLIENT_CA_FILE WHC_CRL_FILE WHC_OCSP_URL WHC_ALLOWED_CLIENT_SUBJECT; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name is not set: run this through wh-conformance, or set the WHC_* variables yourself"
done

[ -n "${WHC_CERTS_DIR:-}" ] || fail "WHC_CERTS_DIR is not set: nginx keeps its runtime files in the kit"
# Inside the kit, so they go when the harness removes it.
RUN_DIR="$WHC_CERTS_DIR/nginx"
mkdir -p "$RUN_DIR"
chmod 700 "$RUN_DIR"

# nginx prints the subject as RFC 2253 (no space after commas); the pattern matches it whole.
SUBJECT_REGEX="^$(printf '%s' "$WHC_ALLOWED_CLIENT_SUBJECT" | sed -e 's/, */,/g' -e 's/[][\\.*^$+?(){}|]/\\&/g')\$"

# Replaces each ${NAME} of the variables below, and nothing else (nginx's own $variables stay).
render() {
  script=''
  for name in RUN_DIR SUBJECT_REGEX WHC_HOST WHC_PORT WHC_WEBHOOK_PATH WHC_SERVER_CERT_FILE WHC_SERVER_KEY_FILE WHC_CLIENT_CA_FILE WHC_CRL_FILE WHC_OCSP_URL; do
    eval "value=\$$name"
    escaped=$(printf '%s' "$value" | sed -e 's/[\\&|]/\\&/g')
    script="${script}s|\${$name}|$escaped|g;"
  done
  sed -e "$script" "$1" > "$2"
}
render "$here/nginx.conf.template" "$RUN_DIR/nginx.conf"
render "$here/$server.conf.template" "$RUN_DIR/server.conf"

# exec: nginx itself gets the harness's SIGTERM and shuts down.
exec nginx -e /dev/stderr -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g 'daemon off;'
