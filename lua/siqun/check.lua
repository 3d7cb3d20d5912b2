--- siqun.check: the one wording of a misused argument, lauxlib's
-- "bad argument #n to 'f' (x expected, got y)", for every Lua function of
-- siqun.  level is what error() would take in the function that calls
-- these (2, the default: that function's caller, where the misuse is);
-- they raise, never return.  Loaded by the first misuse in the modules
-- require "siqun" loads at once, at load time in the others.
--
--   local check = require "siqun.check"
--   check.type(1, "open", "string", dir)      -- "... (string expected, got number)"
--   check.arg(2, "sort", '"asc" or "desc" expected, got up')
--   check.required(name, "string", 1, "get")
--   check.optional(opts, "table", 3, "render") -- nil passes

local M = {}

--- Raises "bad argument #n to 'fname' (msg)".
function M.arg(n, fname, msg, level)
  error(("bad argument #%d to '%s' (%s)"):format(n, fname, msg), (level or 2) + 1)
end

--- Raises "bad argument #n to 'fname' (expected expected, got <type of v>)".
function M.type(n, fname, expected, v, level)
  error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, expected, type(v)),
        (level or 2) + 1)
end

--- Raises as type unless v is of type t.
function M.required(v, t, n, fname, level)
  if type(v) ~= t then M.type(n, fname, t, v, (level or 2) + 1) end
end

--- Raises as type unless v is nil or of type t.
function M.optional(v, t, n, fname, level)
  if v ~= nil and type(v) ~= t then M.type(n, fname, t, v, (level or 2) + 1) end
end

return M
