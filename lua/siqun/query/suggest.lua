--- siqun.query.suggest: "did you mean" for a name the query language (or
-- siqun.compose) does not know: the closest of the names it does know.
-- Only an error needs it, so its users load it then.

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

local function codes(s)
  local t = {}
  for _, c in utf8.codes(s:lower()) do t[#t + 1] = c end
  return t
end

-- Optimal string alignment distance (Levenshtein with transpositions).
local function distance(a, b)
  local x, y = codes(a), codes(b)
  local d = {}
  for i = 0, #x do d[i] = { [0] = i } end
  for j = 0, #y do d[0][j] = j end
  for i = 1, #x do
    for j = 1, #y do
      local cost = x[i] == y[j] and 0 or 1
      local v = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1 and j > 1 and x[i] == y[j - 1] and x[i - 1] == y[j] then
        v = math.min(v, d[i - 2][j - 2] + 1)
      end
      d[i][j] = v
    end
  end
  return d[#x][#y]
end

--- The candidate closest to name (first in order among equals), or nil
-- when none is close enough.
function M.closest(name, candidates)
  if not utf8.len(name) then return nil end
  local best, bd
  local len = utf8.len(name)
  -- distance() is quadratic: a name of a hostile length gets no suggestion
  -- (a 100 000-character name took over a second), nor a candidate whose
  -- length alone puts it out of reach.
  if len > 64 then return nil end
  local limit = len <= 3 and 1 or math.max(2, compat.idiv(len, 3))
  for _, c in ipairs(candidates) do
    local clen = utf8.len(c)
    if c ~= name and clen and math.abs(clen - len) <= limit then
      local dd = distance(name, c)
      if dd <= limit and (bd == nil or dd < bd) then best, bd = c, dd end
    end
  end
  return best
end

--- " (did you mean 'x'?)" for the candidate closest to name, or "".
function M.did_you_mean(name, candidates)
  local c = M.closest(name, candidates)
  return c and (" (did you mean '%s'?)"):format(c) or ""
end

return M
