-- One sliding-window-counter rate-limit decision, exactly the arithmetic of io.raceguard.limit's
-- package documentation, on the server's clock.
-- KEYS[1] the key's state: a hash {k = index of the current window, c = its count, p = the count
-- of the window before it}
-- ARGV[1] the limit L, ARGV[2] the window W in ms, ARGV[3] the permits n (1 <= n <= L, L * W <= 2^53)
-- Returns {1, remaining, 0} when allowed, {0, remaining, retry-after in ms} when refused.
--
-- Every value is an integer of magnitude at most max(2^53, t + 2W), exact in a double: the weighted
-- estimate count + previous * overlap / W is compared multiplied by W, never rounded. div is the
-- floor division of the specification, for a >= 0: fmod is exact on doubles, a / b may round.
local function div(a, b)
  return (a - math.fmod(a, b)) / b
end

local limit, window, permits = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('time')
local t = tonumber(time[1]) * 1000 + div(tonumber(time[2]), 1000)
local state = redis.call('hmget', KEYS[1], 'k', 'c', 'p')
local stored_index, stored_count, stored_previous = tonumber(state[1]), tonumber(state[2]), tonumber(state[3])

local index = div(t, window)
if stored_index and stored_index > index then
  -- The server's clock stepped back: go on counting in the window that counted.
  index = stored_index
  t = stored_index * window
end
local count, previous = 0, 0
if stored_index == index then
  count, previous = stored_count, stored_previous
elseif stored_index == index - 1 then
  previous = stored_count
end
local overlap = window - (t - index * window)
local weighted_previous = previous * overlap

if count <= limit - permits and weighted_previous <= (limit - count - permits) * window then
  local granted = count + permits
  redis.call('hset', KEYS[1], 'k', string.format('%.0f', index), 'c', string.format('%.0f', granted),
      'p', string.format('%.0f', previous))
  -- The state no longer matters once its window is two windows back.
  redis.call('pexpireat', KEYS[1], string.format('%.0f', (index + 2) * window))
  return {1, div(math.max(0, (limit - granted) * window - weighted_previous), window), 0}
end
local remaining = div(math.max(0, (limit - count) * window - weighted_previous), window)
local spare = limit - count - permits
if spare >= 0 then
  -- Only the previous window's weight is in the way (so previous > 0): wait until enough slid out.
  return {0, remaining, overlap - div(spare * window, previous)}
end
-- This window alone is too full (so count > 0): wait into the next, where it is the previous one.
return {0, remaining, overlap + window - div((limit - permits) * window, count)}
