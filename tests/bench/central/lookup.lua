-- wrk script: GET /v1/citizens/{cf} for random seeded codici fiscali.
local cfs = {}

function init(args)
  for line in io.lines(args[1]) do cfs[#cfs + 1] = line end
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", "/v1/citizens/" .. cfs[math.random(#cfs)],
    { ["Authorization"] = "Bearer " .. os.getenv("SP_TOKEN") })
end
