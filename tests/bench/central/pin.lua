-- wrk script: POST /v1/auth/pin with wrong PINs for random codici fiscali
-- (each costs one Argon2id verification on central's thread pool).
local cfs = {}

function init(args)
  for line in io.lines(args[1]) do cfs[#cfs + 1] = line end
  math.randomseed(os.time() + 7)
end

function request()
  local body = string.format('{"cf":"%s","pin":"AAAABBBBCCCCDDDD"}', cfs[math.random(#cfs)])
  return wrk.format("POST", "/v1/auth/pin",
    { ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. os.getenv("SP_TOKEN") }, body)
end
