-- wrk script of bench/http_load.py: each wrk thread is one person (its session cookie),
-- every request carries what the TLS proxy would add, and anything but a 200
-- counts as an error. done() prints one line of JSON for bench/http_load.py to read.
--
--   BENCH_COOKIES="sessionid=a|sessionid=b" wrk -t2 -c10 -d20s -s bench/http_load.lua URL

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local cookies = {}
  for cookie in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
    table.insert(cookies, cookie)
  end
  if #cookies > 0 then
    wrk.headers["Cookie"] = cookies[(index % #cookies) + 1]
  end
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["X-Forwarded-For"] = "198.51.100.7"
  not_200 = 0
  last_bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
    last_bad = status
  end
end

function done(summary, latency, requests)
  local bad, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_200")
    if thread:get("last_bad") ~= 0 then
      bad_status = thread:get("last_bad")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"status":%d,"not_200":%d,"a_bad_status":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status, bad, bad_status))
end
