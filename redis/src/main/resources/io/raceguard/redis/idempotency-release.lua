-- Deletes an in-progress record, if the caller still owns it, so that a retry may run.
-- KEYS[1] the record (see idempotency-claim.lua)
-- ARGV[1] the owner token
-- Returns 1 if deleted, 0 if the record is gone, completed, or owned by someone else.
local record = redis.call('hmget', KEYS[1], 's', 'o')
if record[1] ~= 'p' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
return 1
