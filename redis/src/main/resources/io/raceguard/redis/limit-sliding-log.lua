-- One sliding-log rate-limit decision, exactly the arithmetic of io.raceguard.limit's package
-- documentation, on the server's clock.
-- KEYS[1] the key's state: a sorted set of one member per permit granted, scored by its time t in ms,
-- named "<t>:<i>" where i numbers the members of that score from 1
-- ARGV[1] the limit L (at most 10000), ARGV[2] the window W in ms, ARGV[3] the permits n (1 <= n <= L)
-- Returns {1, remaining, 0} when allowed, {0, remaining, retry-after in ms} when refused.
--
-- Every value is an integer below 2^53, exact in a double.
local function div(a, b)
  return (a - math.fmod(a, b)) / b
end

-- ZADD arguments per call: well below the limit of Lua's stack for unpack.
local MEMBERS_PER_ZADD = 500

local limit, window, permits = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('time')
local t = tonumber(time[1]) * 1000 + div(tonumber(time[2]), 1000)
local newest = redis.call('zrange', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) > t then
  -- The server's clock stepped back: go on from the newest entry, never back before it.
  t = tonumber(newest[2])
end

-- Entries at or before t - W are outside the window; an allowed request drops them, a refused one
-- writes nothing.
local outside = string.format('%.0f', t - window)
local total = redis.call('zcard', KEYS[1])
local count = redis.call('zcount', KEYS[1], '(' .. outside, '+inf')

if count <= limit - permits then
  redis.call('zremrangebyscore', KEYS[1], '-inf', outside)
  local score = string.format('%.0f', t)
  local same = redis.call('zcount', KEYS[1], score, score)
  local arguments = {}
  for i = 1, permits do
    arguments[#arguments + 1] = score
    arguments[#arguments + 1] = score .. ':' .. string.format('%.0f', same + i)
    if #arguments == 2 * MEMBERS_PER_ZADD or i == permits then
      redis.call('zadd', KEYS[1], unpack(arguments))
      arguments = {}
    end
  end
  -- The newest entry, and with it the whole log, leaves the window at t + W.
  redis.call('pexpireat', KEYS[1], string.format('%.0f', t + window))
  return {1, limit - count - permits, 0}
end
-- The (count + n - L)-th oldest entry inside the window must leave it before n more fit; the
-- total - count entries outside the window come before it.
local index = total + permits - limit - 1
local blocking = redis.call('zrange', KEYS[1], index, index, 'WITHSCORES')
return {0, limit - count, tonumber(blocking[2]) + window - t}
