-- Records the response of an in-progress record, if the caller still owns it.
-- KEYS[1] the record (see idempotency-claim.lua)
-- ARGV[1] the owner token, ARGV[2] the response, ARGV[3] the retention in ms, counted from now
-- Returns 1 if completed, 0 if the record is gone, completed, or owned by someone else.
local record = redis.call('hmget', KEYS[1], 's', 'o')
if record[1] ~= 'p' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('hset', KEYS[1], 's', 'c', 'r', ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
return 1
