-- Takes a lock and mints its fencing token, in one atomic step.
-- KEYS[1] the lock key, KEYS[2] its fence key (both in one hash slot)
-- ARGV[1] the new owner token, ARGV[2] the ttl in milliseconds
-- Returns the fencing token, or nil when another owner holds the lock.
--
-- token = max(server time in microseconds, last token of this key + 1). The fence key holds the
-- last token and expires by itself, never before the lock (it outlives its first ttl) nor before the
-- clock has passed the token by 2 ms. Only a later acquire (with a newer token) or a release (to 2 ms
-- past the token, see lock-release.lua) shortens it; lock-extend.lua lengthens it to the lock's. So
-- once it is gone the clock is past every token of this key. Numbers stay below 2^53, so Lua's
-- doubles hold them exactly.
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
local time = redis.call('time')
local token = tonumber(time[1]) * 1000000 + tonumber(time[2])
local expiry = math.floor(token / 1000) + tonumber(ARGV[2])
-- Write the clock's token and read the last one in one call (SET ... GET, Redis 6.2+); only a last
-- token at or ahead of the clock, which is rare, costs a second write.
local last = tonumber(redis.call('set', KEYS[2], string.format('%.0f', token), 'PXAT',
  string.format('%.0f', expiry), 'GET'))
if last and last >= token then
  token = last + 1
  redis.call('set', KEYS[2], string.format('%.0f', token), 'PXAT',
    string.format('%.0f', math.max(expiry, math.floor(token / 1000) + 2)))
end
return token
