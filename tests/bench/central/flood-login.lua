-- wrk script: POST /v1/sessions with a wrong password, as a password
-- guesser floods it (central answers 401, then 429 from its buckets).
function request()
  return wrk.format("POST", "/v1/sessions", { ["Content-Type"] = "application/json" },
    '{"username":"demo","password":"guess-guess"}')
end
