-- Frees a lock if the caller still owns it (compare and delete), and tells waiters.
-- KEYS[1] the lock key, KEYS[2] its fence key
-- ARGV[1] the owner token, ARGV[2] the release channel ('' for none), ARGV[3] the message
-- Returns 1 if this call freed the lock, 0 if it had expired or another owner holds it.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
-- The last token may run ahead of the clock (two grants in one microsecond, or a clock stepped
-- back): keep it until the clock has passed it, plus a margin, so the next token is still larger.
-- PEXPIREAT on the token itself needs no TIME call; a moment already past deletes the key at once.
local last = tonumber(redis.call('get', KEYS[2]))
if last then
  redis.call('pexpireat', KEYS[2], string.format('%.0f', math.floor(last / 1000) + 2))
end
if ARGV[2] ~= '' then
  redis.call('publish', ARGV[2], ARGV[3])
end
return 1
