-- Resets a lock's ttl if the caller still owns it (compare and pexpire).
-- KEYS[1] the lock key, KEYS[2] its fence key
-- ARGV[1] the owner token, ARGV[2] the new ttl in milliseconds
-- Returns 1 if extended, 0 if the lock expired or another owner holds it.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[2], ARGV[2])
return 1
