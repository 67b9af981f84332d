#!/usr/bin/env bash
# DNS integration checks of a built vxnet (target/vxnet.jar) against real programs, all on 127.0.0.1:
# dnsmasq serves the test zone vxnet.test as the upstream; vxnet runs its https and dns services only;
# curl, dig (bind9-dnsutils) and kdig (knot-dnsutils) are the DoH clients. Needs: java, dnsmasq, curl, and
# dig and/or kdig. Every wait is bounded; everything started is stopped by its PID on exit (see ci/dns-env.sh).
#   ci/dns-integration.sh            # exit 0 when every check passed
#   VXNET_JAR=/path/vxnet.jar ci/dns-integration.sh
set -uo pipefail
# shellcheck source=ci/dns-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/dns-env.sh"
failures=0

ok() { echo "ok   - $1"; }
fail() {
  echo "FAIL - $1"
  [ $# -gt 1 ] && printf '       %s\n' "$2" | head -c 2000
  failures=$((failures + 1))
}
# expect DESCRIPTION ACTUAL EXPECTED: exact match
expect() {
  if [ "$2" == "$3" ]; then ok "$1"; else fail "$1" "expected: $3 | got: $2"; fi
}
# expect_match DESCRIPTION TEXT REGEX (grep -E)
expect_match() {
  if grep -Eq -- "$3" <<<"$2"; then ok "$1"; else fail "$1" "no match for /$3/ in: $2"; fi
}

require java dnsmasq curl python3
read -r dns_port dead_port https_port do53_port dot_port <<<"$(free_ports 5)"
# The dead upstream comes first: nothing listens there, so its ICMP port unreachable fails the first question over
# to dnsmasq at once (not after timeout_ms), and marks it down (issue 9 row 15).
conf="$(vxnet_conf "$https_port" "{\"upstreams\":[\"127.0.0.1:$dead_port\",\"127.0.0.1:$dns_port\"],\"timeout_ms\":3000,\"do53_port\":$do53_port,\"dot_port\":$dot_port}")"
echo "# dnsmasq on 127.0.0.1:$dns_port, nothing on 127.0.0.1:$dead_port (dead upstream), vxnet https on 127.0.0.1:$https_port,"
echo "# Do53 on 127.0.0.1:$do53_port (UDP and TCP), DoT on 127.0.0.1:$dot_port"
echo "# vxnet -conf $conf"

# dnsmasq: the upstream, authoritative for vxnet.test (with SOA and NS), refusing everything else.
start_dnsmasq "$dns_port" v4only.vxnet.test 192.0.2.40 \
  --local=/vxnet.test/ --local-ttl=300 --auth-ttl=300 \
  --auth-server=ns1.vxnet.test,127.0.0.1 --auth-zone=vxnet.test,192.0.2.0/24,2001:db8::/32,127.0.0.0/8 \
  --auth-soa=2026010101,hostmaster.vxnet.test,3600,600,86400 \
  --host-record=www.vxnet.test,192.0.2.10,2001:db8::10 \
  --host-record=web.vxnet.test,127.0.0.1 \
  --host-record=mail.vxnet.test,192.0.2.25 \
  --host-record=v4only.vxnet.test,192.0.2.40 \
  --cname=alias.vxnet.test,www.vxnet.test \
  --mx-host=vxnet.test,mail.vxnet.test,10 \
  --txt-record=txt.vxnet.test,"hello world","second string" \
  --srv-host=_sip._tcp.vxnet.test,sip.vxnet.test,5060,10,60 \
  --txt-record=big.vxnet.test,"$(printf 'a%.0s' $(seq 1 200))","$(printf 'b%.0s' $(seq 1 200))","$(printf 'c%.0s' $(seq 1 200))","$(printf 'd%.0s' $(seq 1 200))","$(printf 'e%.0s' $(seq 1 200))","$(printf 'f%.0s' $(seq 1 200))","$(printf 'g%.0s' $(seq 1 200))"
ok "dnsmasq answers the test zone on 127.0.0.1:$dns_port"

start_vxnet "$conf" "$https_port" "vxnet.test&type=NS"
base="https://127.0.0.1:$https_port"
https_get() { curl -sk --max-time 10 "$@"; }
ok "vxnet answers $base/resolve"

# --- /resolve: the Google/Cloudflare JSON API ------------------------------------------------------------------------
headers="$work/headers.txt"
body="$(https_get -D "$headers" "$base/resolve?name=www.vxnet.test&type=A")"
expect "/resolve A: every field of the JSON format" "$body" \
  '{"Status":0,"TC":false,"RD":true,"RA":true,"AD":false,"CD":false,"Question":[{"name":"www.vxnet.test.","type":1}],"Answer":[{"name":"www.vxnet.test.","type":1,"TTL":300,"data":"192.0.2.10"}]}'
expect_match "/resolve A: Cache-Control max-age is the TTL" "$(cat "$headers")" '^cache-control: max-age=300'
expect_match "/resolve A: application/json" "$(cat "$headers")" '^content-type: application/json'

for case in "www.vxnet.test AAAA 28 2001:db8::10" \
            "alias.vxnet.test CNAME 5 www.vxnet.test." \
            "vxnet.test MX 15 10 mail.vxnet.test." \
            "txt.vxnet.test TXT 16 \\\\\"hello world\\\\\" \\\\\"second string\\\\\"" \
            "vxnet.test NS 2 ns1.vxnet.test." \
            "_sip._tcp.vxnet.test SRV 33 10 60 5060 sip.vxnet.test." \
            "vxnet.test SOA 6 ns1.vxnet.test. hostmaster.vxnet.test. 2026010101 3600 600 86400 300" \
            "192.0.2.10 PTR 12 www.vxnet.test." \
            "2001:db8::10 PTR 12 www.vxnet.test."; do
  read -r name type number data <<<"$case"
  expect_match "/resolve $type $name" "$(https_get "$base/resolve?name=$name&type=$type")" \
    "\"type\":$number,\"TTL\":[0-9]+,\"data\":\"$data\""
done
expect_match "/resolve type as a number (28)" "$(https_get "$base/resolve?name=www.vxnet.test&type=28")" '"data":"2001:db8::10"'

nxdomain="$(https_get -D "$headers" "$base/resolve?name=missing.vxnet.test&type=A")"
expect_match "/resolve NXDOMAIN: Status 3 and the SOA in Authority" "$nxdomain" \
  '^\{"Status":3,.*"Authority":\[\{"name":"vxnet.test.","type":6,"TTL":300,'
expect_match "/resolve NXDOMAIN: max-age from the SOA" "$(cat "$headers")" '^cache-control: max-age=300'
nodata="$(https_get "$base/resolve?name=v4only.vxnet.test&type=AAAA")"
expect_match "/resolve NODATA: Status 0, SOA in Authority" "$nodata" '^\{"Status":0,.*"Authority":\[\{"name":"vxnet.test.","type":6,'
expect_match "/resolve NODATA: no Answer (Authority follows Question)" "$nodata" '"Question":\[\{[^]]*\}\],"Authority":'

# --- cache: the second answer comes from the cache, its TTL lower, dnsmasq asked once --------------------------------
# cached_ttl NAME: the first TTL /resolve gives for NAME once it is below the 300 s of the zone (polled for 10 s).
cached_ttl() {
  local ttl=300
  for _ in $(seq 1 50); do
    ttl="$(https_get "$base/resolve?name=$1&type=A" | grep -Eo '"TTL":[0-9]+' | head -n 1 | cut -d: -f2)"
    [ "${ttl:-300}" -lt 300 ] && break
    sleep 0.2
  done
  echo "${ttl:-none}"
}
ttl="$(cached_ttl www.vxnet.test)"
expect_match "cached answer: the TTL went down a few seconds (got $ttl)" "$ttl" '^(29[0-9]|2[4-8][0-9])$'
expect "dnsmasq was asked for www.vxnet.test A once" \
  "$(grep -Ec '(query|auth)\[A\] www.vxnet.test from 127.0.0.1' "$work/dnsmasq-queries.log")" 1
ttl="$(cached_ttl missing.vxnet.test)"
expect_match "cached NXDOMAIN: the SOA's TTL went down (got $ttl)" "$ttl" '^(29[0-9]|2[4-8][0-9])$'

# --- failures and bad input ------------------------------------------------------------------------------------------
status_of() { https_get -o "$work/out" -w '%{http_code}' "$@"; }
expect "/resolve of a name outside the zone: 502" "$(status_of "$base/resolve?name=example.com&type=A")" 502
expect "/resolve all upstreams failed: each named with its failure (the dead one is down: skipped)" "$(cat "$work/out")" \
  "{\"error\":{\"code\":\"UPSTREAM_FAILED\",\"message\":\"no upstream answered example.com. A (tried 1): 127.0.0.1:$dns_port: answered REFUSED\"}}"
expect "/resolve bad name: 400" "$(status_of "$base/resolve?name=bad%20name.vxnet.test&type=A")" 400
expect_match "/resolve bad name: the error names the field" "$(cat "$work/out")" '^\{"error":\{"code":"BAD_REQUEST","message":"name: label'
expect "/resolve unknown type: 400" "$(status_of "$base/resolve?name=www.vxnet.test&type=BOGUS")" 400
expect "/resolve name of 254 characters: 400" "$(status_of "$base/resolve?name=$(printf 'a%.0s' $(seq 1 250)).com")" 400

# --- RFC 8484 with curl: GET and POST of a hand-made query (ID 0, RD, www.vxnet.test A) -----------------------------
printf '\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x05vxnet\x04test\x00\x00\x01\x00\x01' >"$work/query.bin"
query64="$(base64 -w0 <"$work/query.bin" | tr '+/' '-_' | tr -d '=')"
hex() { od -An -tx1 "$1" | tr -d ' \n'; }
expect "RFC 8484 GET: 200 application/dns-message" \
  "$(https_get -o "$work/answer.bin" -w '%{http_code} %{content_type}' "$base/dns-query?dns=$query64")" "200 application/dns-message"
expect_match "RFC 8484 GET: ID 0, QR RD RA, NOERROR, 1 answer: 192.0.2.10" "$(hex "$work/answer.bin")" '^00008180000100010000.*c000020a$'
expect "RFC 8484 POST: 200 application/dns-message" \
  "$(https_get -o "$work/answer.bin" -w '%{http_code} %{content_type}' -H 'Content-Type: application/dns-message' \
    --data-binary @"$work/query.bin" "$base/dns-query")" "200 application/dns-message"
expect_match "RFC 8484 POST: the answer 192.0.2.10" "$(hex "$work/answer.bin")" '^00008180000100010000.*c000020a$'
expect "RFC 8484 POST of garbage: 400" "$(status_of -H 'Content-Type: application/dns-message' --data-binary 'not a DNS message' "$base/dns-query")" 400
head -c 7 "$work/query.bin" >"$work/short.bin"
expect "RFC 8484 POST of a cut query: 400" "$(status_of -H 'Content-Type: application/dns-message' --data-binary @"$work/short.bin" "$base/dns-query")" 400
expect "RFC 8484 GET with dns= not base64url: 400" "$(status_of "$base/dns-query?dns=%25%25%25")" 400
expect "RFC 8484 GET without dns=: 400" "$(status_of "$base/dns-query")" 400
expect "RFC 8484 POST as text/plain: 415" "$(status_of -H 'Content-Type: text/plain' --data-binary @"$work/query.bin" "$base/dns-query")" 415

# --- real DoH clients --------------------------------------------------------------------------------------------------
# curl resolves web.vxnet.test (127.0.0.1 in the zone) through vxnet's DoH, then fetches from vxnet itself.
fetched="$(curl -sS -v --max-time 15 -k --doh-insecure --doh-url "$base/dns-query" \
  "https://web.vxnet.test:$https_port/resolve?name=mail.vxnet.test&type=A" 2>"$work/curl-doh.err")"
expect_match "curl --doh-url: resolved web.vxnet.test through vxnet" "$(cat "$work/curl-doh.err")" 'DoH A: 127\.0\.0\.1'
expect_match "curl --doh-url: fetched from the resolved address" "$fetched" '"data":"192\.0\.2\.25"'

if command -v dig >/dev/null; then
  # dig does not check the certificate unless +tls-ca is given.
  answer="$(dig +https @127.0.0.1 -p "$https_port" +time=5 +tries=1 www.vxnet.test AAAA)"
  expect_match "dig +https (POST): NOERROR" "$answer" 'status: NOERROR'
  expect_match "dig +https (POST): the AAAA record" "$answer" $'^www\\.vxnet\\.test\\.\t+[0-9]+\tIN\tAAAA\t2001:db8::10'
  answer="$(dig +https-get @127.0.0.1 -p "$https_port" +time=5 +tries=1 alias.vxnet.test A)"
  expect_match "dig +https-get: the CNAME" "$answer" $'^alias\\.vxnet\\.test\\.\t+[0-9]+\tIN\tCNAME\twww\\.vxnet\\.test\\.'
  expect_match "dig +https-get: its target's A record" "$answer" $'^www\\.vxnet\\.test\\.\t+[0-9]+\tIN\tA\t192\\.0\\.2\\.10'
  answer="$(dig +https @127.0.0.1 -p "$https_port" +time=5 +tries=1 missing.vxnet.test A)"
  expect_match "dig +https: NXDOMAIN" "$answer" 'status: NXDOMAIN'
  answer="$(dig +https @127.0.0.1 -p "$https_port" +time=5 +tries=1 example.com A)"
  expect_match "dig +https: SERVFAIL with an Extended DNS Error when no upstream answers" "$answer" 'EDE: 22 \(No Reachable Authority\)'
else
  echo "# dig not installed: its checks skipped"
fi
if command -v kdig >/dev/null; then
  # kdig without +tls-ca does not check the certificate either.
  answer="$(kdig +https @127.0.0.1 -p "$https_port" +timeout=5 +retry=0 _sip._tcp.vxnet.test SRV 2>&1)"
  expect_match "kdig +https: HTTP/2 to /dns-query" "$answer" 'HTTP session \(HTTP/2-POST\)'
  expect_match "kdig +https: the SRV record" "$answer" $'_sip\\._tcp\\.vxnet\\.test\\.\t+[0-9]+\tIN\tSRV\t10 60 5060 sip\\.vxnet\\.test\\.'
  answer="$(kdig +https @127.0.0.1 -p "$https_port" +timeout=5 +retry=0 -x 2001:db8::10 2>&1)"
  expect_match "kdig +https: IPv6 reverse (PTR)" "$answer" $'IN\tPTR\twww\\.vxnet\\.test\\.'
else
  echo "# kdig not installed: its checks skipped"
fi

# --- issue 9 rows 7 and 10 on DoH: the DO bit echoed; a cut-off query with TC set is a 400, GET and POST -------------
cut_off=AAADAAABAAAAAAAAA3d3dw   # ID 0, TC and RD, 1 question announced, then only "www"
expect "RFC 8484 GET of a cut-off query with TC set: 400" "$(status_of "$base/dns-query?dns=$cut_off")" 400
expect_match "RFC 8484 GET of a cut-off query: the error says so" "$(cat "$work/out")" '"message":"cut off: the header announces 1 record'
printf '%s' "$cut_off" | tr '_-' '/+' | base64 -d >"$work/cut.bin" 2>/dev/null
expect "RFC 8484 POST of a cut-off query with TC set: 400" \
  "$(status_of -H 'Content-Type: application/dns-message' --data-binary @"$work/cut.bin" "$base/dns-query")" 400
if command -v dig >/dev/null; then
  expect_match "dig +https +dnssec: the answer's OPT has the DO bit (RFC 3225)" \
    "$(dig +https +dnssec @127.0.0.1 -p "$https_port" +time=5 +tries=1 www.vxnet.test A)" '; EDNS: version: 0, flags: do;'
fi

# --- Do53 (UDP, TCP) and DoT listeners ----------------------------------------------------------------------------
# raw_udp PORT HEX: sends the bytes to the Do53 port; prints "ID RCODE" of the answer, or "none" after 2 s.
raw_udp() {
  python3 - "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(bytes.fromhex(sys.argv[2]), ("127.0.0.1", int(sys.argv[1])))
try:
    d = s.recv(65535)
    print(int.from_bytes(d[0:2], "big"), d[3] & 0x0F)
except socket.timeout:
    print("none")
PY
}
if command -v dig >/dev/null; then
  q() { dig @127.0.0.1 -p "$do53_port" +time=5 +tries=1 "$@"; }
  answer="$(q www.vxnet.test A)"
  expect_match "dig Do53 UDP: NOERROR" "$answer" 'status: NOERROR'
  expect_match "dig Do53 UDP: the A record" "$answer" $'^www\\.vxnet\\.test\\.\t+[0-9]+\tIN\tA\t192\\.0\\.2\\.10'
  expect_match "dig Do53 UDP: EDNS answered with the server's payload size" "$answer" '; EDNS: version: 0, flags:; udp: 1232'
  expect_match "dig Do53 TCP: the AAAA record" "$(q +tcp www.vxnet.test AAAA)" $'IN\tAAAA\t2001:db8::10'
  expect_match "dig +dnssec over Do53: DO echoed" "$(q +dnssec www.vxnet.test A)" '; EDNS: version: 0, flags: do;'
  expect_match "dig Do53, 512-byte buffer, a 1.4 KB TXT: truncated (TC)" "$(q +bufsize=512 +ignore big.vxnet.test TXT)" \
    'flags: qr tc rd ra; QUERY: 1, ANSWER: 0'
  expect_match "dig Do53 over TCP: the whole TXT record" "$(q +tcp big.vxnet.test TXT)" 'flags: qr rd ra; QUERY: 1, ANSWER: 1'
  answer="$(q CH TXT version.bind)"
  expect_match "dig class CH: REFUSED" "$answer" 'status: REFUSED'
  expect_match "dig class CH: Extended DNS Error 21 naming the reason" "$answer" 'EDE: 21 \(Not Supported\): \(class CH: vxnet forwards questions of class IN only\)'
  expect_match "dig ANY: REFUSED" "$(q vxnet.test ANY)" 'status: REFUSED'
  expect_match "dig AXFR (TCP): refused" "$(q vxnet.test AXFR)" 'Transfer failed'
  expect_match "dig +edns=1: BADVERS" "$(q +edns=1 +noednsnegotiation www.vxnet.test A)" 'status: BADVERS'
  expect_match "dig +opcode=status: NOTIMP" "$(q +opcode=status www.vxnet.test A)" 'status: NOTIMP'
fi
expect "Do53 garbage of a header's length: FORMERR with its ID (0x7468)" "$(raw_udp "$do53_port" "$(printf 'this is not a DNS message' | od -An -tx1 | tr -d ' \n')")" "29800 1"
expect "Do53 query with no question: FORMERR" "$(raw_udp "$do53_port" 004201000000000000000000)" "66 1"
expect "Do53 query with 2 questions: FORMERR (RFC 9619)" \
  "$(raw_udp "$do53_port" 004301000002000000000000037777770576786e657404746573740000010001037777770576786e657404746573740000010001)" "67 1"
expect "Do53 cut-off question with TC set: FORMERR" "$(raw_udp "$do53_port" 00000300000100000000000003777777)" "0 1"
expect "Do53 a response (QR set): no answer, no loop" "$(raw_udp "$do53_port" 004481800001000000000000037777770576786e657404746573740000010001)" "none"
expect "Do53 still answers after all that" "$(raw_udp "$do53_port" 004501000001000000000000037777770576786e657404746573740000010001)" "69 0"
if command -v kdig >/dev/null; then
  answer="$(kdig +tls @127.0.0.1 -p "$dot_port" +timeout=5 +retry=0 www.vxnet.test A 2>&1)"
  expect_match "kdig +tls (DoT): a TLS 1.3 session" "$answer" 'TLS session \(TLS1\.3\)'
  expect_match "kdig +tls (DoT): the A record" "$answer" 'www\.vxnet\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10'
fi
stats="$(https_get "$base/api/stats")"
counter() { python3 -c 'import json, sys; c = json.loads(sys.argv[1])["totals"]["dns"]["counters"]
for k in sys.argv[2].split("/"): c = c[k]
print(c)' "$stats" "$1"; }
expect "the dead upstream was marked down after one failure: ICMP port unreachable, not a timeout" \
  "$(counter "upstreams/127.0.0.1:$dead_port/down") $(counter "upstreams/127.0.0.1:$dead_port/failures")" "1 1"
expect "the dead upstream was asked once, then skipped" "$(counter "upstreams/127.0.0.1:$dead_port/queries")" 1
expect_match "Do53 counted its UDP queries" "$(counter udp_queries)" '^[1-9][0-9]*$'
expect_match "FORMERR counted" "$(counter formerr)" '^[1-9][0-9]*$'

# --- docs/dns.md's client examples, run as written ---------------------------------------------------------------
# Every command line of the docs' sh blocks that talks to a running vxnet (dig, kdig, curl, printf), with the default
# ports 8443, 8053 and 8853 replaced by this run's; the blocks that start programs (dnsmasq, java, mvn, bench/) are
# what this script does above. Each must exit 0; a dig/kdig answer must have the status its comment names (REFUSED,
# NXDOMAIN, ...; NOERROR otherwise), and a line whose comment starts with an HTTP status must print that status.
doc="$root/docs/dns.md"
doc_lines="$(awk '/^```sh$/ {inside = 1; next} /^```$/ {inside = 0} inside' "$doc" \
  | grep -E '^(dig|kdig|curl|printf) ' || true)"
expect_match "docs/dns.md: client examples found" "$(wc -l <<<"$doc_lines")" '^([1-9][0-9])$'
while IFS= read -r line; do
  command="$(sed -e "s/127\.0\.0\.1:8443/127.0.0.1:$https_port/g; s/-p 8443/-p $https_port/g; s/:8443\//:$https_port\//g" \
    -e "s/-p 8053/-p $do53_port/g; s/-p 8853/-p $dot_port/g" <<<"$line")"
  comment="$(sed -n 's/.*  # \(.*\)$/\1/p' <<<"$line")"
  output="$(cd "$work" && timeout 20 bash -c "$command" 2>&1)"
  status=$?
  if [ "$status" -ne 0 ]; then
    fail "docs/dns.md runs: $line" "exit status $status: $output"
  elif [[ "$line" =~ ^printf ]]; then
    ok "docs/dns.md runs: $line"
  elif [[ "$line" =~ ^k?dig ]]; then
    rcode="$(grep -Eo '^(REFUSED|NXDOMAIN|SERVFAIL|FORMERR|NOTIMP|BADVERS)' <<<"$comment" || echo NOERROR)"
    expect_match "docs/dns.md runs: $line" "$output" "status: $rcode"
  elif [[ "$comment" =~ ^([1-5][0-9][0-9]) ]]; then
    expect "docs/dns.md runs: $line" "$output" "${BASH_REMATCH[1]}"
  else
    expect_match "docs/dns.md runs: $line" "$output" '.'
  fi
done <<<"$doc_lines"

kill -0 "$vxnet_pid" 2>/dev/null || fail "vxnet still running at the end"
if [ "$failures" -gt 0 ]; then
  echo "# $failures check(s) failed; vxnet log:"
  tail -n 40 "$work/vxnet-$https_port.log"
  exit 1
fi
echo "# all DNS integration checks passed"
