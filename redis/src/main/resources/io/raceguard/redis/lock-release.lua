-- Frees a lock if the caller still owns it (compare and delete), and tells waiters.
-- KEYS[1] the lock key
-- ARGV[1] the owner token, ARGV[2] the release channel ('' for none), ARGV[3] the message
-- Returns 1 if this call freed the lock, 0 if it had expired or another owner holds it.
--
-- The fence key is left alone: it expires by itself, no earlier than the clock has passed its token
-- (see lock-acquire.lua), so the next holder's token is still larger.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
if ARGV[2] ~= '' then
  redis.call('publish', ARGV[2], ARGV[3])
end
return 1
