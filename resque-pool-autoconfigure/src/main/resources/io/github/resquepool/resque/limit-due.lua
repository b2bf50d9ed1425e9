-- Lets held-back jobs go back to the head of their queues when their limit has room again: those of limits
-- whose rate window has ended (as many as a window allows), then, as a safety net, those of a few limits
-- picked at random that have waiting jobs and free slots but nothing due (a limit raised at run time, or a
-- wake-up that found no job). Run by every pool at its beat; cheap when nothing waits.
-- ARGV: 1 prefix, 2 how many limits the safety net looks at
-- Returns the number of jobs put back.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dkey = P .. 'resquepool:limits:due'
local woken = 0
for _, L in ipairs(ours('ZRANGEBYSCORE', dkey, '-inf', now, 'LIMIT', 0, 100)) do
  ours('ZREM', dkey, L)
  local rate = tonumber(ours('HGET', P .. 'resquepool:limit:' .. L, 'rate') or '1') or 1
  woken = woken + wake_waiters(L, math.max(rate, 1))
end
local picked = ours('SRANDMEMBER', P .. 'resquepool:limits', tonumber(ARGV[2]))
for _, L in ipairs(picked) do
  local base = P .. 'resquepool:limit:' .. L
  if ours('LLEN', base .. ':waiting') > 0 and not ours('ZSCORE', dkey, L) then
    local conc = tonumber(ours('HGET', base, 'concurrency') or '-1') or -1
    local room = (conc < 0) and 1 or (conc - ours('HLEN', base .. ':held'))
    if room > 0 then woken = woken + wake_waiters(L, room) end
  elseif redis.call('EXISTS', base .. ':held', base .. ':waiting') == 0 then
    ours('SREM', P .. 'resquepool:limits', L)
    redis.call('DEL', base)
  end
end
return woken
