# ci/load-peers-lib.sh - the peers `vxnet load` is checked (ci/load-peers.sh) and measured (bench/load-vs-c.sh)
# against, each on a free port of 127.0.0.1, in the folder $PEERS (made by the caller), stopped by peers_stop:
#   peers_c        C echo servers of ../shared/bench (cecho, cudpecho) and, with BUILD_LOADERS=1, its C load tools;
#                  sets CECHO_PORT, CUDPECHO_PORT, C_BIN; returns 1 (and says why) when ../shared/bench is absent
#   peers_nginx    nginx, 1 worker: plain HTTP and TLS with HTTP/2 (a self-signed P-256 certificate for 127.0.0.1):
#                  /tiny (fixed JSON), /fail (500); sets NGINX_HTTP_PORT, NGINX_HTTPS_PORT, NGINX_CERT
#   peers_dnsmasq  dnsmasq answering load.test: host1..host100.load.test A, everything else in it NXDOMAIN, other
#                  names REFUSED (no upstream); sets DNSMASQ_PORT, DNS_NAMES (host1..100 and one missing name)
# Needs: gcc (C peers), nginx, openssl, dnsmasq, python3.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_peer_pids=()

peers_stop() {
  local pid
  for pid in "${_peer_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_peer_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$PEERS/nginx.pid" ] && kill "$(cat "$PEERS/nginx.pid")" 2>/dev/null || true
  _peer_pids=()
}

_wait_port() { # port what
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "peers: $2 did not listen on 127.0.0.1:$1 within 5 s" >&2
  return 1
}

peers_c() {
  local shared=${SHARED_BENCH:-$ROOT/../shared/bench}
  if [ ! -f "$shared/tools/cecho.c" ]; then
    echo "peers: $shared/tools not found (../shared beside the clone): the C echo rows are skipped" >&2
    return 1
  fi
  command -v gcc >/dev/null || { echo "peers: gcc is missing (apt-get install gcc)" >&2; return 1; }
  C_BIN=$PEERS/bin
  mkdir -p "$C_BIN"
  local tool
  for tool in cecho cudpecho $([ "${BUILD_LOADERS:-0}" = 1 ] && echo tcpecho-load udpecho-load); do
    gcc -O2 -std=gnu11 -pthread -o "$C_BIN/$tool" "$shared/tools/$tool.c"
  done
  CECHO_PORT=$(free_port)
  CUDPECHO_PORT=$(free_port)
  "$C_BIN/cecho" -p "$CECHO_PORT" -a 127.0.0.1 >"$PEERS/cecho.log" 2>&1 &
  _peer_pids+=($!)
  "$C_BIN/cudpecho" -p "$CUDPECHO_PORT" -a 127.0.0.1 >"$PEERS/cudpecho.log" 2>&1 &
  _peer_pids+=($!)
  _wait_port "$CECHO_PORT" cecho
}

peers_nginx() {
  local dir=$PEERS/nginx
  mkdir -p "$dir/www" "$dir/logs" "$dir/tmp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  NGINX_CERT=$dir/cert.pem
  NGINX_HTTP_PORT=$(free_port)
  NGINX_HTTPS_PORT=$(free_port)
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $PEERS/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$NGINX_HTTP_PORT;
    listen 127.0.0.1:$NGINX_HTTPS_PORT ssl http2;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    ssl_protocols TLSv1.3;
    root $dir/www;
    location = /tiny { default_type application/json; return 200 '{"ok":true}'; }
    location = /fail { return 500; }
  }
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;' &
  _peer_pids+=($!)
  _wait_port "$NGINX_HTTP_PORT" nginx
}

peers_dnsmasq() {
  local dir=$PEERS/dnsmasq i
  mkdir -p "$dir"
  DNS_NAMES=$dir/names.txt
  : >"$dir/hosts"
  : >"$DNS_NAMES"
  for i in $(seq 1 100); do
    echo "127.0.1.$i host$i.load.test" >>"$dir/hosts"
    echo "host$i.load.test A" >>"$DNS_NAMES"
  done
  echo "missing.load.test A" >>"$DNS_NAMES"
  DNSMASQ_PORT=$(free_port)
  dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$dir/hosts" --local=/load.test/ \
    --port="$DNSMASQ_PORT" --listen-address=127.0.0.1 --bind-interfaces --cache-size=1000 \
    --pid-file="$dir/dnsmasq.pid" --user="$(id -un)" --log-facility="$dir/dnsmasq.log" &
  _peer_pids+=($!)
  _wait_port "$DNSMASQ_PORT" dnsmasq
}
