-- Requests for bench/run.py, configured by the environment:
--   BENCH_METHODS, BENCH_PATHS, BENCH_BODIES  "|"-separated, one per request kind; a connection cycles
--                                              through them (timer start, then stop, then start ...)
--   BENCH_TOKENS                               ","-separated; thread i sends token i (one connection a thread)
--   BENCH_ACCEPT                               the Accept header (default application/json)
-- done() prints one line "BENCH_JSON {...}" that bench/run.py reads.

local function split(text, separator)
  local parts = {}
  if text == nil or text == "" then return parts end
  for part in (text .. separator):gmatch("(.-)" .. separator:gsub("%p", "%%%0")) do
    table.insert(parts, part)
  end
  return parts
end

local methods = split(os.getenv("BENCH_METHODS"), "|")
local paths = split(os.getenv("BENCH_PATHS"), "|")
local bodies = split(os.getenv("BENCH_BODIES"), "|")
local tokens = split(os.getenv("BENCH_TOKENS"), ",")
local accept = os.getenv("BENCH_ACCEPT") or "application/json"
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("token", tokens[(thread_count - 1) % #tokens + 1])
end

function init(args)
  -- The kind of the next request moves on only when a response arrives: wrk asks for a request again
  -- when it reconnects (gunicorn's sync workers close every connection), and a timer stop must follow
  -- the start that was answered.
  current = 1
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = accept,
    ["Content-Type"] = "application/json",
  }
end

function request()
  local body = bodies[current]
  if body == nil or body == "" then body = nil end
  return wrk.format(methods[current], paths[current], headers, body)
end

function response(status, headers, body)
  current = current % #paths + 1
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors_status": %d, "errors_socket": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
