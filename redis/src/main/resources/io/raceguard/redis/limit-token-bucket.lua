-- One token-bucket (GCRA) rate-limit decision, exactly the arithmetic of io.raceguard.limit's
-- package documentation, on the server's clock.
-- KEYS[1] the key's state: a hash {a = whole milliseconds of the theoretical arrival time TAT,
-- f = its remainder in units of 1/L ms, 0 <= f < L}
-- ARGV[1] the limit L, ARGV[2] the window W in ms, ARGV[3] the permits n (1 <= n <= L, L * W <= 2^53)
-- Returns {1, remaining, 0} when allowed, {0, remaining, retry-after in ms} when refused.
--
-- Time inside the bucket is counted in units of 1/L ms, so that the emission interval W / L is
-- exactly W units and the bucket L * W units <= 2^53: every value is an integer exact in a double.
-- div is the floor division of the specification, for a >= 0: fmod is exact on doubles, a / b may round.
local function div(a, b)
  return (a - math.fmod(a, b)) / b
end

local limit, window, permits = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('time')
local t = tonumber(time[1]) * 1000 + div(tonumber(time[2]), 1000)
local state = redis.call('hmget', KEYS[1], 'a', 'f')
local arrival, fraction = tonumber(state[1]), tonumber(state[2])
local bucket = limit * window

-- The backlog max(TAT - t, 0), in units.
local backlog = 0
if arrival then
  local ahead = arrival - t
  if ahead >= window then
    -- Only after the server's clock stepped back: never make anyone wait more than a window.
    backlog = bucket
  elseif ahead >= 0 then
    backlog = ahead * limit + fraction
  end
end

local room = (limit - permits) * window
if backlog <= room then
  local after = backlog + permits * window
  local next_fraction = math.fmod(after, limit)
  local next_arrival = t + (after - next_fraction) / limit
  redis.call('hset', KEYS[1], 'a', string.format('%.0f', next_arrival), 'f', string.format('%.0f', next_fraction))
  -- The state no longer matters once the clock has reached the arrival time.
  local expires_at = next_arrival
  if next_fraction > 0 then
    expires_at = next_arrival + 1
  end
  redis.call('pexpireat', KEYS[1], string.format('%.0f', expires_at))
  return {1, div(bucket - after, window), 0}
end
local excess = backlog - room
local retry_after = div(excess, limit)
if math.fmod(excess, limit) > 0 then
  retry_after = retry_after + 1
end
return {0, div(bucket - backlog, window), retry_after}
