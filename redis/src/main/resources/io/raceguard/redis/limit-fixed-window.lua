-- One fixed-window rate-limit decision, exactly the arithmetic of io.raceguard.limit's package
-- documentation, on the server's clock.
-- KEYS[1] the key's state: a hash {k = index of the window that counted, c = its count}
-- ARGV[1] the limit L, ARGV[2] the window W in ms, ARGV[3] the permits n (1 <= n <= L, L * W <= 2^53)
-- Returns {1, remaining, 0} when allowed, {0, remaining, retry-after in ms} when refused.
--
-- Every value is an integer of magnitude at most max(2^53, t + 2W), exact in a double. div is the
-- floor division of the specification, for a >= 0: fmod is exact on doubles, a / b may round.
local function div(a, b)
  return (a - math.fmod(a, b)) / b
end

local limit, window, permits = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('time')
local t = tonumber(time[1]) * 1000 + div(tonumber(time[2]), 1000)
local state = redis.call('hmget', KEYS[1], 'k', 'c')
local stored_index, stored_count = tonumber(state[1]), tonumber(state[2])

local index = div(t, window)
if stored_index and stored_index > index then
  -- The server's clock stepped back: go on counting in the window that counted.
  index = stored_index
  t = stored_index * window
end
local count = 0
if stored_index == index then
  count = stored_count
end

if count <= limit - permits then
  redis.call('hset', KEYS[1], 'k', string.format('%.0f', index), 'c', string.format('%.0f', count + permits))
  -- The state no longer matters from the end of its window on.
  redis.call('pexpireat', KEYS[1], string.format('%.0f', (index + 1) * window))
  return {1, limit - (count + permits), 0}
end
return {0, limit - count, (index + 1) * window - t}
