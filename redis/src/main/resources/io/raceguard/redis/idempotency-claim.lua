-- Claims an idempotency key, or returns the record that already holds it.
-- KEYS[1] the record: a hash {s = status ('p' in progress, 'c' completed), o = owner token,
-- f = request fingerprint, r = response (once completed), l = end of the lease, server time in us}
-- ARGV[1] the owner token, ARGV[2] the fingerprint, ARGV[3] the lease in us, ARGV[4] the retention in ms
-- Returns false when this call claimed the key; otherwise {status, owner, fingerprint, response
-- ('' while in progress), lease remaining in us (0 once expired, 0 when completed)}.
--
-- The record's retention is its Redis ttl, so a record past it is simply gone. Microseconds since
-- the epoch stay below 2^53, exact in a double, until the year 2255.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local record = redis.call('hmget', KEYS[1], 's', 'o', 'f', 'r', 'l')
if not record[1] then
  redis.call('hset', KEYS[1], 's', 'p', 'o', ARGV[1], 'f', ARGV[2],
      'l', string.format('%.0f', now + tonumber(ARGV[3])))
  redis.call('pexpire', KEYS[1], ARGV[4])
  return false
end
local lease_remaining = 0
if record[1] == 'p' then
  lease_remaining = math.max(0, tonumber(record[5]) - now)
end
return {record[1], record[2], record[3], record[4] or '', lease_remaining}
