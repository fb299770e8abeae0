-- wrk script: POST /cittadino/richiesta with the browser's cookie and
-- token (SP_COOKIE, SP_TOKEN) and a date of birth the form refuses: the
-- page's own path (CSRF, strict form, checks, the page drawn again)
-- without the Argon2id of a real request.
function request()
  local body = "csrf=" .. os.getenv("SP_TOKEN") .. "&cf=RSSMRA80A01H501U&surname=Rossi&name=Mario"
    .. "&birth_date=31%2F02%2F1980&street=Via+Roma+1&postcode=00184&city=Roma&province=RM"
    .. "&mobile=&email=mario%40example.it&pec="
  return wrk.format("POST", "/cittadino/richiesta",
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = os.getenv("SP_COOKIE") }, body)
end
