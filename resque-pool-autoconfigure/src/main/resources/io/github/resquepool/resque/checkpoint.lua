-- Save a running job's checkpoint (its cursor) or its progress, but only while its worker still holds it:
-- a job the pool took away (cut off at a stop, a stuck job replaced) must never write over the cursor of
-- its next run.
-- ARGV: 1 prefix, 2 worker id, 3 sha1 of the job's working status, 4 checkpoint key (without the prefix),
--       5 lifetime of the key in ms, 6 name of the field that gets the time of this write (Redis TIME, ms),
--       7.. field, value pairs
-- Returns the time written, or 0 when the worker no longer holds the job.
local held = redis.call('GET', P .. 'worker:' .. ARGV[2])
if not held or redis.sha1hex(held) ~= ARGV[3] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = P .. ARGV[4]
local fields = {ARGV[6], string.format('%d', now), 'worker', ARGV[2]}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', key, unpack(fields))
redis.call('PEXPIRE', key, ARGV[5])
return now
