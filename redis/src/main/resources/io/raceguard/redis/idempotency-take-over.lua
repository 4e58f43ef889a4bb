-- Gives an in-progress record whose lease has expired to a new owner: compare and set on the old owner.
-- KEYS[1] the record (see idempotency-claim.lua)
-- ARGV[1] the expected owner token, ARGV[2] the new owner token, ARGV[3] the fresh lease in us,
-- ARGV[4] the same lease in ms, rounded up
-- Returns 1 if the new owner now holds the record, 0 otherwise.
local record = redis.call('hmget', KEYS[1], 's', 'o', 'l')
if record[1] ~= 'p' or record[2] ~= ARGV[1] then
  return 0
end
local time = redis.call('time')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
if tonumber(record[3]) > now then
  return 0
end
redis.call('hset', KEYS[1], 'o', ARGV[2], 'l', string.format('%.0f', now + tonumber(ARGV[3])))
-- Keep the record at least until the fresh lease ends, so nobody can claim it from under its new owner.
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('pexpire', KEYS[1], ARGV[4])
end
return 1
