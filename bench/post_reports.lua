-- wrk script for bench/bench_serve.sh: every request posts a new report
-- (POST /api/v1/reports) with an id unique across threads and requests,
-- at a point drawn around the M4 corridor in Idlib (36.15-36.85 E,
-- 35.70-35.95 N: inside and outside the 6 km corridor), a date in the
-- months after the ceasefire, and one of a few event types and actors.
-- The token comes in the environment (TRUCE_TOKEN); so may a prefix of the
-- ids (TRUCE_ID_PREFIX, default "wrk"), for several wrk at once
-- (bench/bench_processes.sh).  At the end it prints
-- one line: "wrk <TAB> requests <TAB> 2xx <TAB> other statuses <TAB> socket
-- errors <TAB> seconds <TAB> p50 ms <TAB> p99 ms <TAB> max ms".
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
end

local types = { "Battles", "Explosions/Remote violence", "shelling", "Protests" }
local actors = { "Military Forces of Syria", "Hayat Tahrir al-Sham", "Military Forces of Turkey" }

function init(args)
    token = os.getenv("TRUCE_TOKEN")
    prefix = os.getenv("TRUCE_ID_PREFIX") or "wrk"
    n = 0
    ok = 0
    other = 0
    math.randomseed(tid * 7919)
    wrk.method = "POST"
    wrk.headers["Authorization"] = "Bearer " .. token
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    n = n + 1
    local body = string.format(
        '{"id":"%s-%d-%d","start":"2020-%02d-%02d","lon":%.5f,"lat":%.5f,' ..
        '"event_type":"%s","actor1":"%s","notes":"load test report"}',
        prefix, tid, n, math.random(3, 9), math.random(1, 28),
        36.15 + math.random() * 0.70, 35.70 + math.random() * 0.25,
        types[math.random(#types)], actors[math.random(#actors)])
    return wrk.format(nil, "/api/v1/reports", nil, body)
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok = ok + 1
    else
        other = other + 1
        if other <= 3 then
            io.stderr:write("status " .. status .. ": " .. body .. "\n")
        end
    end
end

function done(summary, latency, requests)
    local ok_all, other_all = 0, 0
    for _, t in ipairs(threads) do
        ok_all = ok_all + t:get("ok")
        other_all = other_all + t:get("other")
    end
    local e = summary.errors
    io.write(string.format("wrk\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n",
        summary.requests, ok_all, other_all,
        e.connect + e.read + e.write + e.timeout,
        summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
