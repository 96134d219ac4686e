-- wrk script: POST /reviews (one photo, no characteristics) for a product drawn uniformly from 1..PRODUCT_MAX.
local max = tonumber(os.getenv("PRODUCT_MAX") or "1000011")
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
local headers = { ["Content-Type"] = "application/json" }
request = function()
  local body = string.format('{"product_id": %d, "rating": %d, "summary": "Load test", "body": "Written by the'
    .. ' write benchmark, one photo and no characteristics, like the issue that set the goal.", "recommend": true,'
    .. ' "name": "bench", "email": "bench@example.com", "photos": ["https://example.com/bench.jpg"],'
    .. ' "characteristics": {}}', math.random(1, max), math.random(1, 5))
  return wrk.format("POST", "/reviews", headers, body)
end
