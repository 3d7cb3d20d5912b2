--- siqun.query.message: the message of a query error (siqun.query.errors
-- raises them with a byte position): "query error at N: what" with N the
-- character (code point) offset, "near '...'" or "at end of query", a
-- hint, then the query and a caret under the place (columns counted by
-- siqun.text.width: CJK and wide emoji two, combining marks none).
-- Loaded for the first error a query makes.

local compat = require "siqun.compat"
local utf8 = compat.utf8

local M = {}

--- s with control characters shown as spaces (one column each) and bytes
-- that are not UTF-8 as "?".
local function flat(s)
  s = s:gsub("%c", " ")
  if utf8.len(s) then return s end
  local out, i = {}, 1
  while i <= #s do
    local b = s:byte(i)
    local n = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC2 and 2 or 0
    if n > 0 and utf8.len(s:sub(i, i + n - 1)) == 1 then
      out[#out + 1] = s:sub(i, i + n - 1)
      i = i + n
    else
      out[#out + 1] = "?"
      i = i + 1
    end
  end
  return table.concat(out)
end
M.flat = flat

-- Columns of a text in a terminal: siqun.text's one width table (wide
-- emoji, combining marks), so the caret stands under the place.
local width = require("siqun.text").width

-- 1-based code-point offset of byte position pos in a valid UTF-8 text.
local function charpos(text, pos)
  if pos <= 1 then return 1 end
  return (utf8.len(text, 1, math.min(pos, #text + 1) - 1) or 0) + 1
end

local SNIPPET = 20
-- Characters of a long query shown on each side of an error's place.
local CONTEXT = 60

local function snippet(text, pos)
  local rest = text:sub(pos)
  local n = utf8.len(rest)
  if n and n > SNIPPET then
    rest = rest:sub(1, utf8.offset(rest, SNIPPET + 1) - 1) .. "..."
  end
  return flat(rest)
end

--- The message of query error e ({ pos =, msg =, near =, suffix = }: see
-- siqun.query.errors.throw) in text.
function M.format(text, e)
  local pos = e.pos
  local parts = { ("query error at %d: %s"):format(charpos(text, pos), e.msg) }
  if e.near then
    if pos > #text or not text:find("%S", pos) then
      parts[#parts + 1] = " at end of query"
    else
      parts[#parts + 1] = " near '" .. snippet(text, pos) .. "'"
    end
  end
  if e.suffix then parts[#parts + 1] = " " .. e.suffix end
  -- the query, or (a long one) the part around the place, and the caret
  local before, after = text:sub(1, pos - 1), text:sub(pos)
  local cut_b, cut_a = "", ""
  -- (counted in characters; in bytes where the text is not UTF-8)
  local nb, na = utf8.len(before), utf8.len(after)
  if (nb or #before) > CONTEXT then
    before = before:sub(nb and utf8.offset(before, -CONTEXT) or -CONTEXT)
    cut_b = "..."
  end
  if (na or #after) > CONTEXT then
    after = after:sub(1, na and utf8.offset(after, CONTEXT + 1) - 1 or CONTEXT)
    cut_a = "..."
  end
  local shown_before = cut_b .. flat(before)
  parts[#parts + 1] = "\n" .. shown_before .. flat(after) .. cut_a .. "\n"
  parts[#parts + 1] = (" "):rep(width(shown_before)) .. "^"
  return table.concat(parts)
end

return M
