-- wrk script: PUT /reviews/{id}/helpful for a review drawn uniformly from 1..REVIEW_MAX (default 5770000).
local max = tonumber(os.getenv("REVIEW_MAX") or "5770000")
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("PUT", "/reviews/" .. math.random(1, max) .. "/helpful")
end
