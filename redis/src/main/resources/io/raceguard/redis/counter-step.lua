-- Moves a counter by an amount if the condition of the step holds, in one atomic step.
-- KEYS[1] the counter
-- ARGV[1] 'take' or 'add'; ARGV[2] the amount
-- ARGV[3] for 'add': the ceiling minus the amount, not negative (the highest level that can take
-- the amount, computed by the caller so that no sum can overflow)
-- Numbers are decimals without sign or leading zeros.
-- Returns {1, new level} when applied, {0, level} when the condition failed, and false when a
-- take finds no counter ('add' starts a missing counter at 0).
--
-- Levels go up to 2^63 - 1, which a Lua number (a double) cannot hold exactly: they are compared
-- as decimal strings, and changed only by INCRBY and DECRBY, which Redis does in 64-bit integers.
local function at_most(a, b)
  if #a ~= #b then
    return #a < #b
  end
  -- Equal lengths of at most 19 digits: the high digits and the last 9 each fit a double exactly.
  local high_a, high_b = tonumber(string.sub(a, 1, -10)) or 0, tonumber(string.sub(b, 1, -10)) or 0
  if high_a ~= high_b then
    return high_a < high_b
  end
  return tonumber(string.sub(a, -9)) <= tonumber(string.sub(b, -9))
end

local level = redis.call('get', KEYS[1])
-- Anything but a level written there by someone else is a fault, never read as some level.
if level and not (level == '0' or (string.find(level, '^[1-9]%d*$') and at_most(level, '9223372036854775807'))) then
  return redis.error_reply('ERR the key holds no counter level')
end
if ARGV[1] == 'take' then
  if not level then
    return false
  end
  if not at_most(ARGV[2], level) then
    return {0, level}
  end
  redis.call('decrby', KEYS[1], ARGV[2])
else
  level = level or '0'
  if not at_most(level, ARGV[3]) then
    return {0, level}
  end
  redis.call('incrby', KEYS[1], ARGV[2])
end
return {1, redis.call('get', KEYS[1])}
