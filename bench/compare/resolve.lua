-- wrk script of bench/compare.sh: GET /resolve for host1..host200.bench.test in turn (all in dnsmasq's data,
-- so after the warm-up every answer comes from vxnet's cache).
local n = 0
request = function()
  n = n % 200 + 1
  return wrk.format("GET", "/resolve?name=host" .. n .. ".bench.test&type=A")
end
