--- siqun.query.errors: the query language's errors.  Parts of the
-- language raise throw(pos, msg, ...) with a byte position in the query
-- text; the API turns such an error into the message users see
-- (format_error, siqun.query.message: the character offset, "near '...'",
-- the query and a caret under the place).  Also the checks of a query
-- argument (check_text) and of out-of-memory errors (is_nomem), which the
-- modules of the language share.

local M = {}

-- Internal errors carry a byte position; the API turns them into messages.
local QErr = {}

--- Raises a query error at byte pos: msg, near (true: "near '...'" or "at
-- end of query" follows), suffix (a hint, after a space).
function M.throw(pos, msg, near, suffix)
  error(setmetatable({ pos = pos, msg = msg, near = near, suffix = suffix }, QErr), 0)
end

--- True for an error raised by throw.
function M.is_qerr(e) return getmetatable(e) == QErr end
local is_qerr = M.is_qerr

--- True for the error a memory allocation failure raises.
function M.is_nomem(e)
  return type(e) == "string" and e:find("not enough memory", 1, true) ~= nil
end

-- The message of a query error, and text shown on one line (control
-- characters as spaces, bytes that are not UTF-8 as "?"):
-- siqun.query.message, loaded for the first error.

--- The message of query error e (raised by throw) in text.
function M.format_error(text, e) return require("siqun.query.message").format(text, e) end
local format_error = M.format_error

--- s with control characters shown as spaces and bytes that are not
-- UTF-8 as "?".
function M.flat(s) return require("siqun.query.message").flat(s) end

--- Runs f(...) catching query errors: result, or nil and the message
-- (about text); any other error goes on.
function M.protect(text, f, ...)
  local ok, r = pcall(f, ...)
  if ok then return r end
  if is_qerr(r) then return nil, format_error(text, r) end
  error(r, 0)
end

--- Raises "bad argument" (at level, as error() takes it, from the caller)
-- unless text is a string.
function M.check_text(text, fname, argn, level)
  if type(text) ~= "string" then
    require("siqun.check").type(argn, fname, "query string", text, level + 1)
  end
end

return M
