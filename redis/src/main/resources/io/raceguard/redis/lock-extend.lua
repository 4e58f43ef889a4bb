-- Resets a lock's ttl if the caller still owns it (compare and pexpire), and keeps its fence key at
-- least as long: until the lock's new expiry, and never before the clock has passed the last token
-- by 2 ms (see lock-acquire.lua).
-- KEYS[1] the lock key, KEYS[2] its fence key
-- ARGV[1] the owner token, ARGV[2] the new ttl in milliseconds
-- Returns 1 if extended, 0 if the lock expired or another owner holds it.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
local last = tonumber(redis.call('get', KEYS[2]))
if last then
  local time = redis.call('time')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('pexpireat', KEYS[2],
    string.format('%.0f', math.max(now + tonumber(ARGV[2]), math.floor(last / 1000) + 2)))
end
return 1
