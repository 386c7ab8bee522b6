-- wrk: many connections posting ~1.8 KB canonical sales, each with a unique sequence and Idempotency-Key.
-- Driven by bench-ingest.ts; TOKEN, SALE_FILE, RUN and TARGET_PATH come from the environment.
local body = io.open(os.getenv("SALE_FILE")):read("*a")
local run = os.getenv("RUN")
local token = os.getenv("TOKEN")
local path = os.getenv("TARGET_PATH")
local counter = 0

request = function()
  counter = counter + 1
  local seq = run .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  local id = "bench-" .. seq
  local b = body:gsub('"sequence":"[^"]*"', '"sequence":"' .. seq .. '"', 1):gsub('"id":"[^"]*"', '"id":"' .. id .. '"', 1)
  return wrk.format("POST", path, {
    ["content-type"] = "application/json",
    ["authorization"] = "Bearer " .. token,
    ["idempotency-key"] = id,
  }, b)
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f\n", summary.requests, errors, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
