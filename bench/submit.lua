-- wrk script: POST /s/<slug>/submit, each request with its own prepared session cookie and
-- CSRF token (one line each in PAIRS_FILE: cookie<TAB>token), counting confirmations.
local pairs_file = os.getenv("PAIRS_FILE")
local slug = os.getenv("SLUG")
local pairs = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(pairs_file) do
    local cookie, token = line:match("([^\t]+)\t([^\t]+)")
    table.insert(pairs, {cookie, token})
  end
  index = 0
  confirmed = 0
  other = 0
  wrk.method = "POST"
  wrk.path = "/s/" .. slug .. "/submit"
end

function request()
  index = index + 1
  local pair = pairs[((index - 1) % #pairs) + 1]
  return wrk.format("POST", "/s/" .. slug .. "/submit", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "engage_session=" .. pair[1],
  }, "csrf_token=" .. pair[2])
end

function response(status, headers, body)
  if status == 303 and headers["Location"] and headers["Location"]:match("/done$") then
    confirmed = confirmed + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o, sent = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("confirmed")
    o = o + t:get("other")
    sent = sent + t:get("index")
  end
  io.write(string.format("CONFIRMED %d OTHER %d SENT %d\n", c, o, sent))
end
