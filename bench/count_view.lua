-- wrk script for bench/run: the page-view beacon as browsers send it (insights/views.py).
-- Each request comes from another address (X-Forwarded-For, which bench/run's site reads
-- as CLIENT_IP_HEADER): views are counted once per address and page for a short while
-- (insights/counting.py), and the benchmark measures counting every one, the cost of that
-- check included.
wrk.method = "POST"
wrk.body = "/articles/how-ketamine-works/"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

-- Addresses never repeat, across wrk's threads and bench/run's rounds alike: an IPv6
-- network of its own (the site counts an IPv6 visitor by /64) named by the thread, the
-- second the round started and the request's number. (Each thread's Lua has its own
-- math.random, seeded alike, so random addresses would repeat across threads.)
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  thread:set("round", os.time() % 65536)
  table.insert(threads, thread)
end

local counter = 0
function request()
  counter = counter + 1
  -- wrk.format() sends only the headers it is given: the ones above and bench/run's -H
  -- ones (X-Forwarded-Proto) are copied in. Without them the site rightly counts nothing:
  -- a post with neither Sec-Fetch-Site nor Origin is refused (403), and one that does not
  -- say it came over HTTPS is redirected there (301).
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["X-Forwarded-For"] = string.format("fd%02x:%x:%x:%x::1", thread_id % 256, round,
                                             math.floor(counter / 65536) % 65536, counter % 65536)
  return wrk.format(nil, nil, headers)
end

-- Any answer but 204 (a refusal, a redirect) is an error in bench/run's table (wrk itself
-- counts only 4xx and 5xx), so a beacon the site did not take shows as one.
unexpected = 0  -- global: done() reads each thread's own with thread:get
function response(status, headers, body)
  if status ~= 204 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("Beacons not answered 204: %d\n", total))
end
