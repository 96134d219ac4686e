-- wrk script: GET /reviews/meta or /reviews for a product drawn uniformly from PRODUCT_MIN..PRODUCT_MAX.
-- Environment: WRK_PATH=meta|list (default meta), PRODUCT_MIN (default 1), PRODUCT_MAX (default 1000011), API_KEY
-- (sent as a Bearer key when set, for nodes that require keys).
local kind = os.getenv("WRK_PATH") or "meta"
local min = tonumber(os.getenv("PRODUCT_MIN") or "1")
local max = tonumber(os.getenv("PRODUCT_MAX") or "1000011")
local key = os.getenv("API_KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function()
  local p = math.random(min, max)
  if kind == "meta" then
    return wrk.format("GET", "/reviews/meta?product_id=" .. p)
  end
  return wrk.format("GET", "/reviews?product_id=" .. p .. "&count=5&sort=relevant")
end
