-- Writes a value only if the presented fence is not older than the last one recorded.
-- KEYS[1] the resource hash (fields 'fence' and 'value')
-- ARGV[1] the fence, a non-negative decimal without leading zeros; ARGV[2] the value
-- Returns {1, fence} when written, {0, last fence} when refused.
--
-- Fences are compared as decimal strings, never as Lua numbers: a double cannot hold every
-- 64-bit fence exactly. Each half of a 19-digit string fits a double exactly.
local function older(a, b)
  if #a ~= #b then
    return #a < #b
  end
  local split = #a - 9
  if split > 0 then
    local highA, highB = tonumber(string.sub(a, 1, split)), tonumber(string.sub(b, 1, split))
    if highA ~= highB then
      return highA < highB
    end
    return tonumber(string.sub(a, split + 1)) < tonumber(string.sub(b, split + 1))
  end
  return tonumber(a) < tonumber(b)
end

local last = redis.call('hget', KEYS[1], 'fence')
if last and older(ARGV[1], last) then
  return {0, last}
end
redis.call('hset', KEYS[1], 'fence', ARGV[1], 'value', ARGV[2])
return {1, ARGV[1]}
