-- wrk script for bench/run: the page-view beacon as browsers send it (insights/views.py).
wrk.method = "POST"
wrk.body = "/articles/how-ketamine-works/"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
