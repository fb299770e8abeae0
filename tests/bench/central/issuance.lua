-- wrk script: POST /v1/issuances with a fresh UUID (and Idempotency-Key)
-- per request, for codici fiscali drawn from the seeded registry.
local template, cfs = nil, {}

function init(args)
  template = io.open(args[1]):read("*a")
  for line in io.lines(args[2]) do cfs[#cfs + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function (c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  local id = uuid()
  local cf = cfs[math.random(#cfs)]
  local body = template:gsub("@ID@", id):gsub("@CF@", cf)
  return wrk.format("POST", "/v1/issuances",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = id,
      ["Authorization"] = "Bearer " .. os.getenv("SP_TOKEN") }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = (errors or 0) + 1
  end
end
