-- wrk script for bench/run: the page-view beacon as browsers send it (insights/views.py).
-- Each request comes from another address (X-Forwarded-For, which bench/run's site reads
-- as CLIENT_IP_HEADER): views are counted once per address and page for a short while
-- (insights/counting.py), and the benchmark measures counting every one, the cost of that
-- check included.
wrk.method = "POST"
wrk.body = "/articles/how-ketamine-works/"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

local counter = 0
request = function()
  counter = counter + 1
  local address = string.format("10.%d.%d.%d", math.random(0, 255),
                                math.floor(counter / 256) % 256, counter % 256)
  return wrk.format(nil, nil, {["X-Forwarded-For"] = address})
end
