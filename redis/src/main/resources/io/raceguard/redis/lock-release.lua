-- Frees a lock if the caller still owns it (compare and delete), and tells waiters.
-- KEYS[1] the lock key, KEYS[2] its fence key (both in one hash slot)
-- ARGV[1] the owner token, ARGV[2] the release channel ('' for none), ARGV[3] the message
-- Returns 1 if this call freed the lock, 0 if it had expired or another owner holds it.
--
-- The fence key outlives the lock by itself (see lock-acquire.lua). After a release it is needed
-- only until the clock has passed its token, so when the lock still had more than 10 s to live the
-- fence is cut back to 2 ms past its token; a lock with less left leaves it alone, to expire within
-- those 10 s. So a released lock's fence lingers at most 10 s, and the common short lock costs no
-- more than the compare and delete.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
local left = redis.call('pttl', KEYS[1])
redis.call('del', KEYS[1])
if left > 10000 then
  local last = tonumber(redis.call('get', KEYS[2]))
  if last then
    redis.call('pexpireat', KEYS[2], string.format('%.0f', math.floor(last / 1000) + 2))
  end
end
if ARGV[2] ~= '' then
  redis.call('publish', ARGV[2], ARGV[3])
end
return 1
