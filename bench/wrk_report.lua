-- wrk script for bench/pages.py: one JSON line at the end, so the bench parses figures, not wrk's text.
--
--   wrk -t2 -c8 -d5s --latency -s bench/wrk_report.lua -H "Cookie: sessionid=..." http://127.0.0.1:8000/
--
-- Prints a line starting with "WRK_JSON " followed by: requests, duration_s, p50_ms, p95_ms, p99_ms,
-- mean_ms, max_ms, non_2xx (every answer outside 200-299, redirects included), and wrk's socket errors.
-- wrk's latency percentiles are in microseconds; they are turned into milliseconds here.

local threads = {}

function setup(thread)
  -- Each thread has its own Lua state; keep a handle to read its counter in done().
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non_2xx_total = 0
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + (thread:get("non_2xx") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"mean_ms": %.3f, "max_ms": %.3f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d}\n',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.mean / 1000,
    latency.max / 1000,
    non_2xx_total,
    errors.connect,
    errors.read,
    errors.write,
    errors.timeout
  ))
end
