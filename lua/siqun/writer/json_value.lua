--- siqun.writer.json_value: JSON's scalar values -- strings (escaped as
-- RFC 8259 wants, and U+2028 and U+2029), numbers, booleans and null --
-- shared by siqun.writer.json (lists of records) and siqun.writer.json_doc
-- (documents and nested values).

local cells = require "siqun.writer.cells"

local M = {}

--- A value encode writes as null (to keep a key whose value is nil).
M.null = setmetatable({}, { __name = "siqun.json.null", __metatable = "siqun.json.null",
                           __tostring = function() return "null" end })

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
              ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

-- s, valid UTF-8, with what a JSON string must escape escaped (controls,
-- quote, backslash; and U+2028 and U+2029, which JavaScript reads as line
-- ends).
local function escape(s)
  -- (most strings need no escape: an anchored match and a plain find look
  -- at each byte once, where an unanchored pattern restarts at every one)
  if not s:match('^[^%c"\\]*$') then
    s = s:gsub('[%c"\\]', function(c)
      return ESC[c] or ("\\u%04x"):format(c:byte())
    end)
  end
  if s:find("\226\128", 1, true) then
    s = s:gsub("\226\128\168", "\\u2028"):gsub("\226\128\169", "\\u2029")
  end
  return s
end

-- s, valid UTF-8, as a JSON string literal.
function M.quote(s)
  return '"' .. escape(s) .. '"'
end

--- s as a JSON string literal (UTF-8 kept; controls, U+2028 and U+2029
-- escaped; invalid UTF-8 replaced by U+FFFD).
function M.string(s)
  return M.quote(cells.utf8_clean(s))
end

--- A value that is no container as JSON: null (nil, json.null), true,
-- false, a number (exact; NaN and infinities null), a string; raises for
-- anything else.
function M.scalar(v)
  local t = type(v)
  if v == nil or v == M.null then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then return cells.exact(v) or "null" end
  if t == "string" then return M.string(v) end
  error("cannot encode a " .. t .. " as JSON", 0)
end

return M
