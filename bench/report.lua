-- Shared wrk reporting for the marginalia bench: at the end of a run, one line
--   BENCH_RESULT {"requests":...,"p50_us":...,"p99_us":...,...}
-- that bench/summarize.py reads. Latencies are exact wrk percentiles, in microseconds.
-- Other scripts (post_comment.lua) load this file with dofile() to get the same line; one that
-- defines a global function bench_extra() returning ',"key":value...' gets those fields added.

function done(summary, latency, requests)
   local e = summary.errors
   local extra = ""
   if bench_extra ~= nil then extra = bench_extra() end
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"mean_us":%.1f,' ..
      '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d%s}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout, extra))
end
